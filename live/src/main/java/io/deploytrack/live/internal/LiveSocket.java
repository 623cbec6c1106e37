package io.deploytrack.live.internal;

import io.deploytrack.live.LiveHub;
import io.deploytrack.live.LiveSession;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * One WebSocket client of a {@link LiveHub}, through Jetty's WebSocket API: text frames in are client messages
 * (subscribe, ping), each hub message goes out as one text frame. Jetty queues frames in order, bounded by the
 * container's maximum of outgoing frames; a send that fails ends the session (the client reconnects and is
 * replayed). Not public API.
 */
public final class LiveSocket implements Session.Listener.AutoDemanding {
    private final LiveHub hub;
    private volatile LiveSession live;

    LiveSocket(LiveHub hub) {
        this.hub = hub;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        live = hub.connect(text -> {
            if (!session.isOpen()) {
                throw new IllegalStateException("the WebSocket closed");
            }
            session.sendText(text, Callback.from(() -> { }, failure -> {
                LiveSession s = live;
                if (s != null) {
                    s.close();
                }
                session.close();
            }));
        });
    }

    @Override
    public void onWebSocketText(String message) {
        LiveSession s = live;
        if (s != null) {
            s.receive(message);
        }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        leave();
        callback.succeed();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        leave();
    }

    private void leave() {
        LiveSession s = live;
        if (s != null) {
            s.close();
        }
    }
}
