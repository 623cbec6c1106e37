package io.deploytrack.live;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The dashboard page's files, from this jar (no CDN, no outside fonts): {@code index.html}, {@code app.js},
 * {@code app.css}. The page is told where the WebSocket, the SSE stream and the read-only JSON are by attributes of
 * its {@code <body>}, filled in here, so that a host mounts it below any prefix with any paths.
 */
public final class LivePage {
    private static final String ROOT = "/io/deploytrack/live/page/";
    private static final Map<String, String> TYPES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "app.css", "text/css; charset=utf-8");

    private final String webSocketPath;
    private final String ssePath;
    private final String apiPath;

    /** One of the page's files. */
    public record Asset(String name, String contentType, byte[] body) {
    }

    private LivePage(String webSocketPath, String ssePath, String apiPath) {
        this.webSocketPath = path("webSocketPath", webSocketPath);
        this.ssePath = path("ssePath", ssePath);
        this.apiPath = path("apiPath", apiPath);
    }

    /**
     * The page for these absolute paths: the WebSocket (e.g. {@code /api/v1/ws/deployments}), the SSE stream
     * ({@code /api/v1/deployments/events}) and the read-only JSON's prefix ({@code /api/v1}).
     */
    public static LivePage of(String webSocketPath, String ssePath, String apiPath) {
        return new LivePage(webSocketPath, ssePath, apiPath);
    }

    /** The file named {@code name} ({@code index.html}, {@code app.js}, {@code app.css}), or empty for any other. */
    public Optional<Asset> asset(String name) {
        String type = TYPES.get(Objects.requireNonNull(name, "name"));
        if (type == null) {
            return Optional.empty();
        }
        byte[] body = read(name);
        if (name.equals("index.html")) {
            String html = new String(body, StandardCharsets.UTF_8)
                    .replace("__WS_PATH__", webSocketPath).replace("__SSE_PATH__", ssePath)
                    .replace("__API_PATH__", apiPath);
            body = html.getBytes(StandardCharsets.UTF_8);
        }
        return Optional.of(new Asset(name, type, body));
    }

    private static byte[] read(String name) {
        try (InputStream in = LivePage.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException("the page file " + name + " is missing from the deploytrack-live jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("the page file " + name + " could not be read", e);
        }
    }

    private static String path(String what, String p) {
        if (p == null || !p.startsWith("/") || !p.matches("[A-Za-z0-9/._~-]+")) {
            throw new IllegalArgumentException(what + " '" + p + "' is not usable: expected an absolute path such as "
                    + "/api/v1/ws/deployments");
        }
        return p;
    }
}
