package io.deploytrack.micrometer;

/**
 * The gauges of {@link InsightsMetrics}, each tagged {@code project} ({@code owner/repo}) and {@code environment}.
 * Counts are over the configured window; ratios are 0 to 1; times are in seconds. NaN means no value (see
 * {@link InsightsMetrics}).
 */
public final class InsightsMeterNames {
    /** Successful non-rollback deployments in the window. */
    public static final String DEPLOYMENTS = "deploytrack.insights.deployments";
    /** Successful rollbacks in the window. */
    public static final String ROLLBACKS = "deploytrack.insights.rollbacks";
    /** Failed, cancelled and timed-out attempts in the window: never reached production. */
    public static final String FAILED_ATTEMPTS = "deploytrack.insights.failed.attempts";
    /** Deployment frequency: successful deployments a week. */
    public static final String DEPLOYMENT_FREQUENCY = "deploytrack.insights.deployment.frequency";
    /** Change failures: the numerator of the change fail rate. */
    public static final String CHANGE_FAILURES = "deploytrack.insights.change.failures";
    /** Change fail rate: change failures over deployments. */
    public static final String CHANGE_FAIL_RATE = "deploytrack.insights.change.fail.rate";
    /** Failed deployment recovery time, the median, in seconds. */
    public static final String RECOVERY_TIME = "deploytrack.insights.recovery.time";
    /** Rework rate: rollbacks and fix redeploys over deployments and rollbacks. */
    public static final String REWORK_RATE = "deploytrack.insights.rework.rate";
    /** Change lead time, the median, in seconds (NaN without a commit resolver). */
    public static final String LEAD_TIME = "deploytrack.insights.lead.time";

    /** Tag: a configured project, {@code owner/repo} (the host names each one; see {@link InsightsMetrics}). */
    public static final String TAG_PROJECT = "project";

    private InsightsMeterNames() {
    }
}
