package io.deploytrack.core.internal;

import io.deploytrack.core.support.KeyValueLog;
import io.deploytrack.core.DeploymentUpdate;
import io.deploytrack.core.HistoryStore;
import io.deploytrack.core.TrackerSettings;
import io.deploytrack.core.UpdateOutcome;
import org.slf4j.event.Level;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Group commit of the tracker's writes: status changes and ends queue here and one worker at a time writes what is
 * queued in one {@link HistoryStore#updateUnderLease} call (one transaction), so ends that arrive together share one
 * commit instead of queueing behind the store's writer one transaction each. Each update is still its own
 * compare-and-set under this instance's lease; what follows from its outcome (adopting the row, queueing the
 * listeners) runs under its deployment's monitor after the commit, in the order the updates were submitted, and the
 * listeners run after that monitor is released, on a worker of their own, never on the one that commits.
 */
final class GroupCommit {
    /** The most updates one transaction takes; more wait for the next one. */
    static final int MAX_BATCH = 512;

    /** What to do with a deployment once its update's fate is known; called under its monitor. */
    interface Settle {
        /** The store said {@code outcome}. */
        void settled(UpdateOutcome outcome);

        /** The store could not write (nothing of the update is written). */
        void failed(RuntimeException error);
    }

    /** {@code pushId}: the recorded push whose application this update is (0: none), forgotten once it is settled. */
    private record Pending(Tracked tracked, DeploymentUpdate update, Settle settle, long pushId) {
    }

    private final HistoryStore store;
    private final TrackerSettings settings;
    private final LeaseKeeper leases;
    private final ListenerDispatch dispatch;
    private final Workers workers;
    private final HeldPushes held;
    private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();

    GroupCommit(HistoryStore store, TrackerSettings settings, LeaseKeeper leases, ListenerDispatch dispatch, Workers workers,
                HeldPushes held) {
        this.store = store;
        this.held = held;
        this.settings = settings;
        this.leases = leases;
        this.dispatch = dispatch;
        this.workers = workers;
    }

    /**
     * Queues {@code update} of {@code t}; {@code settle} runs under {@code t}'s monitor once it is committed. Call
     * under {@code t}'s monitor: the push being applied ({@link Tracked#applyingPush}) goes with this update.
     */
    void submit(Tracked t, DeploymentUpdate update, Settle settle) {
        long pushId = t.applyingPush;
        t.applyingPush = 0;
        queue.add(new Pending(t, update, settle, pushId));
        if (draining.compareAndSet(false, true)) {
            workers.execute(this::drain);
        }
    }

    /** Writes batches until the queue is empty; whatever arrives while one commits goes into the next. */
    private void drain() {
        while (true) {
            List<Pending> batch = new ArrayList<>();
            Pending p;
            while (batch.size() < MAX_BATCH && (p = queue.poll()) != null) {
                batch.add(p);
            }
            if (!batch.isEmpty()) {
                commit(batch);
                continue;
            }
            draining.set(false);
            if (queue.isEmpty() || !draining.compareAndSet(false, true)) {
                return;
            }
        }
    }

    private void commit(List<Pending> batch) {
        long asked = leases.reading();
        List<UpdateOutcome> outcomes;
        try {
            outcomes = store.updateUnderLease(settings.instanceId(), settings.leaseDuration(),
                    batch.stream().map(Pending::update).toList());
        } catch (RuntimeException e) {
            if (batch.size() > 1) {
                // One bad update must not sink the others: each gets its own transaction now.
                KeyValueLog.event(Log.TRACKER, Level.WARN, "deployment_group_commit_failed", "updates", batch.size(),
                        "error", e);
                batch.forEach(one -> commit(List.of(one)));
            } else {
                Pending one = batch.get(0);
                KeyValueLog.event(Log.TRACKER, Level.WARN, "deployment_update_failed", "deployment_id", one.tracked().id,
                        "error", e);
                // Its push, if it came from one, stays recorded and is taken again at the next tick.
                held.release(one.pushId());
                settle(one, () -> one.settle().failed(e));
            }
            return;
        }
        KeyValueLog.event(Log.TRACKER, Level.DEBUG, "deployment_group_committed", "updates", batch.size());
        boolean pushesApplied = false;
        for (int i = 0; i < batch.size(); i++) {
            Pending one = batch.get(i);
            if (outcomes.get(i) == UpdateOutcome.LEASE_LOST) {
                held.release(one.pushId());
            } else if (one.pushId() > 0) {
                held.applied(one.pushId());
                pushesApplied = true;
            }
        }
        if (pushesApplied) {
            // Forgotten before anyone hears of the end: a process that exits with its deployment leaves none behind.
            held.forgetApplied(store);
        }
        for (int i = 0; i < batch.size(); i++) {
            Pending one = batch.get(i);
            UpdateOutcome outcome = outcomes.get(i);
            settle(one, () -> {
                if (outcome == UpdateOutcome.APPLIED) {
                    leases.confirmed(one.tracked(), asked);
                }
                one.settle().settled(outcome);
            });
        }
    }

    private void settle(Pending one, Runnable r) {
        Tracked t = one.tracked();
        try {
            synchronized (t) {
                r.run();
            }
        } catch (RuntimeException e) {
            KeyValueLog.event(Log.TRACKER, Level.ERROR, "deployment_update_settle_failed", "deployment_id", t.id, "error", e);
        }
        // Listeners run on another worker: a slow one must never hold up the commits of every other deployment.
        if (!t.outbox.isEmpty()) {
            workers.execute(() -> dispatch.flush(t));
        }
    }
}
