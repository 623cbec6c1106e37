package io.deploytrack.webhook.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The delivery ids accepted lately, so each is accepted once. An id is kept for the remembering window (longer than
 * the signature's timestamp tolerance: an older replay is refused as stale anyway), and at most {@code capacity} ids
 * (the oldest are forgotten first). Thread-safe. Not public API.
 */
public final class Deliveries {
    private final Duration window;
    private final int capacity;
    private final Map<String, Instant> seen = new HashMap<>();
    private final Deque<String> order = new ArrayDeque<>();

    /** Remembers ids for {@code window}, at most {@code capacity} of them. */
    public Deliveries(Duration window, int capacity) {
        this.window = window;
        this.capacity = capacity;
    }

    /** Claims {@code id}: true the first time within the window, false for a replay. */
    public synchronized boolean claim(String id, Instant now) {
        expire(now);
        if (seen.containsKey(id)) {
            return false;
        }
        seen.put(id, now);
        order.addLast(id);
        while (order.size() > capacity) {
            seen.remove(order.removeFirst());
        }
        return true;
    }

    /** Forgets a claim whose delivery failed on our side, so the sender's retry is accepted. */
    public synchronized void release(String id) {
        if (seen.remove(id) != null) {
            order.remove(id);
        }
    }

    private void expire(Instant now) {
        Instant limit = now.minus(window);
        while (!order.isEmpty()) {
            String oldest = order.peekFirst();
            Instant at = seen.get(oldest);
            if (at != null && at.isAfter(limit)) {
                return;
            }
            order.removeFirst();
            if (at != null) {
                seen.remove(oldest);
            }
        }
    }
}
