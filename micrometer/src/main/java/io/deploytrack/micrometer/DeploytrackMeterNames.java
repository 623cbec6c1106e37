package io.deploytrack.micrometer;

/**
 * The names of every meter and observation deploytrack publishes, and their tag keys. Tags are low-cardinality only
 * (source type, environment, status, outcome, operation); commit SHAs and ids never become tags (a deployment's id is
 * a high-cardinality attribute of its observation, which reaches spans, not meters).
 */
public final class DeploytrackMeterNames {

    /** Counter of deployments that reached a terminal status; tags {@code source, environment, status}. */
    public static final String DEPLOYMENTS_COMPLETED = "deploytrack.deployments.completed";
    /** Timer from a deployment's {@code startedAt} to its {@code completedAt}; tags {@code source, environment, status}. */
    public static final String DEPLOYMENT_DURATION = "deploytrack.deployment.duration";
    /** Gauge of the deployments recorded as running in the store (all instances). */
    public static final String DEPLOYMENTS_RUNNING = "deploytrack.deployments.running";
    /** Gauge of running deployments past a check's deadline with no live lease: nobody will end them. */
    public static final String DEPLOYMENTS_STALE = "deploytrack.deployments.stale";
    /** Counter of answers from status sources (one per check polled or followed); tags {@code source, outcome}. */
    public static final String SOURCE_REQUESTS = "deploytrack.source.requests";
    /** Timer of status source calls, until the answer; tags {@code source, outcome}. */
    public static final String SOURCE_LATENCY = "deploytrack.source.latency";
    /** Timer of history store operations; tag {@code operation} (create, update, find, list, claim, renew, ...). */
    public static final String STORE_OPERATIONS = "deploytrack.store.operations";
    /** Gauge of the leases this instance holds: the running deployments it follows now. */
    public static final String LEASES_HELD = "deploytrack.leases.held";
    /** Counter of notification deliveries given up on after their last attempt, tagged {@code channel}. */
    public static final String NOTIFICATIONS_FAILED = "deploytrack.notifications.failed";
    /** Counter of notification deliveries that reached their receiver, tagged {@code channel}. */
    public static final String NOTIFICATIONS_DELIVERED = "deploytrack.notifications.delivered";

    /** Observation around a tracked deployment, from {@code onStarted} to {@code onCompleted}. */
    public static final String DEPLOYMENT_OBSERVATION = "deploytrack.deployment";
    /** The name of the observation event of a check's status change ({@code Observation.Event}). */
    public static final String STATUS_EVENT = "status";
    /**
     * Counter Micrometer's observation handler makes from {@link #STATUS_EVENT} on {@link #DEPLOYMENT_OBSERVATION}:
     * the status changes seen by tracked deployments' checks.
     */
    public static final String DEPLOYMENT_STATUS_EVENTS = "deploytrack.deployment." + STATUS_EVENT;
    /** Observation around each status source call (one per check polled or followed). */
    public static final String SOURCE_CALL_OBSERVATION = "deploytrack.source.call";

    /** Tag: the status source type(s) of a deployment's checks, e.g. {@code ncp}, {@code kubernetes}. */
    public static final String TAG_SOURCE = "source";
    /** Tag: the deployment's environment. */
    public static final String TAG_ENVIRONMENT = "environment";
    /** Tag: the deployment's status word ({@code success}, {@code failed}, {@code cancelled}, {@code timed_out}). */
    public static final String TAG_STATUS = "status";
    /**
     * Tag: how a source call ended: {@code success}, {@code transient_error}, {@code not_found},
     * {@code permanent_error} or {@code error} (anything not a {@code SourceException}).
     */
    public static final String TAG_OUTCOME = "outcome";
    /** Tag: the store operation, a {@code HistoryStore} method name. */
    public static final String TAG_OPERATION = "operation";
    /** Tag: the notification channel's configured name (a handful per application). */
    public static final String TAG_CHANNEL = "channel";

    /** OpenTelemetry semantic convention attribute: the deployment's environment (low cardinality). */
    public static final String ATTRIBUTE_ENVIRONMENT = "deployment.environment.name";
    /** OpenTelemetry semantic convention attribute: the deployment's id (high cardinality: spans only). */
    public static final String ATTRIBUTE_DEPLOYMENT_ID = "deployment.id";
    /** OpenTelemetry semantic convention attribute: the deployment's status word (low cardinality). */
    public static final String ATTRIBUTE_DEPLOYMENT_STATUS = "deployment.status";

    private DeploytrackMeterNames() {
    }
}
