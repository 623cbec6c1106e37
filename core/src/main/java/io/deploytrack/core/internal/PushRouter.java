package io.deploytrack.core.internal;

import io.deploytrack.core.support.KeyValueLog;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Routes pushed observations. Every push is first recorded in the store for the deployment it names
 * ({@link HistoryStore#recordPush}), so that once {@link #push} returns (and the sender is answered) the push survives
 * whatever happens to this process; then whoever holds the deployment's lease takes it ({@link HistoryStore#pendingPushes})
 * and applies it through the same mailbox as a watching source's observations: this instance at once when it holds
 * the lease, another at its next tick, and for a row nobody holds, the instance that claims it next, before it asks
 * the row's source ({@link LeaseLoop}). Every tracker takes, whether or not a push source is registered with it.
 * A taken push stays recorded until what it changed is committed ({@link HeldPushes}): when that write fails, the
 * next take applies it again, so a push acknowledged as applied is never lost between its take and its write.
 * Not public API.
 */
final class PushRouter {
    private static final int STORE_MATCH_LIMIT = 100;
    private static final int TAKE_BATCH = 500;

    private final HistoryStore store;
    private final InFlight inFlight;
    private final Followers followers;
    private final Workers workers;
    private final TrackerTime time;
    private final String instanceId;
    private final HeldPushes held;
    private volatile Duration stretchedInterval;
    private final AtomicBoolean taking = new AtomicBoolean();
    /**
     * Held while pushes are taken, and by {@link LeaseLoop} while it claims rows and starts following them: a push
     * taken for a row this instance has just claimed but does not follow yet would otherwise find no one to apply it.
     */
    private final Object takeLock = new Object();

    PushRouter(HistoryStore store, InFlight inFlight, Followers followers, Workers workers, TrackerTime time,
               String instanceId, Duration stretchedInterval, HeldPushes held) {
        this.store = store;
        this.held = held;
        this.inFlight = inFlight;
        this.followers = followers;
        this.workers = workers;
        this.time = time;
        this.instanceId = instanceId;
        this.stretchedInterval = stretchedInterval;
    }

    /** Polls of a pushed check stretch to {@code interval}. */
    void stretchTo(Duration interval) {
        this.stretchedInterval = interval;
    }

    /** Until when a check that was just pushed is not polled. */
    Instant pollNotBefore() {
        return time.now().plus(stretchedInterval);
    }

    Object takeLock() {
        return takeLock;
    }

    /**
     * Records {@code push} for every running check it selects, then takes at once what this instance holds.
     *
     * @throws io.deploytrack.core.HistoryStoreException when the store cannot read or write: nothing is acknowledged
     *                                                    then, and the sender should send it again
     */
    PushResult push(Push push) {
        Instant now = time.now();
        List<Long> matched = new ArrayList<>();
        for (Deployment d : store.findRunning(push, STORE_MATCH_LIMIT)) {
            boolean any = false;
            for (DeploymentCheck c : d.checks()) {
                if (!c.status().isTerminal() && push.selects(d, c)) {
                    store.recordPush(new PendingPush(0, d.id(), c.name(), push.via(), push.deliveryId(),
                            push.observation(), now));
                    any = true;
                }
            }
            if (any) {
                matched.add(d.id());
            }
        }
        if (matched.isEmpty()) {
            KeyValueLog.event(Log.TRACKER, Level.INFO, "deployment_push_unmatched", "via", push.via(), "delivery",
                    push.deliveryId(), "ref", push.ref() == null ? null : push.ref().type(),
                    "attribute", push.attributeKey());
            return new PushResult(PushResult.Outcome.NO_RUNNING_CHECK, List.of());
        }
        // Recorded: durable now. What this instance holds is taken and applied at once, the rest by their holders.
        Set<Long> takenHere = workers.closed() ? Set.of() : takeRecorded();
        boolean here = matched.stream().anyMatch(takenHere::contains);
        KeyValueLog.event(Log.TRACKER, here ? Level.DEBUG : Level.INFO,
                here ? "deployment_push_applied" : "deployment_push_recorded_for_holder", "via", push.via(),
                "delivery", push.deliveryId(), "deployments", matched);
        return new PushResult(here ? PushResult.Outcome.APPLIED : PushResult.Outcome.RECORDED_FOR_HOLDER, matched);
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

    /** Takes what was recorded for this instance's leases and applies it; returns the deployments it reached. */
    private Set<Long> takeRecorded() {
        synchronized (takeLock) {
            Set<Long> reached = new HashSet<>();
            Instant notBefore = pollNotBefore();
            for (PendingPush p : take()) {
                if (deliver(p, notBefore)) {
                    reached.add(p.deploymentId());
                }
            }
            return reached;
        }
    }

    /**
     * For {@link LeaseLoop}, holding {@link #takeLock()} after it claimed {@code claimed}: takes what was recorded for
     * this instance, applies what is for the deployments it already followed, and returns the rest, by deployment,
     * for the claimed rows to apply as they start.
     */
    Map<Long, List<PendingPush>> takeForClaimed(Set<Long> claimed) {
        Map<Long, List<PendingPush>> out = new HashMap<>();
        Instant notBefore = pollNotBefore();
        for (PendingPush p : take()) {
            if (claimed.contains(p.deploymentId())) {
                out.computeIfAbsent(p.deploymentId(), k -> new ArrayList<>()).add(p);
            } else {
                deliver(p, notBefore);
            }
        }
        return out;
    }

    /**
     * The recorded pushes of this instance's rows that it does not hold yet, now held. Pushes whose application is
     * committed are forgotten first: a push leaves the store only after what it changed is written.
     */
    private List<PendingPush> take() {
        held.forgetApplied(store);
        List<PendingPush> recorded;
        try {
            recorded = store.pendingPushes(instanceId, TAKE_BATCH);
        } catch (RuntimeException e) {
            // Nothing was taken: the pushes stay recorded, and the next tick takes them.
            KeyValueLog.event(Log.TRACKER, Level.WARN, "deployment_push_take_failed", "instance", instanceId,
                    "error", e);
            return List.of();
        }
        List<PendingPush> out = new ArrayList<>(recorded.size());
        for (PendingPush p : recorded) {
            if (held.hold(p.id())) {
                out.add(p);
            }
        }
        return out;
    }

    /** Pushes {@link #takeForClaimed} returned that were not applied after all: the next take hands them out again. */
    void release(Collection<PendingPush> unused) {
        unused.forEach(p -> held.release(p.id()));
    }

    private boolean deliver(PendingPush p, Instant pollNotBefore) {
        Tracked t = inFlight.get(p.deploymentId());
        if (t == null || t.done) {
            // Leased to us but not followed: it ended meanwhile, so the compare-and-set would refuse it anyway.
            held.applied(p.id());
            return false;
        }
        KeyValueLog.event(Log.TRACKER, Level.DEBUG, "deployment_push_taken", "deployment_id", p.deploymentId(),
                "check", p.checkName(), "via", p.via(), "delivery", p.deliveryId());
        followers.push(t, p, pollNotBefore);
        return true;
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
