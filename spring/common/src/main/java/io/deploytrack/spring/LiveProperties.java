package io.deploytrack.spring;

/**
 * The {@code deploytrack.live.*} settings: where a servlet web application serves live progress (deploytrack-live's
 * message set) over Server-Sent Events, over a WebSocket (when spring-websocket is on the classpath), and the
 * dashboard page. The application's own security (a Spring Security filter chain, for example) applies to these paths
 * as to any other of its endpoints.
 */
public class LiveProperties {
    /** The SSE stream's default path, the one {@code deploytrack serve} and the seed system's frontend use. */
    public static final String DEFAULT_SSE_PATH = "/api/v1/deployments/events";
    /** The WebSocket's default path. */
    public static final String DEFAULT_WEBSOCKET_PATH = "/api/v1/ws/deployments";

    /** Whether live progress is served; on by default when deploytrack-live is on the classpath. */
    private boolean enabled = true;

    /** The path of the Server-Sent Events stream ({@code ?deployment_id=} or {@code ?user_id=} subscribes). */
    private String ssePath = DEFAULT_SSE_PATH;

    /** The path of the WebSocket (served only when spring-websocket is on the classpath). */
    private String websocketPath = DEFAULT_WEBSOCKET_PATH;

    /**
     * The path of the dashboard page, a folder such as {@code /deploytrack/} (a missing final slash is added); its
     * read-only JSON is below {@code <page-path>api/}. Not set (the default): no page.
     */
    private String pagePath;

    /** Created by Spring. */
    public LiveProperties() {
    }

    /** @return whether live progress is served */
    public boolean isEnabled() {
        return enabled;
    }

    /** @param enabled whether live progress is served */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** @return the SSE stream's path */
    public String getSsePath() {
        return ssePath;
    }

    /** @param ssePath the SSE stream's path, absolute */
    public void setSsePath(String ssePath) {
        this.ssePath = path("deploytrack.live.sse-path", ssePath);
    }

    /** @return the WebSocket's path */
    public String getWebsocketPath() {
        return websocketPath;
    }

    /** @param websocketPath the WebSocket's path, absolute */
    public void setWebsocketPath(String websocketPath) {
        this.websocketPath = path("deploytrack.live.websocket-path", websocketPath);
    }

    /** @return the page's folder path ending in {@code /}, or null when no page is served */
    public String getPagePath() {
        return pagePath;
    }

    /** @param pagePath the page's folder path, absolute; blank for no page */
    public void setPagePath(String pagePath) {
        if (pagePath == null || pagePath.isBlank()) {
            this.pagePath = null;
            return;
        }
        String p = path("deploytrack.live.page-path", pagePath.strip());
        this.pagePath = p.endsWith("/") ? p : p + "/";
    }

    @Override
    public String toString() {
        return "LiveProperties[enabled=" + enabled + ", ssePath=" + ssePath + ", websocketPath=" + websocketPath
                + ", pagePath=" + pagePath + "]";
    }

    private static String path(String property, String value) {
        if (value == null || !value.startsWith("/") || !value.matches("[A-Za-z0-9/._~-]+")) {
            throw new IllegalArgumentException(property + " '" + value + "' is not usable: expected an absolute path "
                    + "of letters, digits and / . _ ~ - such as " + DEFAULT_SSE_PATH);
        }
        return value;
    }
}
