package io.deploytrack.benchmarks.k8s;

import io.deploytrack.benchmarks.Figure;
import io.deploytrack.benchmarks.Percentiles;
import io.deploytrack.benchmarks.Work;
import io.deploytrack.benchmarks.store.SqliteFiles;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.DeploymentHandle;
import io.deploytrack.core.DeploymentListener;
import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.jdbc.JdbcHistoryStore;
import io.deploytrack.kubernetes.KubernetesDeployments;
import io.deploytrack.kubernetes.KubernetesWatchingSource;
import io.deploytrack.kubernetes.WorkloadKind;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code k8s.detect}: {@code rollouts} Deployments on fabric8's mock API server in CRUD mode (started here, no
 * controllers: the benchmark writes {@code status} through the status subresource as the deployment controller
 * would), each updated to a new image and tracked by the real tracker with {@link KubernetesWatchingSource} into
 * SQLite, all followed at once. Then, one rollout at a time, the controller's final status is written; measured:
 * from just before that write to the moment the tracker's {@code onCompleted} ran (it runs after the commit).
 */
public final class K8sDetect {
    private static final String NS = "bench";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final DeploymentCondition AVAILABLE = condition("Available", "True", "MinimumReplicasAvailable");
    private static final DeploymentCondition PROGRESSING = condition("Progressing", "True", "ReplicaSetUpdated");

    private final int rollouts;
    private final Consumer<String> log;

    public K8sDetect(int rollouts, Consumer<String> log) {
        this.rollouts = rollouts;
        this.log = log;
    }

    public Figure run() throws Exception {
        Path file = SqliteFiles.fresh(Work.file("k8s", ".db"));
        // fabric8 7.4 deprecates Serialization.jsonMapper() but gives the mock server's Context no other Kubernetes-aware
        // ObjectMapper (KubernetesSerialization keeps its own private): the one the mock server's own setup uses.
        @SuppressWarnings("deprecation")
        Context context = new Context(Serialization.jsonMapper());
        KubernetesMockServer server = new KubernetesMockServer(context,
                new MockWebServer(), new HashMap<>(), new KubernetesMixedDispatcher(new HashMap<>()), false);
        server.init();
        Map<Long, Long> committedNanos = new ConcurrentHashMap<>();
        Map<Long, CountDownLatch> progressing = new ConcurrentHashMap<>();
        DeploymentListener listener = new DeploymentListener() {
            @Override
            public void onStatusChanged(Deployment d, DeploymentCheck check) {
                String m = check.message();
                if (m != null && m.contains("1 out of 2 new replicas")) {
                    progressing.computeIfAbsent(d.id(), id -> new CountDownLatch(1)).countDown();
                }
            }

            @Override
            public void onCompleted(Deployment d) {
                committedNanos.putIfAbsent(d.id(), System.nanoTime());
            }
        };
        try (KubernetesClient client = server.createClient(); JdbcHistoryStore store = JdbcHistoryStore.sqlite(file)) {
            KubernetesWatchingSource source = KubernetesWatchingSource.of(client);
            DeploymentTracker tracker = DeploymentTracker.builder(store).source(source).discoverSources(false)
                    .listener(listener).build().start();
            try {
                // Setting up is not measured: the rollouts start from a few threads at once.
                ExecutorService setup = Executors.newFixedThreadPool(8, r -> {
                    Thread t = new Thread(r, "bench-k8s-setup");
                    t.setDaemon(true);
                    return t;
                });
                List<Future<DeploymentHandle>> started = new ArrayList<>();
                // The setup pool already runs the updates in parallel: the facade's work stays on its threads.
                KubernetesDeployments deployments = KubernetesDeployments.builder(client, tracker)
                        .executor(Runnable::run).build();
                try {
                    for (int i = 0; i < rollouts; i++) {
                        String name = "web-" + i;
                        String sha = String.format("%040x", 0xc0ffee00L + i);
                        started.add(setup.submit(() -> {
                            createDeployment(client, name);
                            writeStatus(client, name, status(1, 2, 2, 2));
                            DeploymentHandle h = deployments.updateImageAndTrack(
                                    DeploymentRequest.builder("bench", name, sha).build(),
                                    WorkloadKind.DEPLOYMENT, NS, name, "app", "registry.local/web:2").join();
                            writeStatus(client, name, status(2, 3, 1, 2));
                            return h;
                        }));
                    }
                    List<DeploymentHandle> handles = new ArrayList<>();
                    for (Future<DeploymentHandle> f : started) {
                        handles.add(f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
                    }
                    return measure(client, handles, progressing, committedNanos);
                } finally {
                    setup.shutdownNow();
                }
            } finally {
                tracker.close();
            }
        } finally {
            server.destroy();
        }
    }

    private Figure measure(KubernetesClient client, List<DeploymentHandle> handles, Map<Long, CountDownLatch> progressing,
                           Map<Long, Long> committedNanos) throws Exception {
        for (DeploymentHandle h : handles) {
            if (!progressing.computeIfAbsent(h.id(), id -> new CountDownLatch(1)).await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("rollout of deployment " + h.id() + " was not seen progressing");
            }
        }
        log.accept("k8s.detect: " + rollouts + " rollouts followed at once, all seen progressing");
        long[] ms = new long[handles.size()];
        for (int i = 0; i < handles.size(); i++) {
            DeploymentHandle h = handles.get(i);
            long written = System.nanoTime();
            writeStatus(client, "web-" + i, status(2, 2, 2, 2));
            Deployment d = h.completion().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (d.status() != DeploymentStatus.SUCCESS) {
                throw new IllegalStateException("rollout " + i + " ended " + d.status() + ": " + d.errorMessage());
            }
            ms[i] = TimeUnit.NANOSECONDS.toMillis(committedNanos.get(h.id()) - written);
        }
        return new Figure("k8s.detect").put("detect_p50_ms", Percentiles.of(ms, 50))
                .put("detect_p99_ms", Percentiles.of(ms, 99));
    }

    private static void createDeployment(KubernetesClient client, String name) {
        client.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withReplicas(2)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewStrategy().withType("RollingUpdate").endStrategy()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("registry.local/web:1").endContainer().endSpec()
                .endTemplate()
                .endSpec()
                .build()).create();
    }

    private static io.fabric8.kubernetes.api.model.apps.DeploymentStatus status(long observed, int replicas, int updated,
                                                                              int available) {
        return new DeploymentStatusBuilder().withObservedGeneration(observed).withReplicas(replicas)
                .withUpdatedReplicas(updated).withAvailableReplicas(available).withReadyReplicas(available)
                .addToConditions(AVAILABLE, PROGRESSING).build();
    }

    /** Writes the status as the deployment controller would, through the status subresource. */
    private static void writeStatus(KubernetesClient client, String name,
                                    io.fabric8.kubernetes.api.model.apps.DeploymentStatus status) {
        client.apps().deployments().inNamespace(NS).withName(name).editStatus(d -> {
            d.setStatus(status);
            return d;
        });
    }

    private static DeploymentCondition condition(String type, String status, String reason) {
        return new DeploymentConditionBuilder().withType(type).withStatus(status).withReason(reason).build();
    }
}
