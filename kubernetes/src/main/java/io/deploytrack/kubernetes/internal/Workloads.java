package io.deploytrack.kubernetes.internal;

import io.deploytrack.kubernetes.RolloutStatus;
import io.deploytrack.kubernetes.WorkloadKind;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.dsl.Resource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Uniform access to the three workload kinds, whose fabric8 types share no interface for spec and status.
 * Not part of the public API.
 */
public final class Workloads {

    private Workloads() {
    }

    /**
     * Reads a workload.
     *
     * @param client    the client
     * @param kind      the workload kind
     * @param namespace the namespace
     * @param name      the workload name
     * @return the workload, or {@code null} when it does not exist
     */
    public static HasMetadata get(KubernetesClient client, WorkloadKind kind, String namespace, String name) {
        return resource(client, kind, namespace, name).get();
    }

    /**
     * Applies {@code edit} to the current workload and sends the change as a patch.
     *
     * @param client    the client
     * @param kind      the workload kind
     * @param namespace the namespace
     * @param name      the workload name
     * @param edit      the change; receives and returns the object of {@code kind}'s type
     * @return the workload as the server returned it after this update
     */
    public static HasMetadata edit(KubernetesClient client, WorkloadKind kind, String namespace, String name,
                                   UnaryOperator<HasMetadata> edit) {
        return switch (kind) {
            case DEPLOYMENT -> client.apps().deployments().inNamespace(namespace).withName(name)
                    .edit(d -> as(Deployment.class, edit.apply(d)));
            case STATEFULSET -> client.apps().statefulSets().inNamespace(namespace).withName(name)
                    .edit(s -> as(StatefulSet.class, edit.apply(s)));
            case DAEMONSET -> client.apps().daemonSets().inNamespace(namespace).withName(name)
                    .edit(ds -> as(DaemonSet.class, edit.apply(ds)));
        };
    }

    /**
     * The one named workload as something an informer can follow: the list and watch carry a
     * {@code metadata.name} field selector, so the informer caches this object only.
     *
     * @param client    the client
     * @param kind      the workload kind
     * @param namespace the namespace
     * @param name      the workload name
     * @return the informable operation
     */
    public static Informable<? extends HasMetadata> informable(KubernetesClient client, WorkloadKind kind,
                                                               String namespace, String name) {
        return switch (kind) {
            case DEPLOYMENT -> client.apps().deployments().inNamespace(namespace).withName(name);
            case STATEFULSET -> client.apps().statefulSets().inNamespace(namespace).withName(name);
            case DAEMONSET -> client.apps().daemonSets().inNamespace(namespace).withName(name);
        };
    }

    /**
     * @param kind the workload kind
     * @return the API resource name for RBAC rules and messages, e.g. {@code deployments.apps}
     */
    public static String resourceName(WorkloadKind kind) {
        return switch (kind) {
            case DEPLOYMENT -> "deployments.apps";
            case STATEFULSET -> "statefulsets.apps";
            case DAEMONSET -> "daemonsets.apps";
        };
    }

    private static Resource<? extends HasMetadata> resource(KubernetesClient client, WorkloadKind kind,
                                                            String namespace, String name) {
        return switch (kind) {
            case DEPLOYMENT -> client.apps().deployments().inNamespace(namespace).withName(name);
            case STATEFULSET -> client.apps().statefulSets().inNamespace(namespace).withName(name);
            case DAEMONSET -> client.apps().daemonSets().inNamespace(namespace).withName(name);
        };
    }

    private static <T extends HasMetadata> T as(Class<T> type, HasMetadata edited) {
        if (edited == null) {
            throw new IllegalArgumentException("the edit function returned null, expected the edited "
                    + type.getSimpleName());
        }
        if (!type.isInstance(edited)) {
            throw new IllegalArgumentException("the edit function returned a " + edited.getClass().getName()
                    + ", expected the edited " + type.getSimpleName());
        }
        return type.cast(edited);
    }

    /**
     * @param workload a Deployment, StatefulSet or DaemonSet
     * @return the pod template, {@code null} when absent
     */
    public static PodTemplateSpec template(HasMetadata workload) {
        return switch (WorkloadKind.of(workload)) {
            case DEPLOYMENT -> {
                Deployment d = (Deployment) workload;
                yield d.getSpec() == null ? null : d.getSpec().getTemplate();
            }
            case STATEFULSET -> {
                StatefulSet s = (StatefulSet) workload;
                yield s.getSpec() == null ? null : s.getSpec().getTemplate();
            }
            case DAEMONSET -> {
                DaemonSet ds = (DaemonSet) workload;
                yield ds.getSpec() == null ? null : ds.getSpec().getTemplate();
            }
        };
    }

    /**
     * The containers of the pod template, init containers included: names are unique across both,
     * and {@code kubectl set image} changes either.
     *
     * @param workload a Deployment, StatefulSet or DaemonSet
     * @return the containers, possibly empty, never null
     */
    public static List<Container> containers(HasMetadata workload) {
        PodTemplateSpec template = template(workload);
        PodSpec spec = template == null ? null : template.getSpec();
        List<Container> all = new ArrayList<>();
        if (spec != null) {
            if (spec.getContainers() != null) {
                all.addAll(spec.getContainers());
            }
            if (spec.getInitContainers() != null) {
                all.addAll(spec.getInitContainers());
            }
        }
        return all;
    }

    /**
     * @param workload a Deployment, StatefulSet or DaemonSet
     * @return container name to image, in template order, for containers that have both
     */
    public static Map<String, String> images(HasMetadata workload) {
        Map<String, String> images = new LinkedHashMap<>();
        for (Container c : containers(workload)) {
            if (c.getName() != null && c.getImage() != null) {
                images.put(c.getName(), c.getImage());
            }
        }
        return images;
    }

    /**
     * @param workload a Deployment, StatefulSet or DaemonSet
     * @return {@code status.observedGeneration}, 0 when absent
     */
    public static long observedGeneration(HasMetadata workload) {
        Long observed = switch (WorkloadKind.of(workload)) {
            case DEPLOYMENT -> {
                Deployment d = (Deployment) workload;
                yield d.getStatus() == null ? null : d.getStatus().getObservedGeneration();
            }
            case STATEFULSET -> {
                StatefulSet s = (StatefulSet) workload;
                yield s.getStatus() == null ? null : s.getStatus().getObservedGeneration();
            }
            case DAEMONSET -> {
                DaemonSet ds = (DaemonSet) workload;
                yield ds.getStatus() == null ? null : ds.getStatus().getObservedGeneration();
            }
        };
        return observed == null ? 0 : observed;
    }

    /**
     * @param workload any object
     * @return {@code metadata.generation}, 0 when absent
     */
    public static long generation(HasMetadata workload) {
        Long generation = workload.getMetadata() == null ? null : workload.getMetadata().getGeneration();
        return generation == null ? 0 : generation;
    }

    /**
     * The update strategy type of a StatefulSet or DaemonSet ({@code spec.updateStrategy.type}), or of a
     * Deployment ({@code spec.strategy.type}).
     *
     * @param workload a Deployment, StatefulSet or DaemonSet
     * @return the type, {@code null} when absent
     */
    public static String strategyType(HasMetadata workload) {
        return switch (WorkloadKind.of(workload)) {
            case DEPLOYMENT -> {
                Deployment d = (Deployment) workload;
                yield d.getSpec() == null || d.getSpec().getStrategy() == null ? null
                        : d.getSpec().getStrategy().getType();
            }
            case STATEFULSET -> {
                StatefulSet s = (StatefulSet) workload;
                yield s.getSpec() == null || s.getSpec().getUpdateStrategy() == null ? null
                        : s.getSpec().getUpdateStrategy().getType();
            }
            case DAEMONSET -> {
                DaemonSet ds = (DaemonSet) workload;
                yield ds.getSpec() == null || ds.getSpec().getUpdateStrategy() == null ? null
                        : ds.getSpec().getUpdateStrategy().getType();
            }
        };
    }

    /**
     * @param workload a Deployment, StatefulSet or DaemonSet
     * @return kubectl's rollout status of the workload
     */
    public static RolloutStatus status(HasMetadata workload) {
        return switch (WorkloadKind.of(workload)) {
            case DEPLOYMENT -> RolloutStatus.ofWorkload((Deployment) workload);
            case STATEFULSET -> RolloutStatus.ofWorkload((StatefulSet) workload);
            case DAEMONSET -> RolloutStatus.ofWorkload((DaemonSet) workload);
        };
    }
}
