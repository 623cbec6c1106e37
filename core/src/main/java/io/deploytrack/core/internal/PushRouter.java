package io.deploytrack.core.internal;

import io.deploytrack.core.KeyValueLog;
import io.deploytrack.core.CheckSpec;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.HistoryStore;
import io.deploytrack.core.PendingPush;
import io.deploytrack.core.Push;
import io.deploytrack.core.PushResult;
import org.slf4j.event.Level;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Routes pushed observations: to the deployments this instance follows (through the same mailbox as a watching
 * source's), or, for a deployment another instance holds, into the store, from which the holder takes them on its next
 * tick. Not public API.
 */
final class PushRouter {
    private static final int STORE_MATCH_LIMIT = 100;
    private static final int TAKE_BATCH = 500;

    private final HistoryStore store;
    private final InFlight inFlight;
    private final LeaseKeeper leases;
    private final Followers followers;
    private final Workers workers;
    private final TrackerTime time;
    private final String instanceId;
    private final Duration stretchedInterval;
    private final AtomicBoolean taking = new AtomicBoolean();

    PushRouter(HistoryStore store, InFlight inFlight, LeaseKeeper leases, Followers followers, Workers workers,
               TrackerTime time, String instanceId, Duration stretchedInterval) {
        this.store = store;
        this.inFlight = inFlight;
        this.leases = leases;
        this.followers = followers;
        this.workers = workers;
        this.time = time;
        this.instanceId = instanceId;
        this.stretchedInterval = stretchedInterval;
    }

    PushResult push(Push push) {
        List<Long> applied = new ArrayList<>();
        java.time.Instant pollNotBefore = time.now().plus(stretchedInterval);
        for (Tracked t : inFlight.all()) {
            Deployment d = t.current;
            if (t.done || !leases.mayAct(t)) {
                // Not ours to act on now: the store route below records it for whoever holds the lease.
                continue;
            }
            boolean any = false;
            for (DeploymentCheck c : d.checks()) {
                if (!c.status().isTerminal() && push.selects(d, c)) {
                    followers.push(t, c.name(), push.observation(), push.via(), pollNotBefore);
                    any = true;
                }
            }
            if (any) {
                applied.add(t.id);
            }
        }
        if (!applied.isEmpty()) {
            KeyValueLog.event(Log.TRACKER, Level.DEBUG, "deployment_push_applied", "via", push.via(), "delivery",
                    push.deliveryId(), "deployments", applied);
            return new PushResult(PushResult.Outcome.APPLIED, applied);
        }
        List<Long> recorded = new ArrayList<>();
        for (Deployment d : store.findRunning(push, STORE_MATCH_LIMIT)) {
            boolean any = false;
            for (DeploymentCheck c : d.checks()) {
                if (!c.status().isTerminal() && push.selects(d, c)) {
                    store.recordPush(new PendingPush(0, d.id(), c.name(), push.via(), push.deliveryId(),
                            push.observation(), time.now()));
                    any = true;
                }
            }
            if (any) {
                recorded.add(d.id());
            }
        }
        if (recorded.isEmpty()) {
            KeyValueLog.event(Log.TRACKER, Level.INFO, "deployment_push_unmatched", "via", push.via(), "delivery",
                    push.deliveryId(), "ref", push.ref() == null ? null : push.ref().type(),
                    "attribute", push.attributeKey());
            return new PushResult(PushResult.Outcome.NO_RUNNING_CHECK, List.of());
        }
        KeyValueLog.event(Log.TRACKER, Level.INFO, "deployment_push_recorded_for_holder", "via", push.via(), "delivery",
                push.deliveryId(), "deployments", recorded);
        // If this instance holds one of them after all (claimed a moment ago), its next tick applies it.
        return new PushResult(PushResult.Outcome.RECORDED_FOR_HOLDER, recorded);
    }

    /** Scheduler thread: hands the taking of pushes recorded for this instance to a worker, one run at a time. */
    void tick() {
        if (workers.closed() || !taking.compareAndSet(false, true)) {
            return;
        }
        try {
            workers.execute(() -> {
                try {
                    takeRecorded();
                } finally {
                    taking.set(false);
                }
            });
        } catch (RuntimeException e) {
            taking.set(false);
        }
    }

    private void takeRecorded() {
        try {
            List<PendingPush> pending = store.takePushes(instanceId, TAKE_BATCH);
            java.time.Instant pollNotBefore = time.now().plus(stretchedInterval);
            for (PendingPush p : pending) {
                Tracked t = inFlight.get(p.deploymentId());
                if (t == null || t.done) {
                    // Leased to us but not followed (ended meanwhile, or a claim in flight): the CAS makes it moot.
                    continue;
                }
                KeyValueLog.event(Log.TRACKER, Level.DEBUG, "deployment_push_taken", "deployment_id", p.deploymentId(),
                        "check", p.checkName(), "via", p.via(), "delivery", p.deliveryId());
                followers.push(t, p.checkName(), p.observation(), p.via(), pollNotBefore);
            }
        } catch (RuntimeException e) {
            KeyValueLog.event(Log.TRACKER, Level.WARN, "deployment_push_take_failed", "instance", instanceId,
                    "error", e);
        }
    }

    /** The request's attributes plus, per push source, the names of the checks it may push. */
    static Map<String, String> withPushPaths(Map<String, String> attributes, List<CheckSpec> specs) {
        Map<String, TreeSet<String>> byPath = new LinkedHashMap<>();
        for (CheckSpec s : specs) {
            if (s.pushedBy() != null) {
                byPath.computeIfAbsent(s.pushedBy(), k -> new TreeSet<>()).add(s.name());
            }
        }
        if (byPath.isEmpty()) {
            return attributes;
        }
        Map<String, String> out = new LinkedHashMap<>(attributes);
        byPath.forEach((path, names) -> out.put(Push.pushedByAttribute(path), String.join(",", names)));
        return out;
    }

    /**
     * The completed event's message: for a check with a push path, it says which path ended it (the push, or the
     * check's own source as the safety net, or the deadline).
     */
    static String withEndingPath(Deployment d, DeploymentCheck finished, String endingVia, String errorMessage) {
        String note;
        if (endingVia != null) {
            note = "ended by " + endingVia;
        } else if (hasPushPath(d, finished.name())) {
            note = finished.status() == DeploymentStatus.TIMED_OUT ? "ended by the deadline; no push came"
                    : "ended by the " + finished.sourceType() + " source (the safety net); no push came first";
        } else {
            return errorMessage;
        }
        return errorMessage == null ? note : errorMessage + " (" + note + ")";
    }

    private static boolean hasPushPath(Deployment d, String checkName) {
        for (Map.Entry<String, String> a : d.attributes().entrySet()) {
            if (a.getKey().startsWith("pushed_by.") && List.of(a.getValue().split(",")).contains(checkName)) {
                return true;
            }
        }
        return false;
    }
}
