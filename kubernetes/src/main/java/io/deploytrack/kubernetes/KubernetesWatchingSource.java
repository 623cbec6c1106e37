package io.deploytrack.kubernetes;

import io.deploytrack.core.CheckRef;
import io.deploytrack.core.CheckSink;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.Following;
import io.deploytrack.core.InvalidRequestException;
import io.deploytrack.core.WatchingSource;
import io.deploytrack.kubernetes.internal.Logs;
import io.deploytrack.kubernetes.internal.RolloutFollow;
import io.deploytrack.kubernetes.internal.Workloads;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.HttpURLConnection;
import java.time.Clock;
import java.util.Objects;

/**
 * Follows Kubernetes rollouts (Deployment, StatefulSet, DaemonSet) for a {@link DeploymentTracker}: the
 * status source of type {@value #TYPE}.
 *
 * <p>A check's reference is a {@link RolloutTarget} as fields ({@link #ref(RolloutTarget)}): the workload and
 * the {@code metadata.generation} that <em>our</em> update produced. {@link #follow} watches that one
 * workload with a fabric8 informer (which lists and watches again after a 410 Gone or a dropped connection),
 * judges every event with {@link KubernetesRollouts#evaluate} (kubectl's rules) and reports only when the
 * verdict changes:
 * <ul>
 *   <li>progressing: in progress, source status {@code progressing}, kubectl's message;</li>
 *   <li>succeeded: succeeded, ended now by this source's clock;</li>
 *   <li>failed (e.g. progress deadline exceeded): failed with kubectl's message;</li>
 *   <li>superseded (another change moved the generation past ours): cancelled, naming the new generation;</li>
 *   <li>deleted: failed.</li>
 * </ul>
 * The tracker owns the deadline: a rollout without {@code progressDeadlineSeconds} that never ends is ended
 * {@code timed_out} by it.
 *
 * <pre>{@code
 * KubernetesWatchingSource kubernetes = KubernetesWatchingSource.of(client);
 * DeploymentTracker tracker = DeploymentTracker.builder(store).source(kubernetes).build().start();
 * // update an image and track the rollout (KubernetesDeployments changes the cluster, the tracker follows):
 * DeploymentHandle h = KubernetesDeployments.of(kubernetes, tracker).updateImageAndTrack(request,
 *         WorkloadKind.DEPLOYMENT, "shop", "web", "app", "registry.local:5000/web:2.0").join();
 * }</pre>
 *
 * <p>Thread-safe. The informers run on the client's threads; there is no thread per rollout. Methods that
 * read the cluster ({@link #validate}, {@link #currentRef}) block on the API server.
 */
public final class KubernetesWatchingSource implements WatchingSource, AutoCloseable {

    /** The source type stored with each check, and the prefix of the idempotency keys it derives. */
    public static final String TYPE = "kubernetes";
    /**
     * The prefix of the idempotency keys that versions before 0.1 derived ({@value}); rows recorded with it are
     * found through {@link #legacyIdempotencyKey(CheckRef)}.
     */
    public static final String LEGACY_KEY_PREFIX = "k8s:";

    private static final Logger log = LoggerFactory.getLogger(KubernetesWatchingSource.class);

    private final KubernetesClient client;
    private final Clock clock;
    private final boolean verifyOnTrack;
    private final boolean ownsClient;

    /**
     * A source over {@code client} with the defaults: UTC system clock, workload verified on track. The
     * caller keeps ownership of the client.
     *
     * @param client the client, not null
     * @return the source
     */
    public static KubernetesWatchingSource of(KubernetesClient client) {
        return builder(client).build();
    }

    private KubernetesWatchingSource(Builder b) {
        this.client = b.client;
        this.clock = b.clock;
        this.verifyOnTrack = b.verifyOnTrack;
        this.ownsClient = b.ownsClient;
    }

    /**
     * A builder over {@code client}; the caller keeps ownership of the client.
     *
     * @param client the client, not null
     * @return the builder
     */
    public static Builder builder(KubernetesClient client) {
        return new Builder(Objects.requireNonNull(client, "client must not be null"), false);
    }

    /**
     * A source over a client configured as fabric8 finds it: {@code KUBECONFIG} or {@code ~/.kube/config}, or
     * the in-cluster service account. The source owns that client: {@link #close()} closes it.
     *
     * @return the source
     * @throws KubernetesClientException when no configuration can be built
     */
    public static KubernetesWatchingSource fromEnvironment() {
        return new Builder(new KubernetesClientBuilder().build(), true).build();
    }

    /** @return {@value #TYPE} */
    @Override
    public String type() {
        return TYPE;
    }

    /** @return the client this source reads the cluster with */
    public KubernetesClient client() {
        return client;
    }

    /**
     * The reference of a check that follows {@code target}.
     *
     * @param target the attempt, not null
     * @return a reference of type {@value #TYPE} with the target's fields
     */
    public static CheckRef ref(RolloutTarget target) {
        Objects.requireNonNull(target, "target must not be null");
        return new CheckRef(TYPE, target.toFields());
    }

    /**
     * The attempt a reference stands for.
     *
     * @param ref a reference of type {@value #TYPE}, not null
     * @return the target
     * @throws InvalidRequestException naming the bad type or field and what is expected
     */
    public static RolloutTarget target(CheckRef ref) {
        Objects.requireNonNull(ref, "ref must not be null");
        if (!TYPE.equals(ref.type())) {
            throw new InvalidRequestException("ref", "a reference of type '" + ref.type()
                    + "' is not a Kubernetes rollout: expected type '" + TYPE + "'");
        }
        try {
            return RolloutTarget.fromFields(ref.fields());
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("ref", "Kubernetes reference " + ref + " is not valid: "
                    + e.getMessage());
        }
    }

    /**
     * The reference of the workload's rollout as it is now (its current generation), to track a rollout
     * that something else started.
     *
     * @param kind      the workload kind, not null
     * @param namespace the namespace
     * @param name      the workload name
     * @return the reference
     * @throws WorkloadNotFoundException     when the workload does not exist
     * @throws UnfollowableWorkloadException when kubectl could not follow its rollout (OnDelete)
     */
    public CheckRef currentRef(WorkloadKind kind, String namespace, String name) {
        return ref(KubernetesRollouts.current(client, kind, namespace, name));
    }

    /**
     * Checks the reference's fields and, unless disabled with {@link Builder#verifyOnTrack(boolean)}, the live
     * workload: it must exist, its rollout must be followable by kubectl's rules (not OnDelete), and its
     * generation must not be below the reference's. If the API server cannot be asked (unreachable, 5xx),
     * the reference is accepted and the follow reports what it finds.
     *
     * @param ref the reference
     * @throws InvalidRequestException naming what is wrong and what is expected
     */
    @Override
    public void validate(CheckRef ref) {
        RolloutTarget target = target(ref);
        if (!verifyOnTrack) {
            return;
        }
        HasMetadata live;
        try {
            live = Workloads.get(client, target.kind(), target.namespace(), target.name());
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                live = null;
            } else {
                log.warn("kubernetes_validate_lookup_failed kind={} namespace={} name={} http_code={} error={}",
                        target.kind().word(), target.namespace(), target.name(), e.getCode(), Logs.quote(e.getMessage()));
                return;
            }
        }
        if (live == null) {
            throw new InvalidRequestException("ref", target.kind().word() + " \"" + target.name()
                    + "\" not found in namespace \"" + target.namespace() + "\": expected an existing workload");
        }
        try {
            KubernetesRollouts.checkFollowable(live);
        } catch (UnfollowableWorkloadException e) {
            throw new InvalidRequestException("ref", e.getMessage());
        }
        long generation = Workloads.generation(live);
        if (generation < target.generation()) {
            throw new InvalidRequestException("ref", target.describe() + " is at generation " + generation
                    + ", below the reference's generation " + target.generation()
                    + ": expected the generation that our update returned (KubernetesRollouts.setImage or patch)");
        }
    }

    /**
     * @param ref the reference
     * @return {@code kubernetes:{kind}:{namespace}:{name}:{generation}}, e.g. {@code kubernetes:deployment:shop:web:3}
     */
    @Override
    public String idempotencyKey(CheckRef ref) {
        return TYPE + ":" + keySuffix(target(ref));
    }

    /**
     * The idempotency key that earlier versions derived for the same rollout, to find a row they recorded (e.g.
     * before tracking a rollout again, look it up and pass it as the request's key).
     *
     * @param ref the reference
     * @return {@code k8s:{kind}:{namespace}:{name}:{generation}}, e.g. {@code k8s:deployment:shop:web:3}
     */
    public static String legacyIdempotencyKey(CheckRef ref) {
        return LEGACY_KEY_PREFIX + keySuffix(target(ref));
    }

    private static String keySuffix(RolloutTarget t) {
        return t.kind().word() + ":" + t.namespace() + ":" + t.name() + ":" + t.generation();
    }

    /**
     * Starts following the rollout with an informer on its workload; returns at once. The first verdict comes
     * after the informer's first list, including "deleted" when the workload no longer exists.
     *
     * @param ref  a valid reference
     * @param sink where verdict changes go
     * @return the follow; closing it stops the informer
     * @throws InvalidRequestException when the reference is not valid
     */
    @Override
    public Following follow(CheckRef ref, CheckSink sink) {
        Objects.requireNonNull(sink, "sink must not be null");
        return RolloutFollow.start(client, target(ref), sink, clock);
    }

    /** Closes the client if this source created it ({@link #fromEnvironment()}); otherwise does nothing. */
    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }

    /** Configures a {@link KubernetesWatchingSource}. */
    public static final class Builder {
        private final KubernetesClient client;
        private final boolean ownsClient;
        private Clock clock = Clock.systemUTC();
        private boolean verifyOnTrack = true;

        private Builder(KubernetesClient client, boolean ownsClient) {
            this.client = client;
            this.ownsClient = ownsClient;
        }

        /**
         * The clock that stamps when a rollout ended; default UTC system clock. Use the tracker's clock.
         *
         * @param clock the clock, not null
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock must not be null");
            return this;
        }

        /**
         * Whether {@link KubernetesWatchingSource#validate} reads the live workload to refuse a missing or
         * unfollowable one (OnDelete) at track time; default true. Without it, the follow reports such a
         * workload failed instead.
         *
         * @param verify whether to verify
         * @return this builder
         */
        public Builder verifyOnTrack(boolean verify) {
            this.verifyOnTrack = verify;
            return this;
        }

        /** @return the source */
        public KubernetesWatchingSource build() {
            return new KubernetesWatchingSource(this);
        }
    }
}
