package io.deploytrack.kubernetes;

import io.deploytrack.kubernetes.internal.Workloads;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.ResourceNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Starts rollouts and judges them: changes a workload and returns the {@link RolloutTarget} that
 * identifies the attempt (the generation the server gave to <em>our</em> update), and decides from the
 * latest object what became of an attempt ({@link #evaluate(HasMetadata, RolloutTarget)}).
 *
 * <p>Stateless and thread-safe; every method is static. The calls that take a client block on the
 * Kubernetes API, so do not call them from an informer's handler.
 */
public final class KubernetesRollouts {

    private static final Logger log = LoggerFactory.getLogger(KubernetesRollouts.class);
    private static final String ROLLING_UPDATE = "RollingUpdate";

    private KubernetesRollouts() {
    }

    /**
     * Sets one container's image, as {@code kubectl set image KIND/NAME CONTAINER=IMAGE} does, and returns
     * the attempt this update started.
     *
     * @param client    the client, not null
     * @param kind      the workload kind, not null
     * @param namespace the namespace
     * @param name      the workload name
     * @param container the container (or init container) name
     * @param image     the new image reference, written to the template as given
     * @return the target: the generation the server returned for this update and the images of the updated
     *     template
     * @throws IllegalArgumentException      when the image is not a valid reference or the container does not exist
     * @throws WorkloadNotFoundException     when the workload does not exist
     * @throws UnfollowableWorkloadException when kubectl could not follow its rollout (e.g. OnDelete strategy);
     *                                       nothing is changed then
     */
    public static RolloutTarget setImage(KubernetesClient client, WorkloadKind kind, String namespace, String name,
                                         String container, String image) {
        if (container == null || container.isBlank()) {
            throw new IllegalArgumentException("container name must not be blank, got "
                    + (container == null ? "null" : "\"" + container + "\""));
        }
        ImageReference.parse(image);
        return patch(client, kind, namespace, name, workload -> {
            Container target = Workloads.containers(workload).stream()
                    .filter(c -> container.equals(c.getName()))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(kind.word() + " " + namespace + "/" + name
                            + " has no container \"" + container + "\", its containers are "
                            + Workloads.containers(workload).stream().map(Container::getName).toList()));
            target.setImage(image);
            return workload;
        });
    }

    /**
     * Applies a change to a workload (sent as a patch) and returns the attempt this update started.
     *
     * <p>{@code edit} receives the current object, a {@link Deployment},
     * {@link io.fabric8.kubernetes.api.model.apps.StatefulSet} or
     * {@link io.fabric8.kubernetes.api.model.apps.DaemonSet} according to {@code kind}, and returns the edited
     * object of the same type (it may change and return the one it was given). The edited object must be
     * followable (see {@link #checkFollowable(HasMetadata)}), or nothing is sent.
     *
     * <p>A change that leaves the spec as it was does not move the generation: the target is then the
     * current generation, whose rollout may already be complete.
     *
     * @param client    the client, not null
     * @param kind      the workload kind, not null
     * @param namespace the namespace
     * @param name      the workload name
     * @param edit      the change, not null
     * @return the target: the {@code metadata.generation} the server returned for this update (not a later
     *     read) and the images of the updated template
     * @throws WorkloadNotFoundException     when the workload does not exist
     * @throws UnfollowableWorkloadException when the edited workload's rollout could not be followed
     * @throws KubernetesClientException     when the API server refuses the update
     */
    public static RolloutTarget patch(KubernetesClient client, WorkloadKind kind, String namespace, String name,
                                      UnaryOperator<HasMetadata> edit) {
        checkArguments(client, kind, namespace, name);
        Objects.requireNonNull(edit, "edit function must not be null");
        HasMetadata updated;
        try {
            updated = Workloads.edit(client, kind, namespace, name, current -> {
                HasMetadata edited = edit.apply(current);
                // Refuse before anything is sent: a rollout nobody can follow must not be started by us.
                // (Null or another type is refused by Workloads.edit with its own message.)
                if (kind.type().isInstance(edited)) {
                    checkFollowable(edited);
                }
                return edited;
            });
        } catch (ResourceNotFoundException e) {
            throw new WorkloadNotFoundException(kind, namespace, name, e);
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                throw new WorkloadNotFoundException(kind, namespace, name, e);
            }
            throw e;
        }
        RolloutTarget target = targetOf(updated);
        log.info("kubernetes_rollout_started kind={} namespace={} name={} generation={}",
                kind.word(), namespace, name, target.generation());
        return target;
    }

    /**
     * The target for the workload's generation as it is now, to follow a rollout started elsewhere.
     *
     * @param client    the client, not null
     * @param kind      the workload kind, not null
     * @param namespace the namespace
     * @param name      the workload name
     * @return the target: the current {@code metadata.generation} and the template's images
     * @throws WorkloadNotFoundException     when the workload does not exist
     * @throws UnfollowableWorkloadException when kubectl could not follow its rollout
     */
    public static RolloutTarget current(KubernetesClient client, WorkloadKind kind, String namespace, String name) {
        checkArguments(client, kind, namespace, name);
        HasMetadata workload = Workloads.get(client, kind, namespace, name);
        if (workload == null) {
            throw new WorkloadNotFoundException(kind, namespace, name, null);
        }
        checkFollowable(workload);
        return targetOf(workload);
    }

    /**
     * The target that a workload object stands for: its kind, namespace, name, {@code metadata.generation}
     * and the images of its pod template (containers and init containers).
     *
     * @param workload a Deployment, StatefulSet or DaemonSet as read from the server, not null
     * @return the target
     * @throws IllegalArgumentException when the object has no name, namespace or generation
     */
    public static RolloutTarget targetOf(HasMetadata workload) {
        WorkloadKind kind = WorkloadKind.of(workload);
        if (workload.getMetadata() == null) {
            throw new IllegalArgumentException(kind.word() + " has no metadata, expected an object read from the"
                    + " API server");
        }
        return new RolloutTarget(kind, workload.getMetadata().getNamespace(), workload.getMetadata().getName(),
                Workloads.generation(workload), Workloads.images(workload));
    }

    /**
     * Refuses a workload whose rollout kubectl cannot follow: a StatefulSet or DaemonSet whose update
     * strategy is not {@code RollingUpdate} (e.g. {@code OnDelete}). Every Deployment can be followed.
     *
     * @param workload a Deployment, StatefulSet or DaemonSet, not null
     * @throws UnfollowableWorkloadException naming the workload and its strategy
     */
    public static void checkFollowable(HasMetadata workload) {
        WorkloadKind kind = WorkloadKind.of(workload);
        if (kind == WorkloadKind.DEPLOYMENT) {
            return;
        }
        String strategy = Workloads.strategyType(workload);
        if (!ROLLING_UPDATE.equals(strategy)) {
            String namespace = workload.getMetadata() == null ? null : workload.getMetadata().getNamespace();
            String name = workload.getMetadata() == null ? null : workload.getMetadata().getName();
            throw new UnfollowableWorkloadException(kind, namespace, name, strategy);
        }
    }

    /**
     * kubectl's rollout status of any of the three workload kinds.
     *
     * @param workload a Deployment, StatefulSet or DaemonSet, not null
     * @return its status, as {@link RolloutStatus#ofWorkload(Deployment)} and its siblings decide
     */
    public static RolloutStatus status(HasMetadata workload) {
        return Workloads.status(workload);
    }

    /**
     * Decides what became of a rollout attempt, given the latest object of its workload. Pure: it reads
     * nothing else, so a watching source can call it on every informer event.
     *
     * <ol>
     *   <li>no object: {@link RolloutVerdict.Outcome#DELETED};</li>
     *   <li>{@code metadata.generation} above the target's: {@link RolloutVerdict.Outcome#SUPERSEDED}
     *       ("generation moved to N by another change");</li>
     *   <li>{@code metadata.generation} below the target's (the object was created again):
     *       {@link RolloutVerdict.Outcome#DELETED};</li>
     *   <li>{@code status.observedGeneration} below the target's generation:
     *       {@link RolloutVerdict.Outcome#PROGRESSING} with kubectl's "spec update to be observed" words;</li>
     *   <li>otherwise kubectl's rules ({@link RolloutStatus}) decide; their COMPLETE is
     *       {@link RolloutVerdict.Outcome#SUCCEEDED} only when every expected image matches the template's
     *       container of that name (see {@link ImageReference#matches(ImageReference)}), otherwise
     *       {@link RolloutVerdict.Outcome#FAILED} with a message naming container, expected and actual.</li>
     * </ol>
     *
     * @param latest the latest object, {@code null} when it no longer exists
     * @param target the attempt, not null
     * @return the verdict
     * @throws IllegalArgumentException when {@code latest} is not the target's workload (other kind, name or
     *                                  namespace)
     */
    public static RolloutVerdict evaluate(HasMetadata latest, RolloutTarget target) {
        Objects.requireNonNull(target, "target must not be null");
        if (latest == null) {
            return verdict(RolloutVerdict.Outcome.DELETED, target.describe() + " was deleted");
        }
        checkSameWorkload(latest, target);
        long generation = Workloads.generation(latest);
        if (generation > target.generation()) {
            return verdict(RolloutVerdict.Outcome.SUPERSEDED, target.describe() + ": generation moved to "
                    + generation + " by another change, ours was " + target.generation());
        }
        if (generation < target.generation()) {
            return verdict(RolloutVerdict.Outcome.DELETED, target.describe() + " was deleted and created again:"
                    + " its generation is " + generation + ", below ours (" + target.generation() + ")");
        }
        // kubectl's rules would say the same here; checking it first keeps the rule explicit.
        if (Workloads.observedGeneration(latest) < target.generation()) {
            return verdict(RolloutVerdict.Outcome.PROGRESSING, notObservedMessage(target.kind()));
        }
        RolloutStatus status = Workloads.status(latest);
        return switch (status.state()) {
            case PROGRESSING -> verdict(RolloutVerdict.Outcome.PROGRESSING, status.message());
            case FAILED -> verdict(RolloutVerdict.Outcome.FAILED, status.message());
            case COMPLETE -> {
                List<String> mismatches = imageMismatches(latest, target.expectedImages());
                yield mismatches.isEmpty()
                        ? verdict(RolloutVerdict.Outcome.SUCCEEDED, status.message())
                        : verdict(RolloutVerdict.Outcome.FAILED, status.message() + ", but "
                                + String.join("; ", mismatches));
            }
        };
    }

    private static List<String> imageMismatches(HasMetadata latest, Map<String, String> expectedImages) {
        if (expectedImages.isEmpty()) {
            return List.of();
        }
        Map<String, String> actual = Workloads.images(latest);
        List<String> mismatches = new ArrayList<>();
        expectedImages.forEach((container, expected) -> {
            String image = actual.get(container);
            if (image == null) {
                mismatches.add("container \"" + container + "\" is not in the pod template (expected image \""
                        + expected + "\"), its containers are " + actual.keySet());
            } else if (!sameImage(expected, image)) {
                mismatches.add("container \"" + container + "\" runs image \"" + image + "\", expected \""
                        + expected + "\"");
            }
        });
        return mismatches;
    }

    private static boolean sameImage(String expected, String actual) {
        try {
            return ImageReference.parse(expected).matches(ImageReference.parse(actual));
        } catch (IllegalArgumentException e) {
            // An unparseable image in the template cannot be the expected one.
            return false;
        }
    }

    private static String notObservedMessage(WorkloadKind kind) {
        // kubectl's own words for each kind.
        return switch (kind) {
            case DEPLOYMENT -> "Waiting for deployment spec update to be observed...";
            case STATEFULSET -> "Waiting for statefulset spec update to be observed...";
            case DAEMONSET -> "Waiting for daemon set spec update to be observed...";
        };
    }

    private static void checkSameWorkload(HasMetadata latest, RolloutTarget target) {
        WorkloadKind kind = WorkloadKind.of(latest);
        String name = latest.getMetadata() == null ? null : latest.getMetadata().getName();
        String namespace = latest.getMetadata() == null ? null : latest.getMetadata().getNamespace();
        // An object without a namespace (built by hand) is compared by kind and name only.
        if (kind != target.kind() || !target.name().equals(name)
                || (namespace != null && !target.namespace().equals(namespace))) {
            throw new IllegalArgumentException("object " + kind.word() + " " + namespace + "/" + name
                    + " is not the workload of the target " + target.describe());
        }
    }

    private static void checkArguments(KubernetesClient client, WorkloadKind kind, String namespace, String name) {
        Objects.requireNonNull(client, "client must not be null");
        Objects.requireNonNull(kind, "kind must not be null");
        if (namespace == null || namespace.isBlank()) {
            throw new IllegalArgumentException("namespace must not be blank, got "
                    + (namespace == null ? "null" : "\"" + namespace + "\""));
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("workload name must not be blank, got "
                    + (name == null ? "null" : "\"" + name + "\""));
        }
    }

    private static RolloutVerdict verdict(RolloutVerdict.Outcome outcome, String message) {
        return new RolloutVerdict(outcome, message);
    }
}
