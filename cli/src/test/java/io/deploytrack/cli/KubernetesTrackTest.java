package io.deploytrack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.HistoryQuery;
import io.deploytrack.jdbc.JdbcHistoryStore;
import io.deploytrack.kubernetes.KubernetesWatchingSource;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** kubernetes track against fabric8's mock API server in CRUD mode (no controllers: the test writes the status). */
@EnableKubernetesMockClient(crud = true, https = false)
class KubernetesTrackTest {
    static final String NS = "shop";
    static KubernetesClient client;

    @TempDir
    Path dir;

    @BeforeEach
    void clean() {
        client.apps().deployments().inNamespace(NS).delete();
    }

    static void deployment(String name, int updated, int available, String progressing, String reason) {
        client.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withReplicas(2)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewStrategy().withType("RollingUpdate").endStrategy()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("registry.local/" + name + ":2.0").endContainer()
                .endSpec().endTemplate().endSpec().build()).create();
        long generation = client.apps().deployments().inNamespace(NS).withName(name).get().getMetadata().getGeneration();
        client.apps().deployments().inNamespace(NS).withName(name).editStatus(d -> {
            d.setStatus(new DeploymentStatusBuilder().withObservedGeneration(generation).withReplicas(2)
                    .withUpdatedReplicas(updated).withAvailableReplicas(available).withReadyReplicas(available)
                    .addToConditions(new DeploymentConditionBuilder().withType("Progressing").withStatus(progressing)
                            .withReason(reason).build())
                    .build());
            return d;
        });
    }

    Cli.Result track(String name, String sha, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("--db", dir.resolve("history.db").toString(), "kubernetes", "track",
                "--namespace", NS, "--name", name, "--project", "acme/" + name, "--commit", sha));
        args.addAll(List.of(more));
        return new Cli().source(KubernetesWatchingSource.of(client)).run(args.toArray(String[]::new));
    }

    Deployment stored(String repo) {
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(dir.resolve("history.db"))) {
            return store.list(HistoryQuery.project("acme", repo, 10)).get(0);
        }
    }

    @Test
    @Timeout(60)
    void aRolloutThatCompletesExits0AndIsStoredAsSuccess() throws Exception {
        deployment("web", 2, 2, "True", "NewReplicaSetAvailable");
        Cli.Result r = track("web", "abc1234", "--json");
        assertThat(r.code()).as(r.toString()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("status").asText()).isEqualTo("success");
        assertThat(json.get("commitSha").asText()).isEqualTo("abc1234");
        Deployment d = stored("web");
        assertThat(d.status()).isEqualTo(DeploymentStatus.SUCCESS);
        assertThat(d.deployedAt()).isNotNull();
        assertThat(d.checks().get(0).ref().fields()).containsEntry("namespace", NS).containsEntry("name", "web");
        assertThat(d.idempotencyKey()).startsWith("kubernetes:deployment:shop:web:");
        assertThat(r.err()).contains("#" + d.id(), "success");
    }

    @Test
    @Timeout(60)
    void aRolloutPastItsProgressDeadlineExits6AndIsStoredAsFailed() {
        deployment("api", 1, 1, "False", "ProgressDeadlineExceeded");
        Cli.Result r = track("api", "def5678", "--kind", "deployment");
        assertThat(r.code()).as(r.toString()).isEqualTo(6);
        assertThat(r.out()).contains("failed");
        assertThat(stored("api").status()).isEqualTo(DeploymentStatus.FAILED);
    }

    @Test
    @Timeout(60)
    void aRolloutThatNeverEndsTimesOutAndExits6() {
        deployment("db", 1, 1, "True", "ReplicaSetUpdated");
        Cli.Result r = track("db", "0123abc", "--timeout", "2s");
        assertThat(r.code()).as(r.toString()).isEqualTo(6);
        assertThat(r.out()).contains("timed_out");
        assertThat(stored("db").status()).isEqualTo(DeploymentStatus.TIMED_OUT);
    }

    @Test
    void aMissingWorkloadIsOneClearLine() {
        Cli.Result r = track("nothing", "abc1234");
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).contains("nothing");
        Cli.Result badKind = track("web", "abc1234", "--kind", "pod");
        assertThat(badKind.code()).isEqualTo(2);
        assertThat(badKind.err()).contains("expected deployment, statefulset or daemonset");
    }

    @Test
    @Timeout(60)
    void theDeprecatedSpellingsStillWorkWithAWarningAndFindARowKeyedTheOldWay() throws Exception {
        deployment("web", 2, 2, "True", "NewReplicaSetAvailable");
        KubernetesWatchingSource source = KubernetesWatchingSource.of(client);
        io.deploytrack.core.CheckRef ref = source.currentRef(io.deploytrack.kubernetes.WorkloadKind.DEPLOYMENT, NS, "web");
        long recordedEarlier;
        // A row recorded by an earlier version, under the "k8s:" key it derived.
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(dir.resolve("history.db"));
             io.deploytrack.core.DeploymentTracker tracker = io.deploytrack.core.DeploymentTracker.builder(store)
                     .source(source).discoverSources(false).build().start()) {
            io.deploytrack.core.DeploymentRequest request = io.deploytrack.core.DeploymentRequest
                    .builder("acme", "web", "abc1234").idempotencyKey(KubernetesWatchingSource.legacyIdempotencyKey(ref))
                    .build();
            Deployment d = tracker.track(request, ref).completion().get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(d.idempotencyKey()).startsWith("k8s:deployment:shop:web:");
            recordedEarlier = d.id();
        }

        Cli.Result r = new Cli().source(source).run("--db", dir.resolve("history.db").toString(), "k8s", "track",
                "--namespace", NS, "--name", "web", "--repo", "acme/web", "--commit", "abc1234", "--json");

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err()).contains("warning: the command 'k8s' is deprecated and will be removed: use 'kubernetes'")
                .contains("warning: --repo is deprecated and will be removed: use --project acme/web");
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(dir.resolve("history.db"))) {
            assertThat(store.list(HistoryQuery.project("acme", "web", 10))).singleElement()
                    .satisfies(d -> assertThat(d.id()).isEqualTo(recordedEarlier));
        }

        Cli.Result both = new Cli().source(source).run("--db", dir.resolve("history.db").toString(), "kubernetes",
                "track", "--namespace", NS, "--name", "web", "--repo", "acme/web", "--project", "acme/web", "--commit",
                "abc1234");
        assertThat(both.code()).as(both.toString()).isEqualTo(2);
        assertThat(both.err()).contains("give only --project OWNER/REPO");
        Cli.Result none = new Cli().source(source).run("--db", dir.resolve("history.db").toString(), "kubernetes",
                "track", "--namespace", NS, "--name", "web", "--commit", "abc1234");
        assertThat(none.code()).as(none.toString()).isEqualTo(2);
        assertThat(none.err()).contains("--project=OWNER/REPO").doesNotContain("deprecated");
    }
}
