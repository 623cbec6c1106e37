package io.deploytrack.kubernetes;

import io.deploytrack.kubernetes.internal.GoText;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.DaemonSetUpdateStrategy;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateStatefulSetStrategy;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSetUpdateStrategy;

import java.util.List;
import java.util.Objects;

/**
 * How a workload's rollout stands, decided exactly as {@code kubectl rollout status} decides it
 * (kubectl {@code pkg/polymorphichelpers/rollout_status.go}), in kubectl's order and with kubectl's
 * words, without the trailing newline kubectl prints.
 *
 * <p>Where kubectl says "not done" the state is {@link State#PROGRESSING}, where it says "done" it is
 * {@link State#COMPLETE}, and where it returns an error it is {@link State#FAILED} with kubectl's error
 * text. Absent numeric fields count as 0, as Go's zero values do.
 *
 * <p>This judges the object as it is; which rollout it belongs to is decided by
 * {@link KubernetesRollouts#evaluate(io.fabric8.kubernetes.api.model.HasMetadata, RolloutTarget)}.
 *
 * @param state   where the rollout stands
 * @param message kubectl's message (or error text) for that state
 */
public record RolloutStatus(State state, String message) {

    /** The annotation the deployment controller keeps the current revision in. */
    public static final String REVISION_ANNOTATION = "deployment.kubernetes.io/revision";

    private static final String ROLLING_UPDATE = "RollingUpdate";
    private static final String PROGRESSING_CONDITION = "Progressing";
    private static final String TIMED_OUT_REASON = "ProgressDeadlineExceeded";
    private static final String ONLY_ROLLING_UPDATE =
            "rollout status is only available for " + ROLLING_UPDATE + " strategy type";

    /** Where a rollout stands. */
    public enum State {
        /** kubectl would keep waiting. */
        PROGRESSING,
        /** kubectl would report the rollout done. */
        COMPLETE,
        /** kubectl would stop with an error. */
        FAILED
    }

    /**
     * Creates a status.
     *
     * @param state   where the rollout stands, not null
     * @param message the message, not null
     */
    public RolloutStatus {
        Objects.requireNonNull(state, "state must not be null");
        Objects.requireNonNull(message, "message must not be null");
    }

    /** @return whether kubectl would report the rollout done */
    public boolean isDone() {
        return state == State.COMPLETE;
    }

    /** @return whether kubectl would stop with an error */
    public boolean isFailed() {
        return state == State.FAILED;
    }

    /** @return whether the state is final for this object: complete or failed */
    public boolean isTerminal() {
        return state != State.PROGRESSING;
    }

    /**
     * The status of a Deployment's latest rollout, as {@code kubectl rollout status deployment/NAME}.
     *
     * @param d the Deployment, not null
     * @return its rollout status
     */
    public static RolloutStatus ofWorkload(Deployment d) {
        return ofWorkload(d, 0);
    }

    /**
     * The status of a Deployment's rollout pinned to a revision, as
     * {@code kubectl rollout status deployment/NAME --revision=R}.
     *
     * @param d        the Deployment, not null
     * @param revision the revision to pin to, 0 for the latest; never negative
     * @return its rollout status; FAILED when the running revision is not the pinned one
     * @throws IllegalArgumentException when {@code revision} is negative
     */
    public static RolloutStatus ofWorkload(Deployment d, long revision) {
        Objects.requireNonNull(d, "deployment must not be null");
        if (revision < 0) {
            throw new IllegalArgumentException(
                    "revision must be 0 (the latest) or a positive revision number, got " + revision);
        }
        ObjectMeta meta = meta(d.getMetadata());
        String name = GoText.quote(meta.getName());
        if (revision > 0) {
            long running;
            try {
                running = deploymentRevision(meta);
            } catch (NumberFormatException e) {
                return failed("cannot get the revision of deployment " + name + ": " + e.getMessage());
            }
            if (revision != running) {
                return failed("desired revision (" + revision + ") is different from the running revision ("
                        + running + ")");
            }
        }
        DeploymentSpec spec = d.getSpec() == null ? new DeploymentSpec() : d.getSpec();
        DeploymentStatus status = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
        if (n(meta.getGeneration()) > n(status.getObservedGeneration())) {
            return progressing("Waiting for deployment spec update to be observed...");
        }
        // kubectl looks at the first Progressing condition only, and only at its reason.
        DeploymentCondition progressingCondition = firstProgressing(status.getConditions());
        if (progressingCondition != null && TIMED_OUT_REASON.equals(progressingCondition.getReason())) {
            return failed("deployment " + name + " exceeded its progress deadline");
        }
        long updated = n(status.getUpdatedReplicas());
        if (spec.getReplicas() != null && updated < spec.getReplicas()) {
            return progressing("Waiting for deployment " + name + " rollout to finish: " + updated + " out of "
                    + spec.getReplicas() + " new replicas have been updated...");
        }
        long replicas = n(status.getReplicas());
        if (replicas > updated) {
            return progressing("Waiting for deployment " + name + " rollout to finish: " + (replicas - updated)
                    + " old replicas are pending termination...");
        }
        long available = n(status.getAvailableReplicas());
        if (available < updated) {
            return progressing("Waiting for deployment " + name + " rollout to finish: " + available + " of "
                    + updated + " updated replicas are available...");
        }
        return complete("deployment " + name + " successfully rolled out");
    }

    /**
     * The status of a StatefulSet's rollout, as {@code kubectl rollout status statefulset/NAME}.
     *
     * @param s the StatefulSet, not null
     * @return its rollout status; FAILED for any update strategy other than RollingUpdate
     */
    public static RolloutStatus ofWorkload(StatefulSet s) {
        Objects.requireNonNull(s, "statefulset must not be null");
        StatefulSetSpec spec = s.getSpec() == null ? new StatefulSetSpec() : s.getSpec();
        StatefulSetUpdateStrategy strategy = spec.getUpdateStrategy();
        if (strategy == null || !ROLLING_UPDATE.equals(strategy.getType())) {
            return failed(ONLY_ROLLING_UPDATE);
        }
        StatefulSetStatus status = s.getStatus() == null ? new StatefulSetStatus() : s.getStatus();
        long observed = n(status.getObservedGeneration());
        if (observed == 0 || n(meta(s.getMetadata()).getGeneration()) > observed) {
            return progressing("Waiting for statefulset spec update to be observed...");
        }
        Integer specReplicas = spec.getReplicas();
        long ready = n(status.getReadyReplicas());
        if (specReplicas != null && ready < specReplicas) {
            return progressing("Waiting for " + (specReplicas - ready) + " pods to be ready...");
        }
        long updated = n(status.getUpdatedReplicas());
        RollingUpdateStatefulSetStrategy rollingUpdate = strategy.getRollingUpdate();
        if (rollingUpdate != null) {
            // kubectl takes this branch whenever rollingUpdate is present, partition or not.
            Integer partition = rollingUpdate.getPartition();
            if (specReplicas != null && partition != null) {
                long toUpdate = (long) specReplicas - partition;
                if (updated < toUpdate) {
                    return progressing("Waiting for partitioned roll out to finish: " + updated + " out of "
                            + toUpdate + " new pods have been updated...");
                }
            }
            return complete("partitioned roll out complete: " + updated + " new pods have been updated...");
        }
        String updateRevision = Objects.toString(status.getUpdateRevision(), "");
        String currentRevision = Objects.toString(status.getCurrentRevision(), "");
        if (!updateRevision.equals(currentRevision)) {
            return progressing("waiting for statefulset rolling update to complete " + updated
                    + " pods at revision " + updateRevision + "...");
        }
        return complete("statefulset rolling update complete " + n(status.getCurrentReplicas())
                + " pods at revision " + currentRevision + "...");
    }

    /**
     * The status of a DaemonSet's rollout, as {@code kubectl rollout status daemonset/NAME}.
     *
     * @param ds the DaemonSet, not null
     * @return its rollout status; FAILED for any update strategy other than RollingUpdate
     */
    public static RolloutStatus ofWorkload(DaemonSet ds) {
        Objects.requireNonNull(ds, "daemonset must not be null");
        DaemonSetSpec spec = ds.getSpec() == null ? new DaemonSetSpec() : ds.getSpec();
        DaemonSetUpdateStrategy strategy = spec.getUpdateStrategy();
        if (strategy == null || !ROLLING_UPDATE.equals(strategy.getType())) {
            return failed(ONLY_ROLLING_UPDATE);
        }
        DaemonSetStatus status = ds.getStatus() == null ? new DaemonSetStatus() : ds.getStatus();
        ObjectMeta meta = meta(ds.getMetadata());
        if (n(meta.getGeneration()) > n(status.getObservedGeneration())) {
            return progressing("Waiting for daemon set spec update to be observed...");
        }
        String name = GoText.quote(meta.getName());
        long desired = n(status.getDesiredNumberScheduled());
        long updated = n(status.getUpdatedNumberScheduled());
        if (updated < desired) {
            return progressing("Waiting for daemon set " + name + " rollout to finish: " + updated + " out of "
                    + desired + " new pods have been updated...");
        }
        long available = n(status.getNumberAvailable());
        if (available < desired) {
            return progressing("Waiting for daemon set " + name + " rollout to finish: " + available + " of "
                    + desired + " updated pods are available...");
        }
        return complete("daemon set " + name + " successfully rolled out");
    }

    private static long deploymentRevision(ObjectMeta meta) {
        String value = meta.getAnnotations() == null ? null : meta.getAnnotations().get(REVISION_ANNOTATION);
        // kubectl: an absent annotation is revision 0, a present one must parse as a Go int64.
        return value == null ? 0 : GoText.parseInt(value);
    }

    private static DeploymentCondition firstProgressing(List<DeploymentCondition> conditions) {
        if (conditions == null) {
            return null;
        }
        for (DeploymentCondition c : conditions) {
            if (c != null && PROGRESSING_CONDITION.equals(c.getType())) {
                return c;
            }
        }
        return null;
    }

    private static ObjectMeta meta(ObjectMeta meta) {
        return meta == null ? new ObjectMeta() : meta;
    }

    private static long n(Number value) {
        return value == null ? 0 : value.longValue();
    }

    private static RolloutStatus progressing(String message) {
        return new RolloutStatus(State.PROGRESSING, message);
    }

    private static RolloutStatus complete(String message) {
        return new RolloutStatus(State.COMPLETE, message);
    }

    private static RolloutStatus failed(String message) {
        return new RolloutStatus(State.FAILED, message);
    }
}
