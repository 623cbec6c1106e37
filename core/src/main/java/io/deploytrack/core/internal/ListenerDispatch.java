package io.deploytrack.core.internal;

import io.deploytrack.core.support.KeyValueLog;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.DeploymentListener;
import io.deploytrack.core.HistoryStore;
import org.slf4j.event.Level;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tells listeners and waiters what happened. Calls are queued in a deployment's outbox while its state changes (under
 * its monitor, so in the order of the changes) and run by {@link #flush(Tracked)} after the monitor is released: a
 * slow listener never holds up another deployment's work, a lease renewal or a store write. A failing listener is
 * logged and the others still run.
 */
final class ListenerDispatch {
    private final List<DeploymentListener> listeners;
    private final HistoryStore store;
    private final Completions completions;
    private final Workers workers;
    /** Ended deployments whose {@code onCompleted} ran, waiting for their notified mark. */
    private final Queue<Deployment> marks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();

    ListenerDispatch(List<DeploymentListener> listeners, HistoryStore store, Completions completions, Workers workers) {
        this.listeners = List.copyOf(listeners);
        this.store = store;
        this.completions = completions;
        this.workers = workers;
    }

    /** Queues {@code onStarted}. */
    void started(Tracked t, Deployment d) {
        t.outbox.add(() -> each("onStarted", d.id(), l -> l.onStarted(d)));
    }

    /** Queues {@code onStatusChanged}. */
    void statusChanged(Tracked t, Deployment d, DeploymentCheck changed) {
        t.outbox.add(() -> each("onStatusChanged", d.id(), l -> l.onStatusChanged(d, changed)));
    }

    /** Queues the end: {@code onCompleted}, the notified mark, then the futures. */
    void completed(Tracked t, Deployment ended) {
        t.outbox.add(() -> completedNow(ended));
    }

    /** Queues the futures' end with what another instance (or a person) decided: listeners are not called again. */
    void adopted(Tracked t, Deployment ended) {
        t.outbox.add(() -> completions.complete(ended));
    }

    /** Queues the futures' failure. */
    void failed(Tracked t, Throwable why) {
        t.outbox.add(() -> completions.fail(t.id, why));
    }

    /**
     * Runs what is queued for {@code t}, in order, on this thread; returns at once when another thread is already
     * running it (that thread picks up what was queued meanwhile). Call it without holding {@code t}'s monitor.
     */
    void flush(Tracked t) {
        while (t.dispatching.compareAndSet(false, true)) {
            try {
                Runnable r;
                while ((r = t.outbox.poll()) != null) {
                    r.run();
                }
            } finally {
                t.dispatching.set(false);
            }
            if (t.outbox.isEmpty()) {
                return;
            }
        }
    }

    /**
     * {@code onCompleted} of an ended deployment, now, on this thread; then the notified mark and the futures, which
     * {@link #marks} writes for the ends of the moment together.
     */
    void completedNow(Deployment ended) {
        each("onCompleted", ended.id(), l -> l.onCompleted(ended));
        marks.add(ended);
        if (draining.compareAndSet(false, true)) {
            if (workers.closed()) {
                drainMarks();
            } else {
                workers.execute(this::drainMarks);
            }
        }
    }

    /** Writes the queued notified marks, many per transaction, and completes their futures after each write. */
    private void drainMarks() {
        while (true) {
            List<Deployment> batch = new ArrayList<>();
            Deployment d;
            while (batch.size() < GroupCommit.MAX_BATCH && (d = marks.poll()) != null) {
                batch.add(d);
            }
            if (!batch.isEmpty()) {
                try {
                    store.markAllNotified(batch.stream().map(Deployment::id).toList());
                } catch (RuntimeException e) {
                    // The row stays unnotified: whoever claims it after its lease runs onCompleted again.
                    KeyValueLog.event(Log.TRACKER, Level.WARN, "deployment_notified_mark_failed", "deployments", batch.size(),
                            "error", e);
                }
                batch.forEach(completions::complete);
                continue;
            }
            draining.set(false);
            if (marks.isEmpty() || !draining.compareAndSet(false, true)) {
                return;
            }
        }
    }

    private interface Call {
        void on(DeploymentListener l);
    }

    private void each(String callback, long id, Call call) {
        for (DeploymentListener l : listeners) {
            try {
                call.on(l);
            } catch (RuntimeException | LinkageError e) {
                KeyValueLog.event(Log.TRACKER, Level.WARN, "deployment_listener_failed", "callback", callback, "deployment_id", id,
                        "error", e);
            }
        }
    }
}
