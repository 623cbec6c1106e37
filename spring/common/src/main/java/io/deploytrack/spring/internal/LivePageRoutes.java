package io.deploytrack.spring.internal;

import io.deploytrack.live.LivePage;
import io.deploytrack.live.LiveReadApi;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The dashboard page at {@code deploytrack.live.page-path} (a folder such as {@code /deploytrack/}): its three files
 * (only those names, so the routes never shadow the application's own paths) and the read-only JSON it reads below
 * {@code <page-path>api/}. The page is told the WebSocket's and the SSE stream's configured paths, below the servlet
 * context path. Not public API.
 */
public final class LivePageRoutes {
    /** The page's own files and its JSON only; WebSocket and SSE on this origin. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; connect-src 'self' ws: wss:; "
            + "img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'";
    private static final String[] FILES = {"app.js", "app.css"};

    private final LiveReadApi api;
    private final String pagePath;
    private final String webSocketPath;
    private final String ssePath;

    /**
     * The routes.
     *
     * @param api           the read-only JSON
     * @param pagePath      the page's folder, ending in {@code /}
     * @param webSocketPath the WebSocket's path
     * @param ssePath       the SSE stream's path
     */
    public LivePageRoutes(LiveReadApi api, String pagePath, String webSocketPath, String ssePath) {
        this.api = api;
        this.pagePath = pagePath;
        this.webSocketPath = webSocketPath;
        this.ssePath = ssePath;
    }

    /** The router function Spring MVC maps. */
    public RouterFunction<ServerResponse> routes() {
        RouterFunctions.Builder b = RouterFunctions.route()
                .GET(pagePath, r -> file(r, "index.html"))
                .GET(pagePath + "index.html", r -> file(r, "index.html"));
        if (pagePath.length() > 1) {
            String folder = pagePath.substring(0, pagePath.length() - 1);
            // Without the final slash the page's relative file names would miss the folder.
            b.GET(folder, r -> ServerResponse.status(308).header("Location",
                    r.servletRequest().getContextPath() + pagePath).build());
        }
        for (String name : FILES) {
            b.GET(pagePath + name, r -> file(r, name));
        }
        return b.GET(pagePath + "api/**", this::json).build();
    }

    private ServerResponse file(ServerRequest request, String name) {
        String context = request.servletRequest().getContextPath();
        String apiPath = context + pagePath + "api";
        Optional<LivePage.Asset> asset = LivePage.of(context + webSocketPath, context + ssePath, apiPath).asset(name);
        if (asset.isEmpty()) {
            return ServerResponse.notFound().build();
        }
        return ServerResponse.ok().contentType(MediaType.parseMediaType(asset.get().contentType()))
                .header("Cache-Control", "no-cache").header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .body(asset.get().body());
    }

    private ServerResponse json(ServerRequest request) {
        String path = request.requestPath().pathWithinApplication().value();
        Map<String, String> query = new LinkedHashMap<>();
        request.params().forEach((k, v) -> {
            if (!v.isEmpty()) {
                query.put(k, v.get(0));
            }
        });
        LiveReadApi.Answer answer = api.get(path.substring((pagePath + "api/").length()), query);
        return ServerResponse.status(answer.status()).contentType(MediaType.APPLICATION_JSON)
                .header("Cache-Control", "no-store").body(answer.json());
    }
}
