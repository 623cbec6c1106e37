package io.deploytrack.live.internal;

import io.deploytrack.live.LiveHub;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;

import java.time.Duration;

/** Maps the WebSocket path of the standalone server to {@link LiveSocket}s. Not public API. */
public final class LiveSockets {
    /** Frames queued for one client before it is treated as gone (it reconnects and is replayed). */
    static final int MAX_OUTGOING_FRAMES = 2_000;
    /** A client that neither sends nor receives for this long is closed; the page pings every 20 s. */
    static final Duration IDLE_TIMEOUT = Duration.ofMinutes(5);
    /** Client messages are small (subscribe, ping). */
    static final long MAX_TEXT_MESSAGE = 4_096;

    private LiveSockets() {
    }

    /** Configures {@code container} and maps {@code path} to a {@link LiveSocket} per connection. */
    public static void map(ServerWebSocketContainer container, String path, LiveHub hub) {
        container.setMaxOutgoingFrames(MAX_OUTGOING_FRAMES);
        container.setIdleTimeout(IDLE_TIMEOUT);
        container.setMaxTextMessageSize(MAX_TEXT_MESSAGE);
        container.addMapping(path, (request, response, callback) -> new LiveSocket(hub));
    }
}
