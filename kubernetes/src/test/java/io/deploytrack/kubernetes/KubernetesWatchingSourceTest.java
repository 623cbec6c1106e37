package io.deploytrack.kubernetes;

import io.deploytrack.core.CheckRef;
import io.deploytrack.core.CheckSpec;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.DeploymentEvent;
import io.deploytrack.core.DeploymentHandle;
import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.HistoryQuery;
import io.deploytrack.core.InvalidRequestException;
import io.deploytrack.core.TrackerClosedException;
import io.deploytrack.jdbc.JdbcHistoryStore;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Kubernetes source under the real tracker, over a real SQLite file, against fabric8's mock API server in
 * CRUD mode. The mock runs no controllers: each test writes {@code status} through the status subresource the
 * way the workload controller would, and waits for the tracker to store what the informer saw.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class KubernetesWatchingSourceTest {

    private static final Logger log = LoggerFactory.getLogger(KubernetesWatchingSourceTest.class);
    static final String NS = "shop";
    static final Duration WAIT = Duration.ofSeconds(10);

    // Static: one mock server for the whole class; every test starts from an empty namespace.
    static KubernetesClient client;
    static KubernetesMockServer server;

    @TempDir
    Path dir;
    JdbcHistoryStore store;
    KubernetesWatchingSource source;
    DeploymentTracker tracker;

    @BeforeEach
    void setUp() {
        client.apps().deployments().inNamespace(NS).delete();
        client.apps().statefulSets().inNamespace(NS).delete();
        client.apps().daemonSets().inNamespace(NS).delete();
        drainRecordedRequests();
        store = JdbcHistoryStore.sqlite(dir.resolve("deploytrack.db"));
        source = KubernetesWatchingSource.of(client);
        tracker = tracker(store, source);
    }

    @AfterEach
    void tearDown() {
        tracker.close();
        store.close();
    }

    static DeploymentTracker tracker(JdbcHistoryStore store, KubernetesWatchingSource source) {
        return DeploymentTracker.builder(store).source(source).discoverSources(false)
                .defaultTimeout(Duration.ofSeconds(30)).build().start();
    }

    static DeploymentRequest request(String sha) {
        return DeploymentRequest.builder().owner("acme").repo("shop-web").environment("production")
                .commitSha(sha).build();
    }

    // ---------------------------------------------------------------- workloads and controller writes

    static void createDeployment(String name, int replicas, String image) {
        client.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withReplicas(replicas)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewStrategy().withType("RollingUpdate").endStrategy()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec()
                .addNewContainer().withName("app").withImage(image).endContainer()
                .addNewContainer().withName("proxy").withImage("envoyproxy/envoy:v1.30").endContainer()
                .endSpec().endTemplate()
                .endSpec()
                .build()).create();
    }

    static io.fabric8.kubernetes.api.model.apps.DeploymentStatus status(long observed, int replicas, int updated,
                                                                          int available, DeploymentCondition... extra) {
        DeploymentStatusBuilder b = new DeploymentStatusBuilder().withObservedGeneration(observed)
                .withReplicas(replicas).withUpdatedReplicas(updated).withAvailableReplicas(available)
                .withReadyReplicas(available);
        for (DeploymentCondition c : extra) {
            b.addToConditions(c);
        }
        return b.build();
    }

    static DeploymentCondition condition(String type, String status, String reason) {
        return new DeploymentConditionBuilder().withType(type).withStatus(status).withReason(reason).build();
    }

    static final DeploymentCondition AVAILABLE = condition("Available", "True", "MinimumReplicasAvailable");
    static final DeploymentCondition PROGRESSING = condition("Progressing", "True", "ReplicaSetUpdated");

    /** Writes the Deployment's status as the deployment controller would, through the status subresource. */
    static void controllerWrites(String name, io.fabric8.kubernetes.api.model.apps.DeploymentStatus status) {
        client.apps().deployments().inNamespace(NS).withName(name).editStatus(d -> {
            d.setStatus(status);
            return d;
        });
    }

    static void controllerWrites(String name, StatefulSetStatus status) {
        client.apps().statefulSets().inNamespace(NS).withName(name).editStatus(s -> {
            s.setStatus(status);
            return s;
        });
    }

    static void controllerWrites(String name, DaemonSetStatus status) {
        client.apps().daemonSets().inNamespace(NS).withName(name).editStatus(ds -> {
            ds.setStatus(status);
            return ds;
        });
    }

    static StatefulSet statefulSet(String name, String strategy) {
        return new StatefulSetBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withReplicas(2).withServiceName(name)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewUpdateStrategy().withType(strategy).endUpdateStrategy()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("postgres").withImage("postgres:16.3").endContainer()
                .endSpec().endTemplate()
                .endSpec()
                .build();
    }

    static DaemonSet daemonSet(String name) {
        return new DaemonSetBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec()
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewUpdateStrategy().withType("RollingUpdate").endUpdateStrategy()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("agent").withImage("agent:1").endContainer()
                .endSpec().endTemplate()
                .endSpec()
                .build();
    }

    static void drainRecordedRequests() {
        try {
            while (server.takeRequest(1, TimeUnit.MILLISECONDS) != null) {
                // Older tests' requests: awaitWatchRequest must see only this test's.
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits until the informer has asked to watch {@code name}. The CRUD mock replays the current objects when a
     * watch opens, but not a deletion that happened before it: a real API server would replay it from the
     * listed resourceVersion.
     */
    static void awaitWatchRequest(String name) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() - deadline < 0) {
            var request = server.takeRequest(100, TimeUnit.MILLISECONDS);
            if (request != null && request.getPath().contains("watch=true")
                    && request.getPath().contains("metadata.name%3D" + name + "&")) {
                return;
            }
        }
        throw new AssertionError("no watch request for " + name + " within " + WAIT);
    }

    // ---------------------------------------------------------------- store observations

    DeploymentCheck storedCheck(long id) {
        return store.find(id).orElseThrow().check(KubernetesWatchingSource.TYPE).orElseThrow();
    }

    /** Waits until the stored check carries {@code message}: the tracker committed what the informer saw. */
    void awaitStoredMessage(long id, String message) {
        Await.until(WAIT, "stored check message \"" + message + "\"", () -> storedCheck(id),
                () -> message.equals(storedCheck(id).message()));
    }

    static Deployment done(DeploymentHandle h) throws Exception {
        return h.completion().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    // ---------------------------------------------------------------- tests

    @Test
    void anImageUpdateEndsSuccessOnlyAtKubectlsLastState() throws Exception {
        createDeployment("web", 3, "registry.local:5000/web:1.0");
        controllerWrites("web", status(1, 3, 3, 3, AVAILABLE, PROGRESSING));

        DeploymentHandle h = KubernetesDeployments.of(source, tracker).updateImageAndTrack(request("a1b2c3d"), WorkloadKind.DEPLOYMENT, NS,
                "web", "app", "registry.local:5000/web:2.0").join();

        assertThat(h.created()).isTrue();
        assertThat(h.deployment().idempotencyKey()).isEqualTo("kubernetes:deployment:shop:web:2");
        assertThat(h.deployment().attributes()).containsEntry("image", "registry.local:5000/web:2.0")
                .containsEntry("kubernetes_generation", "2")
                .containsEntry("kubernetes_workload", "deployment shop/web");
        assertThat(h.deployment().check("kubernetes").orElseThrow().ref())
                .isEqualTo(CheckRef.of("kubernetes", "kind", "deployment", "namespace", NS, "name", "web",
                        "generation", "2", "image.app", "registry.local:5000/web:2.0",
                        "image.proxy", "envoyproxy/envoy:v1.30"));
        // The old rollout's numbers look done, but the controller has not observed our generation yet.
        awaitStoredMessage(h.id(), "Waiting for deployment spec update to be observed...");

        // The controller's successive states during a rolling update of 3 replicas with surge 1; the
        // Deployment is Available=True all along.
        Map<io.fabric8.kubernetes.api.model.apps.DeploymentStatus, String> states = new java.util.LinkedHashMap<>();
        states.put(status(2, 4, 1, 3, AVAILABLE, PROGRESSING),
                "Waiting for deployment \"web\" rollout to finish: 1 out of 3 new replicas have been updated...");
        states.put(status(2, 4, 2, 3, AVAILABLE, PROGRESSING),
                "Waiting for deployment \"web\" rollout to finish: 2 out of 3 new replicas have been updated...");
        states.put(status(2, 4, 3, 3, AVAILABLE, PROGRESSING),
                "Waiting for deployment \"web\" rollout to finish: 1 old replicas are pending termination...");
        states.put(status(2, 3, 3, 2, AVAILABLE, PROGRESSING),
                "Waiting for deployment \"web\" rollout to finish: 2 of 3 updated replicas are available...");
        for (var state : states.entrySet()) {
            controllerWrites("web", state.getKey());
            awaitStoredMessage(h.id(), state.getValue());
            assertThat(h.completion()).as("not done at: %s", state.getValue()).isNotDone();
            DeploymentCheck check = storedCheck(h.id());
            assertThat(check.status()).isEqualTo(DeploymentStatus.RUNNING);
            assertThat(check.lastSourceStatus()).isEqualTo("progressing");
            assertThat(store.find(h.id()).orElseThrow().status()).isEqualTo(DeploymentStatus.RUNNING);
        }

        long written = System.nanoTime();
        controllerWrites("web", status(2, 3, 3, 3, AVAILABLE, PROGRESSING));
        Deployment d = done(h);
        long detectMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - written);
        System.out.println("k8s_detect_ms=" + detectMs);
        log.info("kubernetes_rollout_detect_time detect_ms={} deployment_id={}", detectMs, d.id());

        assertThat(d.status()).isEqualTo(DeploymentStatus.SUCCESS);
        assertThat(d.deployedAt()).isNotNull();
        Deployment stored = store.find(h.id()).orElseThrow();
        assertThat(stored.status()).isEqualTo(DeploymentStatus.SUCCESS);
        DeploymentCheck check = stored.check("kubernetes").orElseThrow();
        assertThat(check.status()).isEqualTo(DeploymentStatus.SUCCESS);
        assertThat(check.lastSourceStatus()).isEqualTo("succeeded");
        assertThat(check.message()).isEqualTo("deployment \"web\" successfully rolled out");
    }

    @Test
    void progressDeadlineExceededEndsFailedWithKubectlsMessage() throws Exception {
        createDeployment("web", 3, "web:1");
        DeploymentHandle h = KubernetesDeployments.of(source, tracker).updateImageAndTrack(request("b2c3d4e"), WorkloadKind.DEPLOYMENT, NS,
                "web", "app", "web:2").join();
        controllerWrites("web", status(2, 4, 1, 3, AVAILABLE, PROGRESSING));
        awaitStoredMessage(h.id(),
                "Waiting for deployment \"web\" rollout to finish: 1 out of 3 new replicas have been updated...");

        controllerWrites("web", status(2, 4, 1, 3, AVAILABLE,
                condition("Progressing", "False", "ProgressDeadlineExceeded")));

        Deployment d = done(h);
        assertThat(d.status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(d.errorStage()).isEqualTo("kubernetes");
        assertThat(d.errorMessage()).isEqualTo("deployment \"web\" exceeded its progress deadline");
        assertThat(storedCheck(d.id()).lastSourceStatus()).isEqualTo("failed");
        assertThat(store.find(d.id()).orElseThrow().status()).isEqualTo(DeploymentStatus.FAILED);
    }

    @Test
    void aSecondImageChangeCancelsOursNamingTheNewGeneration() throws Exception {
        createDeployment("web", 2, "web:1");
        DeploymentHandle ours = KubernetesDeployments.of(source, tracker).updateImageAndTrack(request("c3d4e5f"), WorkloadKind.DEPLOYMENT,
                NS, "web", "app", "web:2").join();
        controllerWrites("web", status(2, 3, 1, 2, AVAILABLE, PROGRESSING));
        awaitStoredMessage(ours.id(),
                "Waiting for deployment \"web\" rollout to finish: 1 out of 2 new replicas have been updated...");

        DeploymentHandle theirs = KubernetesDeployments.of(source, tracker).updateImageAndTrack(request("d4e5f60"), WorkloadKind.DEPLOYMENT,
                NS, "web", "app", "web:3").join();

        Deployment cancelled = done(ours);
        assertThat(cancelled.status()).isEqualTo(DeploymentStatus.CANCELLED);
        assertThat(cancelled.errorMessage())
                .isEqualTo("deployment shop/web: generation moved to 3 by another change, ours was 2");
        assertThat(storedCheck(ours.id()).lastSourceStatus()).isEqualTo("superseded");

        // The newer rollout is followed on the same workload and completes by itself.
        assertThat(theirs.deployment().attributes()).containsEntry("kubernetes_generation", "3");
        controllerWrites("web", status(3, 2, 2, 2, AVAILABLE, PROGRESSING));
        assertThat(done(theirs).status()).isEqualTo(DeploymentStatus.SUCCESS);
        assertThat(store.find(ours.id()).orElseThrow().status()).as("a terminal row never changes")
                .isEqualTo(DeploymentStatus.CANCELLED);
    }

    @Test
    void deletingTheDeploymentEndsItFailed() throws Exception {
        createDeployment("web", 2, "web:1");
        DeploymentHandle h = KubernetesDeployments.of(source, tracker).updateImageAndTrack(request("e5f6071"), WorkloadKind.DEPLOYMENT, NS,
                "web", "app", "web:2").join();
        awaitStoredMessage(h.id(), "Waiting for deployment spec update to be observed...");
        awaitWatchRequest("web");
        controllerWrites("web", status(2, 3, 1, 2, AVAILABLE, PROGRESSING));
        awaitStoredMessage(h.id(),
                "Waiting for deployment \"web\" rollout to finish: 1 out of 2 new replicas have been updated...");

        client.apps().deployments().inNamespace(NS).withName("web").delete();

        Deployment d = done(h);
        assertThat(d.status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(d.errorMessage()).isEqualTo("deployment shop/web was deleted");
        assertThat(storedCheck(d.id()).lastSourceStatus()).isEqualTo("deleted");
    }

    @Test
    void aStatefulSetRolloutEndsSuccess() throws Exception {
        client.apps().statefulSets().inNamespace(NS).resource(statefulSet("db", "RollingUpdate")).create();
        DeploymentHandle h = KubernetesDeployments.of(source, tracker).updateImageAndTrack(request("f607182"), WorkloadKind.STATEFULSET, NS,
                "db", "postgres", "postgres:16.4").join();
        assertThat(h.deployment().idempotencyKey()).isEqualTo("kubernetes:statefulset:shop:db:2");
        awaitStoredMessage(h.id(), "Waiting for statefulset spec update to be observed...");

        controllerWrites("db", new StatefulSetStatusBuilder().withObservedGeneration(2L).withReplicas(2)
                .withReadyReplicas(2).withUpdatedReplicas(1).withCurrentReplicas(1)
                .withCurrentRevision("db-1").withUpdateRevision("db-2").build());
        awaitStoredMessage(h.id(), "waiting for statefulset rolling update to complete 1 pods at revision db-2...");
        assertThat(h.completion()).isNotDone();

        controllerWrites("db", new StatefulSetStatusBuilder().withObservedGeneration(2L).withReplicas(2)
                .withReadyReplicas(2).withUpdatedReplicas(2).withCurrentReplicas(2)
                .withCurrentRevision("db-2").withUpdateRevision("db-2").build());

        Deployment d = done(h);
        assertThat(d.status()).isEqualTo(DeploymentStatus.SUCCESS);
        assertThat(storedCheck(d.id()).message()).isEqualTo("statefulset rolling update complete 2 pods at revision db-2...");
    }

    @Test
    void aDaemonSetRolloutEndsSuccess() throws Exception {
        client.apps().daemonSets().inNamespace(NS).resource(daemonSet("agent")).create();
        DeploymentHandle h = KubernetesDeployments.of(source, tracker).updateImageAndTrack(request("0718293"), WorkloadKind.DAEMONSET, NS,
                "agent", "agent", "agent:2").join();
        awaitStoredMessage(h.id(), "Waiting for daemon set spec update to be observed...");

        controllerWrites("agent", new DaemonSetStatusBuilder().withObservedGeneration(2L)
                .withDesiredNumberScheduled(3).withUpdatedNumberScheduled(3).withNumberAvailable(2).build());
        awaitStoredMessage(h.id(), "Waiting for daemon set \"agent\" rollout to finish: 2 of 3 updated pods are available...");
        assertThat(h.completion()).isNotDone();

        controllerWrites("agent", new DaemonSetStatusBuilder().withObservedGeneration(2L)
                .withDesiredNumberScheduled(3).withUpdatedNumberScheduled(3).withNumberAvailable(3).build());

        Deployment d = done(h);
        assertThat(d.status()).isEqualTo(DeploymentStatus.SUCCESS);
        assertThat(storedCheck(d.id()).message()).isEqualTo("daemon set \"agent\" successfully rolled out");
    }

    @Test
    void anOnDeleteWorkloadIsRefusedAtTrackTimeAndNothingIsRecorded() throws Exception {
        client.apps().statefulSets().inNamespace(NS).resource(statefulSet("db", "OnDelete")).create();
        CheckRef ref = KubernetesWatchingSource.ref(RolloutTarget.of(WorkloadKind.STATEFULSET, NS, "db", 1));

        assertThatThrownBy(() -> tracker.track(request("1829304"), CheckSpec.of(ref)))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("statefulset shop/db uses update strategy OnDelete")
                .hasMessageContaining("rollout status is only available for RollingUpdate strategy type");
        assertThat(store.list(HistoryQuery.all(100))).isEmpty();

        // Without the check at track time (or on resume), the follow ends it failed with the same words,
        // without waiting for the deadline.
        KubernetesWatchingSource unverified = KubernetesWatchingSource.builder(client).verifyOnTrack(false).build();
        try (DeploymentTracker other = tracker(store, unverified)) {
            Deployment d = done(other.track(request("1829304"), CheckSpec.of(ref)));
            assertThat(d.status()).isEqualTo(DeploymentStatus.FAILED);
            assertThat(d.errorMessage()).contains("OnDelete")
                    .contains("rollout status is only available for RollingUpdate strategy type");
        }
    }

    @Test
    void trackingRefusesBadReferencesNamingTheProblem() {
        createDeployment("web", 1, "web:1");
        assertThatThrownBy(() -> tracker.track(request("2930415"), CheckRef.of("kubernetes", "kind", "deployment",
                "namespace", NS, "name", "web")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("field \"generation\" is missing");
        assertThatThrownBy(() -> tracker.track(request("2930415"), CheckRef.of("kubernetes", "kind", "cronjob",
                "namespace", NS, "name", "web", "generation", "1")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("unknown workload kind \"cronjob\"");
        assertThatThrownBy(() -> tracker.track(request("2930415"), KubernetesWatchingSource.ref(
                RolloutTarget.of(WorkloadKind.DEPLOYMENT, NS, "nope", 1))))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("deployment \"nope\" not found in namespace \"shop\": expected an existing workload");
        assertThatThrownBy(() -> tracker.track(request("2930415"), KubernetesWatchingSource.ref(
                RolloutTarget.of(WorkloadKind.DEPLOYMENT, NS, "web", 7))))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("deployment shop/web is at generation 1, below the reference's generation 7");
        assertThatThrownBy(() -> KubernetesWatchingSource.target(CheckRef.of("ncp", "projectId", "7")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("type 'ncp' is not a Kubernetes rollout");
        assertThat(store.list(HistoryQuery.all(100))).isEmpty();
    }

    @Test
    void refsRoundTripAndTrackingTheSameRolloutTwiceKeepsOneRow() throws Exception {
        createDeployment("web", 1, "web:1");
        RolloutTarget target = KubernetesRollouts.setImage(client, WorkloadKind.DEPLOYMENT, NS, "web", "app",
                "registry.local:5000/web@sha256:" + "ab".repeat(32));
        CheckRef ref = KubernetesWatchingSource.ref(target);
        assertThat(KubernetesWatchingSource.target(ref)).isEqualTo(target);
        assertThat(source.idempotencyKey(ref)).isEqualTo("kubernetes:deployment:shop:web:2");
        assertThat(source.currentRef(WorkloadKind.DEPLOYMENT, NS, "web")).isEqualTo(ref);

        DeploymentHandle first = tracker.track(request("3a41526"), ref);
        DeploymentHandle again = tracker.track(request("3a41526"), ref);
        assertThat(again.created()).isFalse();
        assertThat(again.id()).isEqualTo(first.id());

        controllerWrites("web", status(2, 1, 1, 1, AVAILABLE, PROGRESSING));
        assertThat(done(first).status()).isEqualTo(DeploymentStatus.SUCCESS);
        assertThat(store.list(HistoryQuery.all(100))).hasSize(1);
    }

    @Test
    void aNewTrackerOnTheSameSqliteFileCompletesARolloutLeftRunning() throws Exception {
        createDeployment("web", 2, "web:1");
        DeploymentHandle h = KubernetesDeployments.of(source, tracker).updateImageAndTrack(request("4b52637"), WorkloadKind.DEPLOYMENT, NS,
                "web", "app", "web:2").join();
        controllerWrites("web", status(2, 3, 1, 2, AVAILABLE, PROGRESSING));
        awaitStoredMessage(h.id(),
                "Waiting for deployment \"web\" rollout to finish: 1 out of 2 new replicas have been updated...");

        tracker.close();
        assertThatThrownBy(() -> h.completion().get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TrackerClosedException.class);
        store.close();

        // Another process: a new store on the same file, a new source, a new tracker.
        store = JdbcHistoryStore.sqlite(dir.resolve("deploytrack.db"));
        assertThat(store.find(h.id()).orElseThrow().status()).isEqualTo(DeploymentStatus.RUNNING);
        source = KubernetesWatchingSource.of(client);
        tracker = tracker(store, source);
        assertThat(tracker.inFlight()).as("resumed from the stored reference").isEqualTo(1);
        var completion = tracker.awaitCompletion(h.id());
        // The resumed follow reads the state as it is now.
        awaitStoredMessage(h.id(),
                "Waiting for deployment \"web\" rollout to finish: 1 out of 2 new replicas have been updated...");

        controllerWrites("web", status(2, 2, 2, 2, AVAILABLE, PROGRESSING));

        Deployment d = completion.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(d.status()).isEqualTo(DeploymentStatus.SUCCESS);
        assertThat(store.find(h.id()).orElseThrow().status()).isEqualTo(DeploymentStatus.SUCCESS);
        Optional<DeploymentEvent> resumed = store.events(h.id()).stream()
                .filter(e -> e.type().equals("resumed")).findFirst();
        assertThat(resumed).isPresent();
    }

    @Test
    void updateImageAndTrackRefusesBadArgumentsBeforeTouchingTheCluster() {
        createDeployment("web", 2, "web:1");
        KubernetesDeployments deployments = KubernetesDeployments.of(source, tracker);

        assertThatThrownBy(() -> deployments.updateImageAndTrack(null, WorkloadKind.DEPLOYMENT, NS, "web", "app",
                "web:2")).isInstanceOf(InvalidRequestException.class).hasMessageContaining("DeploymentRequest.builder");
        assertThatThrownBy(() -> deployments.updateImageAndTrack(request("1a2b3c4"), null, NS, "web", "app", "web:2"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("workload kind");
        assertThatThrownBy(() -> deployments.updateImageAndTrack(request("1a2b3c4"), WorkloadKind.DEPLOYMENT, " ",
                "web", "app", "web:2")).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("namespace \" \"");
        assertThatThrownBy(() -> deployments.updateImageAndTrack(request("1a2b3c4"), WorkloadKind.DEPLOYMENT, NS,
                "web", "", "web:2")).isInstanceOf(InvalidRequestException.class).hasMessageContaining("container");
        assertThatThrownBy(() -> deployments.updateImageAndTrack(request("1a2b3c4"), WorkloadKind.DEPLOYMENT, NS,
                "web", "app", "Web:2 latest")).isInstanceOf(InvalidRequestException.class)
                .satisfies(e -> assertThat(((InvalidRequestException) e).field()).isEqualTo("image"));

        assertThat(client.apps().deployments().inNamespace(NS).withName("web").get().getMetadata().getGeneration())
                .as("nothing was patched").isEqualTo(1L);
        assertThat(store.list(HistoryQuery.all(10))).isEmpty();
    }

    @Test
    void updateImageAndTrackReturnsAtOnceAndPatchesAndRecordsOnItsExecutor() throws Exception {
        createDeployment("web", 2, "web:1");
        java.util.List<Runnable> queued = new java.util.concurrent.CopyOnWriteArrayList<>();
        KubernetesDeployments deployments = KubernetesDeployments.builder(client, tracker).executor(queued::add).build();

        var started = deployments.updateImageAndTrack(request("2b3c4d5"), WorkloadKind.DEPLOYMENT, NS, "web", "app",
                "web:2");

        assertThat(started).isNotDone();
        assertThat(queued).hasSize(1);
        assertThat(client.apps().deployments().inNamespace(NS).withName("web").get().getMetadata().getGeneration())
                .isEqualTo(1L);
        queued.forEach(Runnable::run);
        DeploymentHandle h = started.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(h.deployment().attributes()).containsEntry(KubernetesDeployments.ATTRIBUTE_GENERATION, "2")
                .containsEntry(KubernetesDeployments.ATTRIBUTE_WORKLOAD, "deployment shop/web")
                .containsEntry(KubernetesDeployments.ATTRIBUTE_IMAGE, "web:2");
        assertThat(client.apps().deployments().inNamespace(NS).withName("web").get().getMetadata().getGeneration())
                .isEqualTo(2L);

        // A workload that does not exist fails the future, not the caller; nothing is recorded.
        var missing = KubernetesDeployments.of(source, tracker).updateImageAndTrack(request("3c4d5e6"),
                WorkloadKind.DEPLOYMENT, NS, "nope", "app", "web:2");
        assertThatThrownBy(() -> missing.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(WorkloadNotFoundException.class);
        assertThat(store.list(HistoryQuery.all(10))).hasSize(1);
    }
}
