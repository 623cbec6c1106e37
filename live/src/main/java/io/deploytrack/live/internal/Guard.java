package io.deploytrack.live.internal;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * In front of everything: with a token, every request but the page's own files (which hold no data) needs
 * {@code Authorization: Bearer <token>}, or {@code access_token=<token>} in the query for the WebSocket and the SSE
 * stream (a browser's WebSocket and EventSource cannot send headers); without it, 401. A WebSocket upgrade from a
 * page of another origin is refused (403), so a web site open in the same browser cannot read a loopback server.
 * The token is compared in constant time and never written anywhere. Not public API.
 */
public final class Guard extends Handler.Wrapper {
    private final byte[] tokenDigest;
    private final ServerPaths paths;

    /** {@code token} null: no token needed (a loopback server). */
    public Guard(String token, ServerPaths paths, Handler next) {
        super(next);
        this.tokenDigest = token == null ? null : digest(token);
        this.paths = paths;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        if (tokenDigest != null && !paths.isPage(path) && !authorized(request)) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"deploytrack\"");
            return Routes.json(response, callback, 401, "{\"error\":\"a bearer token is required: send "
                    + "Authorization: Bearer <token> (or access_token=<token> for the WebSocket and the event stream)\"}");
        }
        if (path.equals(paths.webSocket()) && !sameOrigin(request)) {
            return Routes.json(response, callback, 403, "{\"error\":\"a WebSocket from another origin is refused: "
                    + "open the page served here\"}");
        }
        return super.handle(request, response, callback);
    }

    private boolean authorized(Request request) {
        String given = null;
        String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            given = header.substring(7).strip();
        } else if (path(request).equals(paths.webSocket()) || path(request).equals(paths.sse())) {
            given = Routes.query(request).get("access_token");
        }
        return given != null && MessageDigest.isEqual(digest(given), tokenDigest);
    }

    private static String path(Request request) {
        return Request.getPathInContext(request);
    }

    /** No Origin (not a browser) or one whose host and port are the request's own. */
    private static boolean sameOrigin(Request request) {
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        String host = request.getHeaders().get(HttpHeader.HOST);
        if (origin == null) {
            return true;
        }
        try {
            URI o = URI.create(origin);
            return host != null && o.getRawAuthority() != null && o.getRawAuthority().equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] digest(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
