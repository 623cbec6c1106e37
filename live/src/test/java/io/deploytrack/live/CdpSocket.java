package io.deploytrack.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal client of Chromium's DevTools protocol over its WebSocket (Jetty's client): a command is
 * {@code {"id":n,"method":...,"params":...}}, its answer the message with the same id. Public: Jetty calls it through
 * method handles.
 */
public final class CdpSocket implements Session.Listener.AutoDemanding {
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private volatile Session session;

    @Override
    public void onWebSocketOpen(Session s) {
        session = s;
    }

    @Override
    public void onWebSocketText(String message) {
        try {
            JsonNode n = LiveTestbed.JSON.readTree(message);
            if (n.has("id")) {
                CompletableFuture<JsonNode> f = pending.remove(n.get("id").asInt());
                if (f != null) {
                    f.complete(n);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("DevTools sent no JSON", e);
        }
    }

    /** Sends a command and waits for its result. */
    JsonNode call(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        ObjectNode o = LiveTestbed.JSON.createObjectNode().put("id", id).put("method", method);
        o.set("params", params == null ? LiveTestbed.JSON.createObjectNode() : params);
        session.sendText(LiveTestbed.JSON.writeValueAsString(o), Callback.NOOP);
        JsonNode answer = f.get(LiveTestbed.PATIENCE.toSeconds(), TimeUnit.SECONDS);
        if (answer.has("error")) {
            throw new IllegalStateException(method + " failed: " + answer.get("error"));
        }
        return answer.get("result");
    }

    /** Evaluates a JavaScript expression in the page and returns its value. */
    JsonNode eval(String expression) throws Exception {
        JsonNode r = call("Runtime.evaluate", LiveTestbed.JSON.createObjectNode().put("expression", expression)
                .put("returnByValue", true));
        return r.path("result").path("value");
    }
}
