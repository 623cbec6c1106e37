package io.deploytrack.live;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

import java.util.concurrent.CompletableFuture;

/** A WebSocket client endpoint that keeps what it receives (public: Jetty calls it through method handles). */
public final class TestSocket implements Session.Listener.AutoDemanding {
    final LiveTestbed.Received got = new LiveTestbed.Received();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    volatile Session session;

    @Override
    public void onWebSocketOpen(Session s) {
        session = s;
    }

    @Override
    public void onWebSocketText(String message) {
        got.add(message);
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        closed.complete(statusCode);
        callback.succeed();
    }

    void send(String text) {
        session.sendText(text, Callback.NOOP);
    }
}
