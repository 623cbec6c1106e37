package io.deploytrack.kubernetes;

/**
 * The workload's rollout cannot be followed with kubectl's rules: a StatefulSet or DaemonSet whose update
 * strategy is not {@code RollingUpdate} (e.g. {@code OnDelete}), for which kubectl answers
 * "rollout status is only available for RollingUpdate strategy type". The message names the workload and
 * its strategy.
 */
public final class UnfollowableWorkloadException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /** The workload kind. */
    private final WorkloadKind kind;
    /** The namespace. */
    private final String namespace;
    /** The workload name. */
    private final String name;
    /** The update strategy type, null when absent. */
    private final String strategy;

    /**
     * Creates the exception.
     *
     * @param kind      the workload kind
     * @param namespace the namespace
     * @param name      the workload name
     * @param strategy  its update strategy type, {@code null} when absent
     */
    public UnfollowableWorkloadException(WorkloadKind kind, String namespace, String name, String strategy) {
        super(kind.word() + " " + namespace + "/" + name
                + (strategy == null ? " has no update strategy type" : " uses update strategy " + strategy)
                + ": its rollout cannot be followed, kubectl rollout status is only available for RollingUpdate"
                + " strategy type; set spec.updateStrategy.type to RollingUpdate to follow rollouts");
        this.kind = kind;
        this.namespace = namespace;
        this.name = name;
        this.strategy = strategy;
    }

    /** @return the workload kind */
    public WorkloadKind kind() {
        return kind;
    }

    /** @return the namespace */
    public String namespace() {
        return namespace;
    }

    /** @return the workload name */
    public String name() {
        return name;
    }

    /** @return the update strategy type, {@code null} when absent */
    public String strategy() {
        return strategy;
    }
}
