package io.deploytrack.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The questions a history answers: what ran, what runs now, what to roll back to; and the one manual change an
 * operator may make. Usable on its own (over any {@link HistoryStore}) or from {@link DeploymentTracker#history()}.
 */
public final class DeploymentHistory {

    /** How many successes one read of the rollback walk asks for. */
    private static final int ROLLBACK_WALK_PAGE = 20;

    private final HistoryStore store;
    private final Clock clock;

    /** A history over {@code store}, on the system clock. */
    public static DeploymentHistory of(HistoryStore store) {
        return of(store, Clock.systemUTC());
    }

    /** A history over {@code store}; {@code clock} stamps manual marks. */
    public static DeploymentHistory of(HistoryStore store, Clock clock) {
        return new DeploymentHistory(store, clock);
    }

    private DeploymentHistory(HistoryStore store, Clock clock) {
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
     * target is the newest {@code success} before it with a different commit, skipping every version that a later
     * rollback went back past (after V1, V2, V3 and a rollback to V2, the target is V1, not V3: the team just rolled
     * away from V3). What was skipped, and which rollback left it, is in {@link RollbackTarget#skipped()}. A rollback
     * is a successful row with the rollback flag; it went back past every success between it and the newest earlier
     * success of its commit (or, when its commit has none, the deployment it names in {@code rollbackOf}). Ties break
     * by id. Failed, cancelled, timed-out and running deployments are never chosen.
     *
     * @throws NoRollbackTargetException when there is no success, or none before it with another commit that no
     *                                   rollback left (the message lists what was skipped)
     */
    public RollbackTarget rollbackTarget(String owner, String repo, String environment) {
        String env = environment == null ? DeploymentRequest.DEFAULT_ENVIRONMENT : environment;
        Deployment current = store.latestSuccess(owner, repo, env, null, null)
                .orElseThrow(() -> new NoRollbackTargetException("no rollback target for " + owner + "/" + repo + " in "
                        + env + ": it has no successful deployment"));
        WalkResult first = walk(owner, repo, env, current, Set.of());
        WalkResult result = first.target != null || first.unlanded.isEmpty() ? first
                : walk(owner, repo, env, current, first.unlanded);
        if (result.target != null) {
            return new RollbackTarget(current, result.target, result.skipped);
        }
        String why = result.skipped.isEmpty() ? "" : "; skipped " + String.join(", ",
                result.skipped.stream().map(SkippedVersion::reason).toList());
        throw new NoRollbackTargetException("no rollback target for " + owner + "/" + repo + " in " + env
                + ": no successful deployment before #" + current.id() + " has a commit other than "
                + current.shortSha() + " that no later rollback went back past" + why);
    }

    private record WalkResult(Deployment target, List<SkippedVersion> skipped, Set<Long> unlanded) {
    }

    /**
     * Walks the successes newest first. Each rollback met opens a jump back to its commit, closed when a success of
     * that commit is reached; every success met while a jump is open was left by it. A rollback in {@code unlanded}
     * (its commit has no earlier success) leaves only the deployment it names in {@code rollbackOf}.
     */
    private WalkResult walk(String owner, String repo, String env, Deployment current, Set<Long> unlanded) {
        Map<String, Deployment> open = new LinkedHashMap<>();
        Map<Long, Deployment> named = new HashMap<>();
        List<SkippedVersion> skipped = new ArrayList<>();
        Deployment cursor = null;
        while (true) {
            List<Deployment> page = store.successesBefore(owner, repo, env, cursor, ROLLBACK_WALK_PAGE);
            for (Deployment d : page) {
                open.remove(d.commitSha());
                Deployment leftBy = open.isEmpty() ? named.get(d.id()) : open.values().iterator().next();
                if (d.id() != current.id() && leftBy != null) {
                    skipped.add(new SkippedVersion(d, leftBy));
                } else if (d.id() != current.id() && !d.commitSha().equals(current.commitSha())) {
                    return new WalkResult(d, skipped, Set.of());
                }
                if (d.rollback() && unlanded.contains(d.id())) {
                    if (d.rollbackOf() != null) {
                        named.putIfAbsent(d.rollbackOf(), d);
                    }
                } else if (d.rollback()) {
                    open.putIfAbsent(d.commitSha(), d);
                }
            }
            if (page.size() < ROLLBACK_WALK_PAGE) {
                break;
            }
            cursor = page.get(page.size() - 1);
        }
        Set<Long> neverLanded = new HashSet<>();
        open.values().forEach(r -> neverLanded.add(r.id()));
        return new WalkResult(null, skipped, neverLanded);
    }

    /**
     * DORA's delivery metrics of one project and environment over the {@code window} that ends now, with the
     * default settings: a fix window of 24 hours and no commit resolver, so lead time is null.
     */
    public Insights insights(String owner, String repo, String environment, Duration window) {
        return insights(owner, repo, environment, window, InsightsSettings.defaults());
    }

    /**
     * DORA's delivery metrics of one project and environment over the {@code window} that ends now (by this
     * history's clock), each with the counts behind it; lead time through {@code settings}' resolver when it has one.
     *
     * @throws InvalidRequestException when the window is not positive
     */
    public Insights insights(String owner, String repo, String environment, Duration window, InsightsSettings settings) {
        if (window == null || window.isNegative() || window.isZero()) {
            throw new InvalidRequestException("window", "window " + window + " is not usable: expected more than zero");
        }
        Instant to = clock.instant();
        return insights(owner, repo, environment, to.minus(window), to, settings);
    }

    /**
     * DORA's delivery metrics of one project and environment over {@code [from, to)}: nothing at or after {@code to}
     * is looked at, so a past window reads the same whenever it is asked.
     *
     * @throws InvalidRequestException when {@code from} is not before {@code to}
     */
    public Insights insights(String owner, String repo, String environment, Instant from, Instant to,
                             InsightsSettings settings) {
        Objects.requireNonNull(settings, "settings");
        if (from == null || to == null || !from.isBefore(to)) {
            throw new InvalidRequestException("window", "window from " + from + " to " + to
                    + " is not usable: expected a start before the end");
        }
        String env = environment == null ? DeploymentRequest.DEFAULT_ENVIRONMENT : environment;
        DeliveryFacts facts = store.deliveryFacts(owner, repo, env, from, to);
        return io.deploytrack.core.internal.InsightsCalculator.compute(owner, repo, env, facts, settings);
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
                List.of(DeploymentEvent.of(id, clock.instant(), DeploymentEvent.Type.MARKED, null, d.status(), status, null, reason)), true));
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
