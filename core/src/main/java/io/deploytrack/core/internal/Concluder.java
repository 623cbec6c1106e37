package io.deploytrack.core.internal;

import io.deploytrack.core.support.KeyValueLog;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.DeploymentEvent;
import io.deploytrack.core.DeploymentNotFoundException;
import io.deploytrack.core.DeploymentOutcome;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.DeploymentUpdate;
import io.deploytrack.core.HistoryStore;
import io.deploytrack.core.UpdateOutcome;
import org.slf4j.event.Level;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A check reached a terminal status: decides the deployment's status with {@link DeploymentOutcome}, and either
 * records the check and goes on, or ends the deployment and queues the notifications. Every write goes through the
 * {@link GroupCommit} (a compare-and-set under this instance's lease, many per transaction); what follows from it runs
 * once it is committed. Also adopts what the store says when the row changed under this instance. Callers hold the
 * deployment's monitor; the queued notifications run after they release it.
 */
final class Concluder {
    private final HistoryStore store;
    private final TrackerTime time;
    private final ListenerDispatch dispatch;
    private final InFlight inFlight;
    private final String instanceId;
    private final GroupCommit commits;

    Concluder(HistoryStore store, TrackerTime time, GroupCommit commits, ListenerDispatch dispatch, InFlight inFlight,
              String instanceId) {
        this.store = store;
        this.time = time;
        this.commits = commits;
        this.dispatch = dispatch;
        this.inFlight = inFlight;
        this.instanceId = instanceId;
    }

    /** {@code finished} (a check of {@code t}, now terminal) is written; {@code depStart} is the deployment's start. */
    void conclude(Tracked t, DeploymentCheck finished, Instant depStart) {
        Deployment d = t.current;
        DeploymentCheck before = d.check(finished.name()).orElse(null);
        List<DeploymentCheck> checks = replace(d.checks(), finished);
        DeploymentOutcome decided = DeploymentOutcome.of(checks);
        Instant now = time.now();
        if (!decided.isDecided()) {
            recordCheck(t, d, checks, before, finished, depStart, now);
            return;
        }
        DeploymentStatus outcome = decided.status();
        DeploymentCheck cause = decided.cause() == null ? null
                : checks.stream().filter(c -> c.name().equals(decided.cause())).findFirst().orElseThrow();
        Instant completed = finished.completedAt();
        if (outcome == DeploymentStatus.SUCCESS) {
            for (DeploymentCheck c : checks) {
                if (c.completedAt() != null && c.completedAt().isAfter(completed)) {
                    completed = c.completedAt();
                }
            }
        }
        List<DeploymentCheck> written = new ArrayList<>();
        for (int i = 0; i < checks.size(); i++) {
            DeploymentCheck c = checks.get(i);
            if (c == finished) {
                written.add(c);
            } else if (!c.status().isTerminal()) {
                DeploymentCheck stopped = c.withProgress(DeploymentStatus.CANCELLED, c.startedAt(), completed,
                        c.deadlineAt(), c.lastSourceStatus(), false,
                        "not followed further: the deployment ended " + outcome.word() + " at check '" + finished.name() + "'");
                checks.set(i, stopped);
                written.add(stopped);
            }
        }
        Instant start = completed.isBefore(depStart) ? completed : depStart;
        String errorStage = cause == null ? null : cause.name();
        String errorMessage = cause == null ? null : errorMessageOf(cause);
        Instant deployed = outcome == DeploymentStatus.SUCCESS ? completed : null;
        // Ending a deployment and notifying its end happen under a freshly extended lease. Another instance claims an
        // ended row whose end was never notified once its lease expires (its instance died before onCompleted); if
        // this instance ended it on a nearly expired lease, or on one another instance had already claimed, both would
        // notify. A row we no longer hold is left to its holder, which ends and notifies it. The group commit writes
        // the end only while this instance holds the lease, extending it in the same transaction.
        List<DeploymentEvent> events = StageEvents.ended(t.id, before, finished, now);
        events.add(DeploymentEvent.of(t.id, now, DeploymentEvent.Type.COMPLETED, finished.name(), DeploymentStatus.RUNNING, outcome,
                finished.lastSourceStatus(), PushRouter.withEndingPath(d, finished, t.endingVia, errorMessage)));
        DeploymentUpdate end = new DeploymentUpdate(t.id, DeploymentStatus.RUNNING, outcome,
                start.equals(d.startedAt()) ? null : start, deployed, completed, errorStage, errorMessage, written,
                events);
        Deployment result = d.withChecks(checks).withOutcome(outcome, start, deployed, completed, errorStage, errorMessage);
        t.concluding = true;
        commits.submit(t, end, new GroupCommit.Settle() {
            @Override
            public void settled(UpdateOutcome written) {
                if (t.done) {
                    return;
                }
                if (written != UpdateOutcome.APPLIED) {
                    if (written == UpdateOutcome.LEASE_LOST) {
                        KeyValueLog.event(Log.TRACKER, Level.WARN, "deployment_lease_lost", "deployment_id", t.id, "instance",
                                instanceId);
                    }
                    finishFromStore(t);
                    return;
                }
                t.current = result;
                t.done = true;
                t.stopFollowing();
                inFlight.remove(t);
                logEnd(result, outcome, Duration.between(result.startedAt(), result.completedAt()));
                dispatch.statusChanged(t, result, finished);
                dispatch.completed(t, result);
            }

            @Override
            public void failed(RuntimeException error) {
                // Nothing was written: the deployment goes on being followed and the next answer concludes it again.
                t.concluding = false;
            }
        });
    }

    /** Another check still runs: record this one and go on (written by the group commit). */
    private void recordCheck(Tracked t, Deployment d, List<DeploymentCheck> checks, DeploymentCheck before,
                             DeploymentCheck finished, Instant depStart, Instant now) {
        List<DeploymentCheck> written = new ArrayList<>(2);
        written.add(finished);
        if (finished.stage()) {
            // The stages after it that wait for their reference count their deadline from this end, in turn.
            Instant from = now;
            for (int i = checks.indexOf(finished) + 1; i < checks.size(); i++) {
                DeploymentCheck next = checks.get(i);
                if (!next.stage() || next.isStarted() || next.status().isTerminal()) {
                    break;
                }
                DeploymentCheck rearmed = next.withDeadline(from.plus(next.timeout()));
                from = rearmed.deadlineAt();
                checks.set(i, rearmed);
                written.add(rearmed);
            }
        }
        List<DeploymentEvent> events = StageEvents.ended(t.id, before, finished, now);
        events.add(DeploymentEvent.of(t.id, now, DeploymentEvent.Type.CHECK_COMPLETED, finished.name(), null, null,
                finished.lastSourceStatus(), finished.status().word()));
        DeploymentUpdate u = new DeploymentUpdate(t.id, DeploymentStatus.RUNNING, null,
                depStart.equals(d.startedAt()) ? null : depStart, null, null, null, null, written, events);
        t.stopFollowing(finished.name());
        t.current = d.withChecks(checks).withStartedAt(depStart);
        Deployment snapshot = t.current;
        submitChange(t, u, () -> dispatch.statusChanged(t, snapshot, finished));
    }

    /**
     * Queues a change that keeps the deployment running; {@code t.current} already shows it. Once written,
     * {@code onWritten} runs; when the row changed under this instance, what the store says is adopted.
     */
    void submitChange(Tracked t, DeploymentUpdate u, Runnable onWritten) {
        commits.submit(t, u, new GroupCommit.Settle() {
            @Override
            public void settled(UpdateOutcome written) {
                if (written == UpdateOutcome.APPLIED) {
                    onWritten.run();
                } else if (!t.done) {
                    finishFromStore(t);
                }
            }

            @Override
            public void failed(RuntimeException error) {
                // The change stays in memory; the deployment's next write (its end at the latest) carries its checks.
            }
        });
    }

    /**
     * Someone else ended (or removed) the row, or took it over: stop following it and adopt what the store says,
     * without notifying listeners again. A row still running elsewhere is awaited through the store.
     */
    void finishFromStore(Tracked t) {
        t.done = true;
        t.concluding = false;
        t.stopFollowing();
        inFlight.remove(t);
        Optional<Deployment> stored = store.find(t.id);
        if (stored.isPresent() && stored.get().isTerminal()) {
            t.current = stored.get();
            dispatch.adopted(t, stored.get());
        } else if (stored.isEmpty()) {
            dispatch.failed(t, new DeploymentNotFoundException(t.id));
        }
        // Still running but not ours any more (lease lost): whoever holds it now ends it, and LeaseLoop sees the end.
    }

    private void logEnd(Deployment d, DeploymentStatus outcome, Duration elapsed) {
        String event = switch (outcome) {
            case SUCCESS -> "deployment_completed_successfully";
            case TIMED_OUT -> "deployment_status_polling_timeout";
            case CANCELLED -> "deployment_cancelled";
            default -> "deployment_failed";
        };
        KeyValueLog.event(Log.TRACKER, outcome == DeploymentStatus.SUCCESS ? Level.INFO : Level.WARN, event, "deployment_id",
                d.id(), "project", d.project(), "environment", d.environment(), "commit", d.shortSha(), "status",
                outcome.word(), "elapsed_seconds", elapsed.toMillis() / 1000.0, "error_stage", d.errorStage(), "error",
                d.errorMessage());
    }

    private static String errorMessageOf(DeploymentCheck c) {
        if (c.message() != null && !c.message().isBlank()) {
            return c.message();
        }
        return "check '" + c.name() + "' ended " + c.status().word() + " (" + c.sourceType() + " status "
                + c.lastSourceStatus() + ")";
    }

    /** {@code checks} with the one named like {@code nc} replaced by it (a new, mutable list). */
    static List<DeploymentCheck> replace(List<DeploymentCheck> checks, DeploymentCheck nc) {
        List<DeploymentCheck> out = new ArrayList<>(checks.size());
        for (DeploymentCheck c : checks) {
            out.add(c.name().equals(nc.name()) ? nc : c);
        }
        return out;
    }
}
