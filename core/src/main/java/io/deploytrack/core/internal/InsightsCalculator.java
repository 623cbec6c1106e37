package io.deploytrack.core.internal;

import io.deploytrack.core.CommitResolver;
import io.deploytrack.core.DeliveryFacts;
import io.deploytrack.core.DeliveryFacts.Shipped;
import io.deploytrack.core.DoraLevel;
import io.deploytrack.core.Insights;
import io.deploytrack.core.InsightsSettings;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Turns a store's {@link DeliveryFacts} into {@link Insights}: the counts, medians, percentiles and levels. */
public final class InsightsCalculator {
    private static final long DAY = 86_400;
    private static final long WEEK = 7 * DAY;

    private InsightsCalculator() {
    }

    /** The insights of one target. */
    public static Insights compute(String owner, String repo, String environment, DeliveryFacts facts,
                                   InsightsSettings settings) {
        Duration fixWindow = settings.fixWindow();
        int deployments = 0;
        int rollbacks = 0;
        int fixes = 0;
        int failures = 0;
        List<Double> recoveries = new ArrayList<>();
        List<Instant> deployedTimes = new ArrayList<>();
        for (Shipped s : facts.shipped()) {
            if (s.rollback()) {
                rollbacks++;
                continue;
            }
            deployments++;
            deployedTimes.add(s.deployedAt());
            if (isFixRedeploy(s, fixWindow)) {
                fixes++;
            }
            Instant recovered = s.rolledBackAt();
            if (s.nextFix() && s.nextDeployedAt() != null
                    && Duration.between(s.deployedAt(), s.nextDeployedAt()).compareTo(fixWindow) <= 0
                    && (recovered == null || s.nextDeployedAt().isBefore(recovered))) {
                recovered = s.nextDeployedAt();
            }
            if (recovered != null) {
                failures++;
                recoveries.add(seconds(s.deployedAt(), recovered));
            }
        }
        Double cfr = deployments == 0 ? null : failures / (double) deployments;
        Collections.sort(recoveries);
        Double recoveryMedian = median(recoveries);
        int reworkBase = deployments + rollbacks;
        Double rework = reworkBase == 0 ? null : (rollbacks + fixes) / (double) reworkBase;
        return new Insights(owner, repo, environment, facts.from(), facts.to(), deployments, rollbacks,
                facts.failedAttempts(), frequency(facts.from(), facts.to(), deployedTimes),
                new Insights.ChangeFailRate(failures, deployments, cfr, cfr == null ? null : DoraLevel.ofChangeFailRate(cfr)),
                new Insights.RecoveryTime(recoveries.size(), recoveryMedian, p90(recoveries),
                        recoveryMedian == null ? null : DoraLevel.ofRecoverySeconds(recoveryMedian)),
                new Insights.ReworkRate(rollbacks + fixes, reworkBase, rework, rollbacks, fixes),
                settings.resolver() == null ? null : leadTime(owner, repo, facts, settings.resolver()));
    }

    /** A non-rollback marked fix, replacing a non-rollback deployment that went live within the fix window before it. */
    static boolean isFixRedeploy(Shipped s, Duration fixWindow) {
        return !s.rollback() && s.fix() && s.previousDeployedAt() != null && !s.previousRollback()
                && Duration.between(s.previousDeployedAt(), s.deployedAt()).compareTo(fixWindow) <= 0;
    }

    private static Insights.DeploymentFrequency frequency(Instant from, Instant to, List<Instant> deployed) {
        double windowSeconds = Math.max(1, Duration.between(from, to).getSeconds());
        double perDay = deployed.size() / (windowSeconds / DAY);
        int weeks = (int) Math.max(1, (Duration.between(from, to).getSeconds() + WEEK - 1) / WEEK);
        List<Set<Long>> daysByWeek = new ArrayList<>();
        for (int i = 0; i < weeks; i++) {
            daysByWeek.add(new HashSet<>());
        }
        Long longestGap = null;
        Instant previous = null;
        for (Instant t : deployed) {
            long offset = Duration.between(from, t).getSeconds();
            daysByWeek.get((int) Math.min(weeks - 1, offset / WEEK)).add(offset / DAY);
            if (previous != null) {
                long gap = Duration.between(previous, t).getSeconds();
                longestGap = longestGap == null ? gap : Math.max(longestGap, gap);
            }
            previous = t;
        }
        List<Double> daysPerWeek = new ArrayList<>();
        daysByWeek.forEach(d -> daysPerWeek.add((double) d.size()));
        Collections.sort(daysPerWeek);
        return new Insights.DeploymentFrequency(perDay, perDay * 7, median(daysPerWeek), weeks, longestGap,
                DoraLevel.ofDeploymentsPerDay(perDay));
    }

    private static Insights.LeadTime leadTime(String owner, String repo, DeliveryFacts facts, CommitResolver resolver) {
        Set<String> counted = new HashSet<>();
        List<Double> lead = new ArrayList<>();
        List<Double> toStart = new ArrayList<>();
        List<Double> durations = new ArrayList<>();
        for (Shipped s : facts.shipped()) {
            if (s.rollback() || s.previousCommitSha() == null || s.previousCommitSha().equals(s.commitSha())) {
                continue;
            }
            boolean carried = false;
            for (CommitResolver.Commit c : resolver.commitsBetween(owner, repo, s.previousCommitSha(), s.commitSha())) {
                if (counted.add(c.sha())) {
                    carried = true;
                    lead.add(seconds(c.committedAt(), s.deployedAt()));
                    toStart.add(seconds(c.committedAt(), s.startedAt()));
                }
            }
            if (carried) {
                durations.add(seconds(s.startedAt(), s.deployedAt()));
            }
        }
        Collections.sort(lead);
        Collections.sort(toStart);
        Collections.sort(durations);
        Double median = median(lead);
        return new Insights.LeadTime(lead.size(), median, p90(lead), median(toStart), median(durations),
                durations.size(), median == null ? null : DoraLevel.ofLeadTimeSeconds(median));
    }

    private static double seconds(Instant a, Instant b) {
        return Duration.between(a, b).toMillis() / 1000.0;
    }

    /** The median of sorted values: an even count gives the mean of the two middle values; null when empty. */
    public static Double median(List<Double> sorted) {
        int n = sorted.size();
        if (n == 0) {
            return null;
        }
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** The 90th percentile of sorted values by nearest rank (the value at rank ceil(0.9 n)); null when empty. */
    public static Double p90(List<Double> sorted) {
        int n = sorted.size();
        return n == 0 ? null : sorted.get((int) Math.ceil(0.9 * n) - 1);
    }
}
