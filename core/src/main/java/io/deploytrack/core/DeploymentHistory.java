package io.deploytrack.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The questions a history answers: what ran, what runs now, what to roll back to; and the one manual change an
 * operator may make. Usable on its own (over any {@link HistoryStore}) or from {@link DeploymentTracker#history()}.
 */
public final class DeploymentHistory {

    private final HistoryStore store;
    private final Clock clock;

    /** A history over {@code store}, on the system clock. */
    public static DeploymentHistory of(HistoryStore store) {
        return new DeploymentHistory(store, Clock.systemUTC());
    }

    /** A history over {@code store}; {@code clock} stamps manual marks. */
    public DeploymentHistory(HistoryStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A page of history, newest first. */
    public List<Deployment> list(HistoryQuery query) {
        return store.list(query);
    }

    /** The newest {@code limit} deployments of {@code owner/repo} in {@code environment} (null for all). */
    public List<Deployment> of(String owner, String repo, String environment, int limit) {
        return store.list(HistoryQuery.project(owner, repo, limit).inEnvironment(environment));
    }

    /** One deployment. */
    public Optional<Deployment> find(long id) {
        return store.find(id);
    }

    /** One deployment's event log, oldest first. */
    public List<DeploymentEvent> events(long id) {
        return store.events(id);
    }

    /** The newest {@code success} of the project in the environment: what runs now. */
    public Optional<Deployment> current(String owner, String repo, String environment) {
        return store.latestSuccess(owner, repo, environment, null, null);
    }

    /**
     * What runs now and what to roll back to: current is the newest {@code success} by {@code deployedAt}; the
     * target is the newest {@code success} before it with a different commit. Ties break by id. Failed, cancelled,
     * timed-out and running deployments are never chosen.
     *
     * @throws NoRollbackTargetException when there is no success, or none before it with another commit
     */
    public RollbackTarget rollbackTarget(String owner, String repo, String environment) {
        String env = environment == null ? DeploymentRequest.DEFAULT_ENVIRONMENT : environment;
        Deployment current = store.latestSuccess(owner, repo, env, null, null)
                .orElseThrow(() -> new NoRollbackTargetException("no rollback target for " + owner + "/" + repo + " in "
                        + env + ": it has no successful deployment"));
        Deployment target = store.latestSuccess(owner, repo, env, current, current.commitSha())
                .orElseThrow(() -> new NoRollbackTargetException("no rollback target for " + owner + "/" + repo + " in "
                        + env + ": no successful deployment before #" + current.id() + " has a commit other than "
                        + current.shortSha()));
        return new RollbackTarget(current, target);
    }

    /**
     * An operator's terminal decision, recorded with the reason in the event log. A running deployment may be marked
     * success, failed or cancelled; a timed-out one too (the reason is the evidence); nothing else changes.
     *
     * @param at when it really ended, or null for now
     * @throws DeploymentNotFoundException when there is no such id
     * @throws IllegalTransitionException  when the change is not allowed
     */
    public Deployment mark(long id, DeploymentStatus status, String reason, Instant at) {
        if (reason == null || reason.isBlank()) {
            throw new InvalidRequestException("reason", "a manual mark needs a reason (who decided it and why)");
        }
        if (status == null || !status.isTerminal() || status == DeploymentStatus.TIMED_OUT) {
            throw new InvalidRequestException("status", "status '" + status + "' cannot be set by hand: expected success, failed or cancelled");
        }
        Deployment d = store.find(id).orElseThrow(() -> new DeploymentNotFoundException(id));
        d.status().checkTransitionTo(status, true);
        Instant when = at == null ? clock.instant() : at;
        if (when.isBefore(d.startedAt())) {
            throw new InvalidRequestException("at", "at " + when + " is before the deployment started (" + d.startedAt() + ")");
        }
        List<DeploymentCheck> checks = new ArrayList<>();
        for (DeploymentCheck c : d.checks()) {
            if (!c.status().isTerminal() || c.status() == DeploymentStatus.TIMED_OUT) {
                checks.add(c.withProgress(status, c.startedAt(), when, c.deadlineAt(), c.lastSourceStatus(), false,
                        "marked " + status.word() + " by hand: " + reason));
            }
        }
        boolean ok = store.update(new DeploymentUpdate(id, d.status(), status, null,
                status == DeploymentStatus.SUCCESS ? when : null, when,
                status == DeploymentStatus.SUCCESS ? null : "manual",
                status == DeploymentStatus.SUCCESS ? null : reason, checks,
                List.of(DeploymentEvent.of(id, clock.instant(), "marked", null, d.status(), status, null, reason)), true));
        if (!ok) {
            Deployment now = store.find(id).orElseThrow(() -> new DeploymentNotFoundException(id));
            throw new IllegalTransitionException(now.status(), status, true);
        }
        return store.find(id).orElseThrow(() -> new DeploymentNotFoundException(id));
    }

    /** Deletes events older than {@code keep}, sparing running deployments and each newest success. */
    public int pruneEvents(Duration keep) {
        return store.pruneEvents(clock.instant().minus(keep));
    }
}
