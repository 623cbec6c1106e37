package io.deploytrack.spring.internal;

import io.deploytrack.live.LiveHub;
import io.deploytrack.live.LiveSession;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The live message set over a Spring WebSocket, as {@code deploytrack serve} serves it: {@code connection_established}
 * on connect, then each text frame from the client (subscribe, ping) goes to its {@link LiveSession}. Sends go through
 * a {@link ConcurrentWebSocketSessionDecorator}, so a slow client is dropped (it reconnects and is replayed) instead
 * of holding up the hub's thread. Not public API.
 */
public final class LiveWebSocketHandler extends TextWebSocketHandler {
    /** How long one send may block before the client is treated as gone. */
    static final int SEND_TIME_LIMIT_MS = 10_000;
    /** How much may be buffered for one client before it is treated as gone. */
    static final int BUFFER_SIZE_LIMIT = 1024 * 1024;
    private static final String SESSION = LiveSession.class.getName();

    private final LiveHub hub;

    /** Connects each WebSocket to {@code hub}. */
    public LiveWebSocketHandler(LiveHub hub) {
        this.hub = hub;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession socket) {
        WebSocketSession out = new ConcurrentWebSocketSessionDecorator(socket, SEND_TIME_LIMIT_MS, BUFFER_SIZE_LIMIT);
        socket.getAttributes().put(SESSION, hub.connect(json -> {
            try {
                out.sendMessage(new TextMessage(json));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }));
    }

    @Override
    protected void handleTextMessage(WebSocketSession socket, TextMessage message) {
        if (socket.getAttributes().get(SESSION) instanceof LiveSession live) {
            live.receive(message.getPayload());
        }
    }

    @Override
    public void afterConnectionClosed(WebSocketSession socket, CloseStatus status) {
        if (socket.getAttributes().remove(SESSION) instanceof LiveSession live) {
            live.close();
        }
    }
}
