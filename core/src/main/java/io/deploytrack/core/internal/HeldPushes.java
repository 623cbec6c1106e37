package io.deploytrack.core.internal;

import io.deploytrack.core.HistoryStore;
import io.deploytrack.core.support.KeyValueLog;
import org.slf4j.event.Level;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The recorded pushes this instance has taken and not yet settled. A push stays in the store while it is applied:
 * only once what it changed is committed (or it changed nothing, or the row ended anyway) is it
 * {@linkplain #applied queued to be forgotten}, and the store forgets it at the next take. If the write that applies
 * it fails, or the lease is lost, it is {@linkplain #release released}: the store still has it, and the next take
 * (this instance's next tick, or the row's next holder) applies it again. Held pushes are not handed out twice.
 */
final class HeldPushes {
    private static final int FORGET_BATCH = 500;

    private final Set<Long> held = ConcurrentHashMap.newKeySet();
    private final Queue<Long> applied = new ConcurrentLinkedQueue<>();

    /** Takes {@code id} in hand; false when it is already held (being applied or waiting to be forgotten). */
    boolean hold(long id) {
        return held.add(id);
    }

    /** What push {@code id} changed is committed, or there was nothing to change: the store may forget it. */
    void applied(long id) {
        if (id > 0) {
            applied.add(id);
        }
    }

    /** Push {@code id} was not applied (its write failed, or the lease went elsewhere): it is taken again. */
    void release(long id) {
        if (id > 0) {
            held.remove(id);
        }
    }

    /**
     * Removes the applied pushes from the store. A failure keeps them queued (and held) for the next call; if the
     * process dies first, the next holder applies them again, which changes nothing that is already stored.
     */
    void forgetApplied(HistoryStore store) {
        while (true) {
            List<Long> batch = new ArrayList<>();
            Long id;
            while (batch.size() < FORGET_BATCH && (id = applied.poll()) != null) {
                batch.add(id);
            }
            if (batch.isEmpty()) {
                return;
            }
            try {
                store.forgetPushes(batch);
            } catch (RuntimeException e) {
                applied.addAll(batch);
                KeyValueLog.event(Log.TRACKER, Level.WARN, "deployment_push_forget_failed", "pushes", batch.size(),
                        "error", e);
                return;
            }
            batch.forEach(held::remove);
        }
    }
}
