package io.deploytrack.live.internal;

import java.util.Optional;
import java.util.Set;

/**
 * Where the standalone server puts things: the page (a directory path ending in {@code /}), the WebSocket, the SSE
 * stream, and the prefix of the read-only JSON. Not public API.
 */
public record ServerPaths(String page, String webSocket, String sse, String api) {
    private static final Set<String> FILES = Set.of("index.html", "app.js", "app.css");

    /** The page's file name for {@code path} ({@code /} is {@code index.html}), or empty. */
    public Optional<String> asset(String path) {
        if (path.equals(page) || path.equals(page + "index.html")) {
            return Optional.of("index.html");
        }
        if (path.startsWith(page) && FILES.contains(path.substring(page.length()))) {
            return Optional.of(path.substring(page.length()));
        }
        return Optional.empty();
    }

    /** Whether {@code path} is one of the page's files, which hold no data and need no token. */
    public boolean isPage(String path) {
        return asset(path).isPresent();
    }
}
