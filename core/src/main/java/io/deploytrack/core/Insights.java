package io.deploytrack.core;

import java.time.Instant;
import java.util.Objects;

/**
 * DORA's delivery metrics for one project and environment over {@code [from, to)}, each with the counts behind it.
 * Worked out by {@link DeploymentHistory#insights} from the store's {@link DeliveryFacts}; the counting rules are
 * those of {@code docs/insights.md}: a <em>deployment</em> is a successful, non-rollback row; a <em>rollback</em> a
 * successful rollback row; a <em>change failure</em> the first deployment after the version a later rollback restored,
 * or a deployment that a fix redeploy replaced within the fix window; failed, cancelled and timed-out attempts never
 * reached production and are counted apart. Ratios are null when their denominator is zero, medians when there is
 * nothing to take the median of, and so are the levels then.
 *
 * @param owner               the project's owner
 * @param repo                the project's repository
 * @param environment         the environment
 * @param from                the window's start (inclusive)
 * @param to                  the window's end (exclusive)
 * @param deployments         successful non-rollback deployments in the window
 * @param rollbacks           successful rollbacks in the window
 * @param failedAttempts      failed, cancelled and timed-out attempts started in the window
 * @param deploymentFrequency how often it shipped
 * @param changeFailRate      change failures over deployments
 * @param recoveryTime        failing change's {@code deployedAt} to the rollback's or fix's {@code deployedAt}
 * @param reworkRate          (rollbacks + fix redeploys) over (deployments + rollbacks)
 * @param leadTime            commit time to {@code deployedAt}, or null without a {@link CommitResolver}
 */
public record Insights(String owner, String repo, String environment, Instant from, Instant to, int deployments,
                       int rollbacks, int failedAttempts, DeploymentFrequency deploymentFrequency,
                       ChangeFailRate changeFailRate, RecoveryTime recoveryTime, ReworkRate reworkRate,
                       LeadTime leadTime) {

    /** The attribute that marks a deployment as a fix redeploy when its value is {@code true}. */
    public static final String FIX_ATTRIBUTE = "fix";

    /** Validates. */
    public Insights {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(repo, "repo");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(deploymentFrequency, "deploymentFrequency");
        Objects.requireNonNull(changeFailRate, "changeFailRate");
        Objects.requireNonNull(recoveryTime, "recoveryTime");
        Objects.requireNonNull(reworkRate, "reworkRate");
    }

    /**
     * Deployment frequency.
     *
     * @param perDay                      deployments per day of the window
     * @param perWeek                     deployments per week of the window
     * @param deploymentDaysPerWeekMedian the median, over the window's weeks (7-day steps from {@code from}, the last
     *                                    one possibly shorter), of the days (24-hour steps from {@code from}) with at
     *                                    least one deployment
     * @param weeks                       how many weeks that median is over
     * @param longestGapSeconds           the longest time between two consecutive deployments, null with fewer than 2
     * @param level                       the DORA 2024 level ({@link DoraLevel#ofDeploymentsPerDay})
     */
    public record DeploymentFrequency(double perDay, double perWeek, double deploymentDaysPerWeekMedian, int weeks,
                                      Long longestGapSeconds, DoraLevel level) {
    }

    /**
     * Change fail rate.
     *
     * @param failures    change failures among the window's deployments
     * @param deployments the window's deployments
     * @param ratio       failures / deployments, null without deployments
     * @param level       the DORA 2024 level, null without deployments
     */
    public record ChangeFailRate(int failures, int deployments, Double ratio, DoraLevel level) {
    }

    /**
     * Failed deployment recovery time, one per change failure that was recovered before {@code to}.
     *
     * @param count         how many recoveries
     * @param medianSeconds their median (an even count: the mean of the two middle values), null when none
     * @param p90Seconds    their 90th percentile (nearest rank), null when none
     * @param level         the DORA 2024 level of the median, null when none
     */
    public record RecoveryTime(int count, Double medianSeconds, Double p90Seconds, DoraLevel level) {
    }

    /**
     * Deployment rework rate (DORA 2024): unplanned deployments over all deployments.
     *
     * @param reworks      rollbacks plus fix redeploys
     * @param deployments  deployments plus rollbacks
     * @param ratio        reworks / deployments, null when there are none
     * @param rollbacks    of the reworks, the rollbacks
     * @param fixRedeploys of the reworks, the fix redeploys
     */
    public record ReworkRate(int reworks, int deployments, Double ratio, int rollbacks, int fixRedeploys) {
    }

    /**
     * Change lead time. A commit counts once, at the first successful deployment in the window that carried it (the
     * commits since the success before it); the target's first deployment carries none.
     *
     * @param count                      commits counted
     * @param medianSeconds              commit time to {@code deployedAt}, median, null when none
     * @param p90Seconds                 the same, 90th percentile (nearest rank), null when none
     * @param commitToStartMedianSeconds commit time to the deployment's start, median, null when none
     * @param deployDurationMedianSeconds start to {@code deployedAt} of the deployments that carried commits, median
     * @param deploymentsWithCommits     how many deployments carried them
     * @param level                      the DORA 2024 level of the median, null when none
     */
    public record LeadTime(int count, Double medianSeconds, Double p90Seconds, Double commitToStartMedianSeconds,
                           Double deployDurationMedianSeconds, int deploymentsWithCommits, DoraLevel level) {
    }
}
