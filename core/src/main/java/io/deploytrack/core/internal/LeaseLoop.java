package io.deploytrack.core.internal;

import io.deploytrack.core.support.KeyValueLog;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentEvent;
import io.deploytrack.core.HistoryStore;
import io.deploytrack.core.PendingPush;
import io.deploytrack.core.TrackerSettings;
import org.slf4j.event.Level;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The periodic lease work, on a worker, one run at a time: renews this instance's leases (and gives up the
 * deployments it lost), claims the rows that need an instance (resuming running ones, notifying ended ones whose
 * instance died before {@code onCompleted}), and completes the awaited deployments that ended elsewhere.
 */
final class LeaseLoop implements Runnable {
    private final HistoryStore store;
    private final TrackerSettings settings;
    private final Set<String> sourceTypes;
    private final LeaseKeeper leases;
    private final InFlight inFlight;
    private final Followers followers;
    private final Concluder concluder;
    private final CheckProgress progress;
    private final ListenerDispatch dispatch;
    private final Completions completions;
    private final Workers workers;
    private final TrackerTime time;
    private final PushRouter pushes;
    private final AtomicBoolean running = new AtomicBoolean();

    LeaseLoop(HistoryStore store, TrackerSettings settings, Set<String> sourceTypes, LeaseKeeper leases,
              InFlight inFlight, Followers followers, Concluder concluder, CheckProgress progress, ListenerDispatch dispatch,
              Completions completions, Workers workers, TrackerTime time, PushRouter pushes) {
        this.store = store;
        this.settings = settings;
        this.sourceTypes = Set.copyOf(sourceTypes);
        this.leases = leases;
        this.inFlight = inFlight;
        this.followers = followers;
        this.concluder = concluder;
        this.progress = progress;
        this.dispatch = dispatch;
        this.completions = completions;
        this.workers = workers;
        this.time = time;
        this.pushes = pushes;
    }

    /** The scheduler's lease tick: hands one run to a worker unless one is still running. */
    @Override
    public void run() {
        if (workers.closed() || !running.compareAndSet(false, true)) {
            return;
        }
        try {
            workers.execute(() -> {
                try {
                    renewAndClaim();
                } finally {
                    running.set(false);
                }
            });
        } catch (RuntimeException e) {
            running.set(false);
        }
    }

    private void renewAndClaim() {
        if (workers.closed()) {
            return;
        }
        try {
            for (Tracked lost : leases.renew(inFlight.active())) {
                loseLease(lost);
            }
            claimAll();
            for (Long id : completions.awaited()) {
                Tracked t = inFlight.get(id);
                if (t == null || t.done) {
                    store.find(id).filter(Deployment::isTerminal).ifPresent(completions::complete);
                }
            }
        } catch (RuntimeException e) {
            KeyValueLog.event(Log.TRACKER, Level.WARN, "deployment_lease_renewal_failed", "instance", settings.instanceId(),
                    "error", e);
        }
    }

    private void loseLease(Tracked t) {
        synchronized (t) {
            if (t.done) {
                return;
            }
            KeyValueLog.event(Log.TRACKER, Level.WARN, "deployment_lease_lost", "deployment_id", t.id, "instance",
                    settings.instanceId());
            concluder.finishFromStore(t);
        }
        dispatch.flush(t);
    }

    /** Claims batches until a claim returns fewer rows than a batch. */
    void claimAll() {
        while (!workers.closed()) {
            int claimed;
            synchronized (pushes.takeLock()) {
                claimed = claimBatch();
            }
            if (claimed < settings.claimBatch()) {
                return;
            }
        }
    }

    /** One claim; call holding the push router's take lock. Returns how many rows it claimed. */
    private int claimBatch() {
        long asked = leases.reading();
        List<Deployment> claimed = store.claim(settings.instanceId(), settings.leaseDuration(),
                settings.claimBatch(), sourceTypes);
        List<Tracked> resumed = new ArrayList<>();
        for (Deployment d : claimed) {
            if (d.isTerminal()) {
                // Ended, but its instance died before onCompleted ran: run it now.
                KeyValueLog.event(Log.TRACKER, Level.INFO, "deployment_completion_notified_late", "deployment_id", d.id());
                dispatch.completedNow(d);
                continue;
            }
            Tracked t = inFlight.adopt(d);
            leases.confirmed(t, asked);
            resumed.add(t);
        }
        if (resumed.isEmpty()) {
            return claimed.size();
        }
        // What was pushed while nobody held these rows is applied before their sources are asked.
        Set<Long> ids = new HashSet<>();
        resumed.forEach(t -> ids.add(t.id));
        Map<Long, List<PendingPush>> pushed = pushes.takeForClaimed(ids);
        Instant pollNotBefore = pushes.pollNotBefore();
        for (Tracked t : resumed) {
            synchronized (t) {
                List<PendingPush> mine = pushed.getOrDefault(t.id, List.of());
                if (!t.followings.isEmpty() || t.done) {
                    // Followed already (or ended): its pushes go the usual way, at the next take.
                    pushes.release(mine);
                } else {
                    KeyValueLog.event(Log.TRACKER, Level.INFO, "deployment_resumed", "deployment_id", t.id, "project",
                            t.current.project(), "instance", settings.instanceId(), "pushes", mine.size());
                    progress.note(DeploymentEvent.of(t.id, time.now(), DeploymentEvent.Type.RESUMED, null, null, null, null,
                            "followed by " + settings.instanceId()));
                    followers.start(t, true, mine, pollNotBefore);
                }
            }
        }
        return claimed.size();
    }
}
