package io.deploytrack.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Computes {@link DeploymentProgress} from a store alone (no tracker needed: a process that only reads the database
 * gives the same answer as the instance that follows the deployment).
 *
 * <p>The expected duration of a stage is the median of its last {@value #SAMPLES} successful runs in the same project
 * and environment (a stage that succeeded counts even when a later stage of the same deployment failed); with fewer
 * than {@value #ENOUGH} such runs, of the same project in every environment; then of the same stage in every project;
 * when no level has {@value #ENOUGH}, the narrowest one with any run; unknown when none has one.
 *
 * <p>The percentage of a running stage rises with its elapsed time: linearly to 90 at the expected duration, then
 * towards 99 without reaching it (so an overrun never shows 100, nor a stale countdown); with no history it is the
 * same curve against the stage's deadline. The provider's own share of targets done raises it (never above 99). A
 * stage shows 100 only once it really ended.
 */
public final class ProgressEstimator {
    /** How many of the newest successful runs a median is taken over. */
    public static final int SAMPLES = 10;
    /** How many runs a level needs before a wider one is not asked. */
    public static final int ENOUGH = 3;
    /** How many deployments one level reads at most to find its samples. */
    private static final int SCAN = 200;

    private final HistoryStore store;
    private final Clock clock;

    private ProgressEstimator(HistoryStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** An estimator over {@code store}, computing for the moment {@code clock} says. */
    public static ProgressEstimator of(HistoryStore store, Clock clock) {
        return new ProgressEstimator(store, clock);
    }

    /**
     * The progress of deployment {@code id} now.
     *
     * @throws DeploymentNotFoundException when there is no such deployment
     */
    public DeploymentProgress progress(long id) {
        return progress(store.find(id).orElseThrow(() -> new DeploymentNotFoundException(id)));
    }

    /** The progress of {@code d} (as read from the store) now. */
    public DeploymentProgress progress(Deployment d) {
        return progress(d, this::expected);
    }

    /** As {@link #progress(Deployment)}, expected durations from {@code expectations} (a cache of them, say). */
    public DeploymentProgress progress(Deployment d, Expectations expectations) {
        Instant now = clock.instant();
        List<DeploymentCheck> parts = d.stages().isEmpty() ? d.checks() : d.stages();
        List<StageProgress> stages = new ArrayList<>(parts.size());
        for (DeploymentCheck c : parts) {
            Optional<ExpectedDuration> expected = c.status().isTerminal() && c.status() != DeploymentStatus.SUCCESS
                    ? Optional.empty() : expectations.expected(d, c.name());
            stages.add(StageProgressMath.stage(c, expected.orElse(null), now));
        }
        Instant end = d.completedAt() != null ? d.completedAt() : now;
        Duration elapsed = d.startedAt() == null || end.isBefore(d.startedAt()) ? Duration.ZERO
                : Duration.between(d.startedAt(), end);
        return new DeploymentProgress(d, now, elapsed, stages);
    }

    /** Where expected durations come from. */
    @FunctionalInterface
    public interface Expectations {
        /** The expected duration of {@code stage} for deployment {@code d}, empty when unknown. */
        Optional<ExpectedDuration> expected(Deployment d, String stage);
    }

    /**
     * The expected duration of {@code stage} for deployment {@code d} (which is left out of the samples), from the
     * history as the class comment says; empty when no earlier successful run of that stage exists.
     */
    public Optional<ExpectedDuration> expected(Deployment d, String stage) {
        List<HistoryQuery> levels = List.of(
                HistoryQuery.project(d.owner(), d.repo(), SCAN).inEnvironment(d.environment()),
                HistoryQuery.project(d.owner(), d.repo(), SCAN),
                HistoryQuery.all(SCAN));
        ExpectedDuration.Basis[] bases = ExpectedDuration.Basis.values();
        ExpectedDuration fallback = null;
        for (int i = 0; i < levels.size(); i++) {
            List<Duration> samples = samples(levels.get(i), d.id(), stage);
            if (samples.isEmpty()) {
                continue;
            }
            ExpectedDuration e = StageProgressMath.median(samples, bases[i]);
            if (samples.size() >= ENOUGH) {
                return Optional.of(e);
            }
            if (fallback == null) {
                fallback = e;
            }
        }
        return Optional.ofNullable(fallback);
    }

    /** Durations of the newest successful runs of {@code stage} in the rows {@code query} reads, newest first. */
    private List<Duration> samples(HistoryQuery query, long exclude, String stage) {
        List<Duration> out = new ArrayList<>(SAMPLES);
        for (Deployment row : store.list(query)) {
            if (row.id() == exclude || row.status() == DeploymentStatus.RUNNING) {
                continue;
            }
            Deployment full = row.checks().isEmpty() ? store.find(row.id()).orElse(row) : row;
            Optional<DeploymentCheck> c = full.check(stage);
            if (c.isPresent() && c.get().status() == DeploymentStatus.SUCCESS && c.get().startedAt() != null
                    && c.get().completedAt() != null && !c.get().completedAt().isBefore(c.get().startedAt())) {
                out.add(Duration.between(c.get().startedAt(), c.get().completedAt()));
                if (out.size() == SAMPLES) {
                    break;
                }
            }
        }
        return out;
    }
}
