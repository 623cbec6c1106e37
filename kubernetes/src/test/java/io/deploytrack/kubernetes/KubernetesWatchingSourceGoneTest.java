package io.deploytrack.kubernetes;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.DeploymentHandle;
import io.deploytrack.core.DeploymentListener;
import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.InMemoryHistoryStore;
import io.fabric8.kubernetes.api.model.ListMeta;
import io.fabric8.kubernetes.api.model.ListMetaBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentListBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the API server does that the CRUD mock cannot: a watch that ends with 410 Gone, and a refusal. Uses the
 * mock server's expectations mode, with the exact list and watch requests a fabric8 informer sends for one named
 * workload.
 */
@EnableKubernetesMockClient(https = false)
class KubernetesWatchingSourceGoneTest {

    static final String NS = "shop";
    static final String PATH = "/apis/apps/v1/namespaces/" + NS + "/deployments";

    static KubernetesClient client;
    static KubernetesMockServer server;

    InMemoryHistoryStore store;
    DeploymentTracker tracker;
    // Every check message the tracker committed, in order: what the source reported on the way.
    final List<String> committed = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        store = InMemoryHistoryStore.of();
    }

    @AfterEach
    void tearDown() {
        if (tracker != null) {
            tracker.close();
        }
    }

    void startTracker(KubernetesWatchingSource source) {
        DeploymentListener recorder = new DeploymentListener() {
            @Override
            public void onStatusChanged(Deployment deployment, DeploymentCheck check) {
                committed.add(check.message());
            }
        };
        tracker = DeploymentTracker.builder(store).source(source).discoverSources(false).listener(recorder)
                .defaultTimeout(Duration.ofSeconds(30)).build().start();
    }

    static DeploymentRequest request(String sha) {
        return DeploymentRequest.builder().project("acme/shop-web").commitSha(sha).build();
    }

    /** A Deployment at generation 2 with the given rollout numbers and resourceVersion. */
    static io.fabric8.kubernetes.api.model.apps.Deployment web(String name, String resourceVersion, int replicas,
                                                                 int updated, int available) {
        return new DeploymentBuilder()
                .withNewMetadata().withNamespace(NS).withName(name).withGeneration(2L)
                .withResourceVersion(resourceVersion).endMetadata()
                .withNewSpec().withReplicas(3)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("web:2").endContainer().endSpec()
                .endTemplate()
                .endSpec()
                .withNewStatus().withObservedGeneration(2L).withReplicas(replicas).withUpdatedReplicas(updated)
                .withAvailableReplicas(available).withReadyReplicas(available)
                .addToConditions(new DeploymentConditionBuilder().withType("Available").withStatus("True")
                        .withReason("MinimumReplicasAvailable").build())
                .endStatus()
                .build();
    }

    static ListMeta listMeta(String resourceVersion) {
        return new ListMetaBuilder().withResourceVersion(resourceVersion).build();
    }

    static String selector(String name) {
        return "fieldSelector=" + Utils.toUrlEncoded("metadata.name=" + name);
    }

    static String watchPath(String name, String resourceVersion) {
        return PATH + "?allowWatchBookmarks=true&" + selector(name) + "&resourceVersion=" + resourceVersion
                + "&timeoutSeconds=600&watch=true";
    }

    @Test
    void aWatchEndedBy410GoneDoesNotLoseTheEndOfTheRollout() throws Exception {
        // track() checks the live workload once.
        server.expect().get().withPath(PATH + "/web").andReturn(200, web("web", "1000", 4, 1, 3)).always();
        // The informer's first list, then a watch from its resourceVersion: one more step, then 410 Gone.
        server.expect().get().withPath(PATH + "?" + selector("web") + "&resourceVersion=0")
                .andReturn(200, new DeploymentListBuilder().withMetadata(listMeta("1000"))
                        .addToItems(web("web", "1000", 4, 1, 3)).build())
                .once();
        server.expect().get().withPath(watchPath("web", "1000"))
                .andUpgradeToWebSocket().open()
                .waitFor(50).andEmit(new WatchEvent(web("web", "1001", 4, 2, 3), "MODIFIED"))
                .waitFor(50).andEmit(new WatchEvent(new StatusBuilder().withCode(HttpURLConnection.HTTP_GONE)
                        .withReason("Expired").withMessage("too old resource version: 1000 (1003)").build(), "ERROR"))
                .done().once();
        // The rollout completed while nobody watched: only the re-list can tell.
        server.expect().get().withPath(PATH + "?" + selector("web"))
                .andReturn(200, new DeploymentListBuilder().withMetadata(listMeta("1003"))
                        .addToItems(web("web", "1003", 3, 3, 3)).build())
                .always();
        server.expect().get().withPath(watchPath("web", "1003")).andUpgradeToWebSocket().open().done().always();

        startTracker(KubernetesWatchingSource.of(client));
        DeploymentHandle h = tracker.track(request("5c63748"),
                KubernetesWatchingSource.ref(RolloutTarget.of(WorkloadKind.DEPLOYMENT, NS, "web", 2)));

        Deployment d = h.completion().get(10, TimeUnit.SECONDS);
        assertThat(d.status()).isEqualTo(DeploymentStatus.SUCCESS);
        DeploymentCheck check = d.check("kubernetes").orElseThrow();
        assertThat(check.message()).isEqualTo("deployment \"web\" successfully rolled out");
        // The watch had worked before it was cut: its step was recorded on the way.
        assertThat(committed).containsExactly(
                "Waiting for deployment \"web\" rollout to finish: 1 out of 3 new replicas have been updated...",
                "Waiting for deployment \"web\" rollout to finish: 2 out of 3 new replicas have been updated...",
                "deployment \"web\" successfully rolled out");
    }

    @Test
    void aForbiddenWatchEndsTheCheckSayingWhatToGrant() throws Exception {
        server.expect().get().withPath(PATH + "?" + selector("locked") + "&resourceVersion=0")
                .andReturn(403, new StatusBuilder().withCode(403).withReason("Forbidden")
                        .withMessage("deployments.apps is forbidden: User \"system:serviceaccount:shop:deployer\""
                                + " cannot list resource \"deployments\" in API group \"apps\" in the namespace \"shop\"")
                        .build())
                .always();

        // Not verified at track time: the follow itself meets the refusal.
        startTracker(KubernetesWatchingSource.builder(client).verifyOnTrack(false).build());
        DeploymentHandle h = tracker.track(request("6d74859"),
                KubernetesWatchingSource.ref(RolloutTarget.of(WorkloadKind.DEPLOYMENT, NS, "locked", 2)));

        Deployment d = h.completion().get(10, TimeUnit.SECONDS);
        assertThat(d.status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(d.errorMessage()).contains("HTTP 403").contains("namespace shop")
                .contains("grant get, list and watch on deployments.apps");
        assertThat(d.check("kubernetes").orElseThrow().lastSourceStatus()).isEqualTo("watch_failed");
    }
}
