package io.deploytrack.core.internal;

import io.deploytrack.core.support.KeyValueLog;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.DeploymentEvent;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.DeploymentUpdate;
import io.deploytrack.core.HistoryStore;
import io.deploytrack.core.Observation;
import org.slf4j.event.Level;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The state machine of a check: applies an observation (progress, approval wait, end) or a passed deadline to one
 * check of a followed deployment, writes the change by compare-and-set, and hands a check that ended to the
 * {@link Concluder}. Each change happens under the deployment's monitor; the listeners it queues run after it is
 * released.
 */
final class CheckProgress implements ObservationSink {
    private final HistoryStore store;
    private final TrackerTime time;
    private final Workers workers;
    private final Concluder concluder;
    private final ListenerDispatch dispatch;
    private final HeldPushes held;

    CheckProgress(HistoryStore store, TrackerTime time, Workers workers, Concluder concluder, ListenerDispatch dispatch,
                  HeldPushes held) {
        this.store = store;
        this.time = time;
        this.workers = workers;
        this.concluder = concluder;
        this.dispatch = dispatch;
        this.held = held;
    }

    @Override
    public void observe(Tracked t, String checkName, Observation o) {
        synchronized (t) {
            if (t.open() && !workers.closed()) {
                apply(t, checkName, o);
            }
        }
        dispatch.flush(t);
    }

    @Override
    public void observePushed(Tracked t, String checkName, Observation o, String via, long pushId) {
        synchronized (t) {
            if (workers.closed()) {
                // Not applied: the push stays recorded for whoever holds the row next.
                held.release(pushId);
            } else if (t.done) {
                held.applied(pushId);
            } else {
                t.endingVia = "push via " + via;
                t.applyingPush = pushId;
                try {
                    apply(t, checkName, o);
                } finally {
                    t.endingVia = null;
                    // Still set: it changed nothing (a repeat, a check already ended), so there is nothing to commit.
                    if (t.applyingPush != 0) {
                        held.applied(t.applyingPush);
                        t.applyingPush = 0;
                    }
                }
            }
        }
        dispatch.flush(t);
    }

    @Override
    public void note(DeploymentEvent event) {
        try {
            store.appendEvent(event);
        } catch (RuntimeException ex) {
            KeyValueLog.event(Log.TRACKER, Level.WARN, "deployment_event_write_failed", "deployment_id", event.deploymentId(),
                    "error", ex);
        }
    }

    @Override
    public boolean notFoundPastDeadline(Tracked t, String checkName, String message) {
        boolean ended;
        synchronized (t) {
            ended = !t.open() || workers.closed() || endNotFound(t, checkName, message);
        }
        dispatch.flush(t);
        return ended;
    }

    /**
     * Ends a check the source does not know, when its deadline from its start has passed: {@code timed_out} at that
     * deadline (the moment nothing more was to be expected), as repair ends the same row, not at the moment of
     * giving up.
     */
    private boolean endNotFound(Tracked t, String checkName, String message) {
        DeploymentCheck c = t.current.check(checkName).orElse(null);
        if (c == null || c.status().isTerminal()) {
            return true;
        }
        Instant fromStart = c.startedAt() == null ? null
                : c.startedAt().plus(c.awaitingApproval() ? c.approvalTimeout() : c.timeout());
        Instant deadline = fromStart == null || (c.deadlineAt() != null && c.deadlineAt().isBefore(fromStart))
                ? c.deadlineAt() : fromStart;
        if (deadline == null || deadline.isAfter(time.now())) {
            return false;
        }
        String last = c.lastSourceStatus() == null ? "none" : c.lastSourceStatus();
        DeploymentCheck nc = c.withProgress(DeploymentStatus.TIMED_OUT, c.startedAt(), deadline, c.deadlineAt(),
                c.lastSourceStatus(), c.awaitingApproval(), "no terminal status within "
                        + human(c.awaitingApproval() ? c.approvalTimeout() : c.timeout()) + "; last status seen: " + last
                        + "; the source no longer knows it (" + message + ")");
        concluder.conclude(t, nc, t.current.startedAt());
        return true;
    }

    /** The check's deadline may have passed: times it out if it did and the check still runs. */
    void deadline(Tracked t, String checkName) {
        synchronized (t) {
            t.deadlinePending.remove(checkName);
            if (t.open() && !workers.closed()) {
                timeOut(t, checkName);
            }
        }
        dispatch.flush(t);
    }

    private void apply(Tracked t, String checkName, Observation o) {
        Deployment d = t.current;
        DeploymentCheck c = d.check(checkName).orElse(null);
        if (c == null || c.status().isTerminal()) {
            return;
        }
        Instant now = time.now();
        boolean awaiting = o.state() == Observation.State.AWAITING_APPROVAL;
        Instant deadline = c.deadlineAt();
        if (awaiting && !c.awaitingApproval()) {
            deadline = now.plus(c.approvalTimeout());
        } else if (!awaiting && c.awaitingApproval()) {
            deadline = now.plus(c.timeout());
        }
        Instant sourceStart = o.startedAt() == null ? null : o.startedAt().truncatedTo(ChronoUnit.MILLIS);
        Instant checkStart = sourceStart != null ? sourceStart : c.startedAt();
        Instant depStart = sourceStart != null && sourceStart.isBefore(d.startedAt()) ? sourceStart : d.startedAt();
        if (o.state().isTerminal()) {
            Instant end = o.finishedAt() != null ? o.finishedAt().truncatedTo(ChronoUnit.MILLIS) : now;
            DeploymentCheck nc = c.withProgress(o.state().toStatus(), checkStart, end, deadline, o.sourceStatus(),
                    false, o.message());
            concluder.conclude(t, nc, depStart);
            return;
        }
        // The provider's progress (targets done) is kept as the check's message while the source gives no other.
        String message = o.message() != null ? o.message() : o.progress();
        boolean statusChanged = !Objects.equals(o.sourceStatus(), c.lastSourceStatus());
        boolean progressChanged = o.progress() != null && !o.progress().equals(c.message());
        boolean changed = statusChanged || awaiting != c.awaitingApproval()
                || !Objects.equals(checkStart, c.startedAt()) || !Objects.equals(message, c.message());
        KeyValueLog.event(Log.TRACKER, Level.DEBUG, "deployment_status_checked", "deployment_id", t.id, "check", checkName,
                c.sourceType() + "_status", o.sourceStatus());
        if (!changed) {
            return;
        }
        DeploymentCheck nc = c.withProgress(DeploymentStatus.RUNNING, checkStart, null, deadline,
                o.sourceStatus(), awaiting, message);
        List<DeploymentEvent> events = new ArrayList<>(3);
        if (c.stage() && c.lastSourceStatus() == null) {
            events.add(StageEvents.started(t.id, nc, now));
        }
        if (statusChanged) {
            events.add(DeploymentEvent.of(t.id, now, DeploymentEvent.Type.SOURCE_STATUS, checkName, null, null, o.sourceStatus(), o.message()));
        }
        if (progressChanged) {
            events.add(DeploymentEvent.of(t.id, now, DeploymentEvent.Type.PROGRESS, checkName, null, null, o.sourceStatus(), o.progress()));
        }
        // Written by the group commit; the next observation already builds on this state, listeners hear of it once
        // it is written.
        t.current = d.withChecks(Concluder.replace(d.checks(), nc)).withStartedAt(depStart);
        Deployment snapshot = t.current;
        concluder.submitChange(t, new DeploymentUpdate(t.id, DeploymentStatus.RUNNING, null,
                depStart.equals(d.startedAt()) ? null : depStart, null, null, null, null, List.of(nc), events), () -> {
            if (statusChanged) {
                KeyValueLog.event(Log.TRACKER, Level.INFO, "deployment_status_changed", "deployment_id", t.id, "check",
                        checkName, c.sourceType() + "_status", o.sourceStatus(), "awaiting_approval", awaiting);
            }
            dispatch.statusChanged(t, snapshot, nc);
        });
    }

    private void timeOut(Tracked t, String checkName) {
        DeploymentCheck c = t.current.check(checkName).orElse(null);
        Instant now = time.now();
        if (c == null || c.status().isTerminal() || c.deadlineAt().isAfter(now)) {
            return;
        }
        String last = c.lastSourceStatus() == null ? "none (the source never answered)" : c.lastSourceStatus();
        String message = !c.isStarted()
                ? "stage '" + c.name() + "' never started: no reference arrived within " + human(c.timeout())
                        + " of the end of the stage before it"
                : c.awaitingApproval()
                ? "approval deadline of " + human(c.approvalTimeout()) + " passed while waiting for approval; last status seen: " + last
                : "no terminal status within " + human(c.timeout()) + "; last status seen: " + last;
        // The start may be the provider's clock and the deadline is ours: a provider running ahead must not leave a
        // check that ended before it started.
        Instant end = c.startedAt() != null && c.startedAt().isAfter(now) ? c.startedAt() : now;
        DeploymentCheck nc = c.withProgress(DeploymentStatus.TIMED_OUT, c.startedAt(), end, c.deadlineAt(),
                c.lastSourceStatus(), c.awaitingApproval(), message);
        concluder.conclude(t, nc, t.current.startedAt());
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s % 3600 == 0 && s >= 3600) {
            return s / 3600 + "h";
        }
        if (s % 60 == 0 && s >= 60) {
            return s / 60 + "m";
        }
        if (d.toMillis() % 1000 == 0) {
            return s + "s";
        }
        return d.toMillis() + "ms";
    }
}
