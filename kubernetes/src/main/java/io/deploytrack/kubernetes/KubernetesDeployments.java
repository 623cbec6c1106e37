package io.deploytrack.kubernetes;

import io.deploytrack.core.CheckSpec;
import io.deploytrack.core.DeploymentHandle;
import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.InvalidRequestException;
import io.deploytrack.kubernetes.internal.DeployExecutor;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Updates a workload's image and tracks the rollout that update started, in one asynchronous call: the facade over a
 * {@link KubernetesClient} (which changes the cluster) and a {@link DeploymentTracker} (which records and follows the
 * rollout through its {@value KubernetesWatchingSource#TYPE} status source). The source itself only translates what
 * the cluster says.
 *
 * <pre>{@code
 * KubernetesDeployments deployments = KubernetesDeployments.of(kubernetesSource, tracker);
 * DeploymentHandle h = deployments.updateImageAndTrack(request, WorkloadKind.DEPLOYMENT, "shop", "web", "app",
 *         "registry.local:5000/web:2.0").join();
 * }</pre>
 *
 * <p>Every argument is checked by the call itself, before the cluster is read or changed; a refused argument is an
 * {@link InvalidRequestException} naming the value and what is expected. The patch and the record (both block on a
 * server) then run on {@link Builder#executor(Executor) the executor}; the caller never waits.
 *
 * <p>Thread-safe; holds nothing but its client, tracker and executor.
 */
public final class KubernetesDeployments {

    /** Attribute every tracked update records: the new image reference. */
    public static final String ATTRIBUTE_IMAGE = "image";
    /** Attribute every tracked update records: the workload, e.g. {@code deployment shop/web}. */
    public static final String ATTRIBUTE_WORKLOAD = "kubernetes_workload";
    /** Attribute every tracked update records: the {@code metadata.generation} the update produced. */
    public static final String ATTRIBUTE_GENERATION = "kubernetes_generation";

    private final KubernetesClient client;
    private final DeploymentTracker tracker;
    private final Executor executor;

    private KubernetesDeployments(Builder b) {
        this.client = b.client;
        this.tracker = b.tracker;
        this.executor = b.executor != null ? b.executor : DeployExecutor.shared();
    }

    /**
     * A builder over the client that updates workloads and the tracker that records the rollouts.
     *
     * @param client  the Kubernetes client (needs get and patch on the workload kind), not null
     * @param tracker the tracker, with a {@value KubernetesWatchingSource#TYPE} status source registered, not null
     * @return the builder
     */
    public static Builder builder(KubernetesClient client, DeploymentTracker tracker) {
        return new Builder(client, tracker);
    }

    /**
     * The facade with the defaults, on the client of {@code source}.
     *
     * @param source  the Kubernetes status source (registered with the tracker), not null
     * @param tracker the tracker, not null
     * @return the facade
     */
    public static KubernetesDeployments of(KubernetesWatchingSource source, DeploymentTracker tracker) {
        return builder(Objects.requireNonNull(source, "source must not be null").client(), tracker).build();
    }

    /** @return the client workloads are updated with */
    public KubernetesClient client() {
        return client;
    }

    /** @return the tracker rollouts are recorded in */
    public DeploymentTracker tracker() {
        return tracker;
    }

    /**
     * Sets one container's image ({@link KubernetesRollouts#setImage}) and tracks the rollout it started. The request
     * gets the attributes {@value #ATTRIBUTE_IMAGE}, {@value #ATTRIBUTE_WORKLOAD} (e.g. {@code deployment shop/web})
     * and {@value #ATTRIBUTE_GENERATION}; the check is named {@value KubernetesWatchingSource#TYPE}.
     *
     * <p>If the update succeeds but {@code track} then fails (e.g. the store is unreachable), the rollout runs
     * untracked: track {@code KubernetesWatchingSource.ref(target)} again once the cause is fixed, the idempotency key
     * makes it safe.
     *
     * @param request   what is deployed, not null
     * @param kind      the workload kind, not null
     * @param namespace the namespace, a non-blank name
     * @param name      the workload name, a non-blank name
     * @param container the container whose image changes, a non-blank name
     * @param image     the new image reference, e.g. {@code registry.local:5000/web:2.0}
     * @return the tracker's handle, once the update is applied and recorded; fails with
     *         {@link WorkloadNotFoundException} when the workload does not exist, {@link UnfollowableWorkloadException}
     *         when its rollout could not be followed (nothing is changed then), {@link IllegalArgumentException} when
     *         the container does not exist
     * @throws InvalidRequestException when an argument is not usable; nothing is read or changed then
     */
    public CompletableFuture<DeploymentHandle> updateImageAndTrack(DeploymentRequest request, WorkloadKind kind,
                                                                   String namespace, String name, String container,
                                                                   String image) {
        if (request == null) {
            throw new InvalidRequestException("request", "a deployment request is required: "
                    + "DeploymentRequest.builder(owner, repo, commitSha).build()");
        }
        if (kind == null) {
            throw new InvalidRequestException("kind", "a workload kind is required: expected one of "
                    + java.util.Arrays.toString(WorkloadKind.values()));
        }
        requireName("namespace", namespace);
        requireName("name", name);
        requireName("container", container);
        try {
            ImageReference.parse(image);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("image", e.getMessage());
        }
        return CompletableFuture.supplyAsync(() -> {
            RolloutTarget target = KubernetesRollouts.setImage(client, kind, namespace, name, container, image);
            DeploymentRequest withAttributes = request
                    .withAttribute(ATTRIBUTE_IMAGE, image)
                    .withAttribute(ATTRIBUTE_WORKLOAD, target.describe())
                    .withAttribute(ATTRIBUTE_GENERATION, Long.toString(target.generation()));
            return tracker.track(withAttributes, CheckSpec.of(KubernetesWatchingSource.TYPE,
                    KubernetesWatchingSource.ref(target)));
        }, executor);
    }

    private static void requireName(String field, String value) {
        if (value == null || value.isBlank() || !value.equals(value.strip())) {
            throw new InvalidRequestException(field, field + " " + (value == null ? "null" : "\"" + value + "\"")
                    + " is not usable: expected a non-blank Kubernetes name without surrounding spaces, e.g. \"web\"");
        }
    }

    @Override
    public String toString() {
        return "KubernetesDeployments[master=" + client.getMasterUrl() + "]";
    }

    /** Configuration of {@link KubernetesDeployments}. */
    public static final class Builder {
        private final KubernetesClient client;
        private final DeploymentTracker tracker;
        private Executor executor;

        private Builder(KubernetesClient client, DeploymentTracker tracker) {
            this.client = Objects.requireNonNull(client, "client must not be null");
            this.tracker = Objects.requireNonNull(tracker, "tracker must not be null");
        }

        /**
         * @param executor where the update (a call to the API server) and the record (a store write) run; default a
         *                 small shared pool of daemon threads that end when idle
         * @return this builder
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor must not be null");
            return this;
        }

        /** @return the facade */
        public KubernetesDeployments build() {
            return new KubernetesDeployments(this);
        }
    }
}
