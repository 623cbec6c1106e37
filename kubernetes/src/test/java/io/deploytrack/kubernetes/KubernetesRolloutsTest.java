package io.deploytrack.kubernetes;

import io.deploytrack.kubernetes.RolloutVerdict.Outcome;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Starting and judging rollouts against fabric8's mock API server in CRUD mode. CRUD mode runs no
 * controllers, so each test writes {@code status} the way the workload controller would.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class KubernetesRolloutsTest {

    static final String NS = "shop";

    // Static: one mock server for the class keeps it fast; every test starts from an empty store.
    static KubernetesClient client;
    static KubernetesMockServer server;

    @BeforeEach
    void clean() {
        client.apps().deployments().inNamespace(NS).delete();
        client.apps().statefulSets().inNamespace(NS).delete();
        client.apps().daemonSets().inNamespace(NS).delete();
    }

    static PodTemplateSpec template(String image) {
        return new PodTemplateSpecBuilder()
                .withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec()
                .addNewInitContainer().withName("migrate").withImage("registry.local:5000/migrate:1").endInitContainer()
                .addNewContainer().withName("app").withImage(image).endContainer()
                .addNewContainer().withName("proxy").withImage("envoyproxy/envoy:v1.30").endContainer()
                .endSpec()
                .build();
    }

    Deployment createDeployment(String name, int replicas, String image) {
        return client.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withReplicas(replicas)
                .withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withNewStrategy().withType("RollingUpdate").endStrategy()
                .withTemplate(template(image))
                .endSpec()
                .build()).create();
    }

    /** Writes the deployment's status as the deployment controller would, through the status subresource. */
    Deployment controllerWrites(String name, DeploymentStatus status) {
        return client.apps().deployments().inNamespace(NS).withName(name).editStatus(d -> {
            d.setStatus(status);
            return d;
        });
    }

    /** The method of the last request the server received: a refused update must have sent no PATCH. */
    static String lastMethod() throws InterruptedException {
        return server.getLastRequest().getMethod();
    }

    Deployment latest(String name) {
        return client.apps().deployments().inNamespace(NS).withName(name).get();
    }

    static DeploymentStatus status(long observed, int replicas, int updated, int available, boolean availableCondition) {
        DeploymentStatusBuilder b = new DeploymentStatusBuilder().withObservedGeneration(observed)
                .withReplicas(replicas).withUpdatedReplicas(updated).withAvailableReplicas(available)
                .withReadyReplicas(available);
        if (availableCondition) {
            b.addToConditions(new DeploymentConditionBuilder().withType("Available").withStatus("True")
                    .withReason("MinimumReplicasAvailable").build());
        }
        return b.addToConditions(new DeploymentConditionBuilder().withType("Progressing").withStatus("True")
                .withReason("ReplicaSetUpdated").build()).build();
    }

    @Test
    void setImageReturnsTheGenerationOfOurUpdateAndSucceedsOnlyAtKubectlsLastState() {
        Deployment created = createDeployment("web", 3, "registry.local:5000/web:1.0");
        assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);
        controllerWrites("web", status(1, 3, 3, 3, true));
        assertThat(KubernetesRollouts.evaluate(latest("web"), KubernetesRollouts.current(client,
                WorkloadKind.DEPLOYMENT, NS, "web")).outcome()).isEqualTo(Outcome.SUCCEEDED);

        RolloutTarget target = KubernetesRollouts.setImage(client, WorkloadKind.DEPLOYMENT, NS, "web", "app",
                "registry.local:5000/web:2.0");

        assertThat(target).isEqualTo(new RolloutTarget(WorkloadKind.DEPLOYMENT, NS, "web", 2, Map.of(
                "app", "registry.local:5000/web:2.0",
                "proxy", "envoyproxy/envoy:v1.30",
                "migrate", "registry.local:5000/migrate:1")));
        assertThat(latest("web").getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("registry.local:5000/web:2.0");

        // The controller's successive states during a rolling update of 3 replicas with surge 1.
        List<DeploymentStatus> states = List.of(
                status(1, 3, 3, 3, true),   // not yet observed: the old rollout's numbers still look done
                status(2, 4, 1, 3, true),   // Available=True in the middle of the rollout
                status(2, 4, 2, 3, true),
                status(2, 4, 3, 3, true),   // one old replica pending termination
                status(2, 3, 3, 2, true),   // new replicas not all available
                status(2, 3, 3, 3, true));  // kubectl's done
        List<RolloutVerdict> verdicts = new ArrayList<>();
        for (DeploymentStatus s : states) {
            controllerWrites("web", s);
            Deployment now = latest("web");
            assertThat(now.getMetadata().getGeneration()).as("status writes do not move the generation")
                    .isEqualTo(2L);
            verdicts.add(KubernetesRollouts.evaluate(now, target));
        }

        assertThat(verdicts).extracting(RolloutVerdict::outcome).containsExactly(
                Outcome.PROGRESSING, Outcome.PROGRESSING, Outcome.PROGRESSING, Outcome.PROGRESSING,
                Outcome.PROGRESSING, Outcome.SUCCEEDED);
        assertThat(verdicts).extracting(RolloutVerdict::message).containsExactly(
                "Waiting for deployment spec update to be observed...",
                "Waiting for deployment \"web\" rollout to finish: 1 out of 3 new replicas have been updated...",
                "Waiting for deployment \"web\" rollout to finish: 2 out of 3 new replicas have been updated...",
                "Waiting for deployment \"web\" rollout to finish: 1 old replicas are pending termination...",
                "Waiting for deployment \"web\" rollout to finish: 2 of 3 updated replicas are available...",
                "deployment \"web\" successfully rolled out");
    }

    @Test
    void aLaterChangeSupersedesOurAttempt() {
        createDeployment("web", 2, "web:1");
        RolloutTarget ours = KubernetesRollouts.setImage(client, WorkloadKind.DEPLOYMENT, NS, "web", "app", "web:2");
        controllerWrites("web", status(2, 3, 1, 2, true));
        assertThat(KubernetesRollouts.evaluate(latest("web"), ours).outcome()).isEqualTo(Outcome.PROGRESSING);

        RolloutTarget theirs = KubernetesRollouts.setImage(client, WorkloadKind.DEPLOYMENT, NS, "web", "app", "web:3");
        assertThat(theirs.generation()).isEqualTo(3);
        assertThat(ours.generation()).as("our target keeps the generation of our own update").isEqualTo(2);

        // Even once the newer rollout is complete, ours did not succeed: it was superseded.
        controllerWrites("web", status(3, 2, 2, 2, true));
        RolloutVerdict verdict = KubernetesRollouts.evaluate(latest("web"), ours);
        assertThat(verdict.outcome()).isEqualTo(Outcome.SUPERSEDED);
        assertThat(verdict.message()).isEqualTo("deployment shop/web: generation moved to 3 by another change, ours was 2");
        assertThat(verdict.isTerminal()).isTrue();
        assertThat(KubernetesRollouts.evaluate(latest("web"), theirs).outcome()).isEqualTo(Outcome.SUCCEEDED);
    }

    @Test
    void currentTakesTheGenerationAsItIsNow() {
        createDeployment("web", 1, "web:1");
        KubernetesRollouts.setImage(client, WorkloadKind.DEPLOYMENT, NS, "web", "app", "web:2");
        RolloutTarget current = KubernetesRollouts.current(client, WorkloadKind.DEPLOYMENT, NS, "web");
        assertThat(current.generation()).isEqualTo(2);
        assertThat(current.expectedImages()).containsEntry("app", "web:2");
        assertThat(current).isEqualTo(KubernetesRollouts.targetOf(latest("web")));
    }

    @Test
    void deletingTheWorkloadEndsTheAttempt() {
        createDeployment("web", 1, "web:1");
        RolloutTarget ours = KubernetesRollouts.setImage(client, WorkloadKind.DEPLOYMENT, NS, "web", "app", "web:2");
        client.apps().deployments().inNamespace(NS).withName("web").delete();
        assertThat(latest("web")).isNull();
        assertThat(KubernetesRollouts.evaluate(latest("web"), ours))
                .isEqualTo(new RolloutVerdict(Outcome.DELETED, "deployment shop/web was deleted"));

        // Created again: generation starts over below ours.
        createDeployment("web", 1, "web:2");
        RolloutVerdict verdict = KubernetesRollouts.evaluate(latest("web"), ours);
        assertThat(verdict.outcome()).isEqualTo(Outcome.DELETED);
        assertThat(verdict.message()).contains("created again").contains("generation is 1");
    }

    @Test
    void aChangeThatLeavesTheSpecAsItWasKeepsTheGeneration() {
        createDeployment("web", 1, "web:1");
        RolloutTarget same = KubernetesRollouts.setImage(client, WorkloadKind.DEPLOYMENT, NS, "web", "app", "web:1");
        assertThat(same.generation()).isEqualTo(1);
    }

    @Test
    void patchAppliesAnyChangeAndReturnsItsGeneration() {
        client.apps().statefulSets().inNamespace(NS).resource(statefulSet("db", "RollingUpdate")).create();
        RolloutTarget target = KubernetesRollouts.patch(client, WorkloadKind.STATEFULSET, NS, "db", workload -> {
            StatefulSet s = (StatefulSet) workload;
            s.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("postgres:16.4");
            s.getSpec().getUpdateStrategy().setRollingUpdate(null);
            return s;
        });
        assertThat(target).isEqualTo(new RolloutTarget(WorkloadKind.STATEFULSET, NS, "db", 2,
                Map.of("postgres", "postgres:16.4")));

        StatefulSet now = client.apps().statefulSets().inNamespace(NS).withName("db").get();
        assertThat(KubernetesRollouts.evaluate(now, target).message())
                .isEqualTo("Waiting for statefulset spec update to be observed...");
        now = client.apps().statefulSets().inNamespace(NS).withName("db").editStatus(s -> {
            s.setStatus(new StatefulSetStatusBuilder().withObservedGeneration(2L).withReplicas(2)
                    .withReadyReplicas(2).withUpdatedReplicas(1).withCurrentReplicas(1)
                    .withCurrentRevision("db-1").withUpdateRevision("db-2").build());
            return s;
        });
        assertThat(KubernetesRollouts.evaluate(now, target)).isEqualTo(new RolloutVerdict(Outcome.PROGRESSING,
                "waiting for statefulset rolling update to complete 1 pods at revision db-2..."));
        now = client.apps().statefulSets().inNamespace(NS).withName("db").editStatus(s -> {
            s.setStatus(new StatefulSetStatusBuilder().withObservedGeneration(2L).withReplicas(2)
                    .withReadyReplicas(2).withUpdatedReplicas(2).withCurrentReplicas(2)
                    .withCurrentRevision("db-2").withUpdateRevision("db-2").build());
            return s;
        });
        assertThat(KubernetesRollouts.evaluate(now, target)).isEqualTo(new RolloutVerdict(Outcome.SUCCEEDED,
                "statefulset rolling update complete 2 pods at revision db-2..."));
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

    static DaemonSet daemonSet(String name, String strategy) {
        return new DaemonSetBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec()
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewUpdateStrategy().withType(strategy).endUpdateStrategy()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("agent").withImage("agent:1").endContainer()
                .endSpec().endTemplate()
                .endSpec()
                .build();
    }

    @Test
    void onDeleteStatefulSetIsRefusedAndLeftUnchanged() throws InterruptedException {
        client.apps().statefulSets().inNamespace(NS).resource(statefulSet("db", "OnDelete")).create();

        assertThatThrownBy(() -> KubernetesRollouts.setImage(client, WorkloadKind.STATEFULSET, NS, "db",
                "postgres", "postgres:17"))
                .isInstanceOf(UnfollowableWorkloadException.class)
                .hasMessageStartingWith("statefulset shop/db uses update strategy OnDelete")
                .hasMessageContaining("only available for RollingUpdate strategy type");
        assertThat(lastMethod()).isEqualTo("GET");
        StatefulSet now = client.apps().statefulSets().inNamespace(NS).withName("db").get();
        assertThat(now.getMetadata().getGeneration()).isEqualTo(1L);
        assertThat(now.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("postgres:16.3");

        assertThatThrownBy(() -> KubernetesRollouts.current(client, WorkloadKind.STATEFULSET, NS, "db"))
                .isInstanceOf(UnfollowableWorkloadException.class)
                .satisfies(e -> assertThat(((UnfollowableWorkloadException) e).strategy()).isEqualTo("OnDelete"));
    }

    @Test
    void onDeleteDaemonSetIsRefusedAndLeftUnchanged() throws InterruptedException {
        client.apps().daemonSets().inNamespace(NS).resource(daemonSet("agent", "OnDelete")).create();
        assertThatThrownBy(() -> KubernetesRollouts.setImage(client, WorkloadKind.DAEMONSET, NS, "agent",
                "agent", "agent:2"))
                .isInstanceOf(UnfollowableWorkloadException.class)
                .hasMessageStartingWith("daemonset shop/agent uses update strategy OnDelete");
        assertThat(lastMethod()).isEqualTo("GET");
        assertThat(client.apps().daemonSets().inNamespace(NS).withName("agent").get().getMetadata().getGeneration())
                .isEqualTo(1L);
        assertThatThrownBy(() -> KubernetesRollouts.checkFollowable(
                client.apps().daemonSets().inNamespace(NS).withName("agent").get()))
                .isInstanceOf(UnfollowableWorkloadException.class);
    }

    @Test
    void switchingToOnDeleteIsRefusedBeforeAnythingIsSent() throws InterruptedException {
        client.apps().statefulSets().inNamespace(NS).resource(statefulSet("db", "RollingUpdate")).create();
        assertThatThrownBy(() -> KubernetesRollouts.patch(client, WorkloadKind.STATEFULSET, NS, "db", w -> {
            ((StatefulSet) w).getSpec().getUpdateStrategy().setType("OnDelete");
            return w;
        })).isInstanceOf(UnfollowableWorkloadException.class).hasMessageContaining("OnDelete");
        assertThat(lastMethod()).isEqualTo("GET");
        assertThat(client.apps().statefulSets().inNamespace(NS).withName("db").get().getSpec().getUpdateStrategy()
                .getType()).isEqualTo("RollingUpdate");
    }

    @Test
    void rollingUpdateDaemonSetCanBeFollowed() {
        client.apps().daemonSets().inNamespace(NS).resource(daemonSet("agent", "RollingUpdate")).create();
        RolloutTarget target = KubernetesRollouts.setImage(client, WorkloadKind.DAEMONSET, NS, "agent", "agent",
                "agent:2");
        assertThat(target.generation()).isEqualTo(2);
        DaemonSet now = client.apps().daemonSets().inNamespace(NS).withName("agent").get();
        assertThat(KubernetesRollouts.evaluate(now, target))
                .isEqualTo(new RolloutVerdict(Outcome.PROGRESSING, "Waiting for daemon set spec update to be observed..."));
    }

    @Test
    void missingWorkloadIsNamed() {
        assertThatThrownBy(() -> KubernetesRollouts.setImage(client, WorkloadKind.DEPLOYMENT, NS, "ghost", "app",
                "web:2"))
                .isInstanceOf(WorkloadNotFoundException.class)
                .hasMessage("deployment \"ghost\" not found in namespace \"shop\"");
        assertThatThrownBy(() -> KubernetesRollouts.current(client, WorkloadKind.STATEFULSET, NS, "ghost"))
                .isInstanceOf(WorkloadNotFoundException.class)
                .hasMessage("statefulset \"ghost\" not found in namespace \"shop\"");
    }

    @Test
    void missingContainerIsNamedAndNothingChanges() throws InterruptedException {
        createDeployment("web", 1, "web:1");
        assertThatThrownBy(() -> KubernetesRollouts.setImage(client, WorkloadKind.DEPLOYMENT, NS, "web", "ap",
                "web:2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("deployment shop/web has no container \"ap\", its containers are [app, proxy, migrate]");
        assertThat(lastMethod()).isEqualTo("GET");
        assertThat(latest("web").getMetadata().getGeneration()).isEqualTo(1L);
    }

    @Test
    void setImageChangesInitContainersToo() {
        createDeployment("web", 1, "web:1");
        RolloutTarget target = KubernetesRollouts.setImage(client, WorkloadKind.DEPLOYMENT, NS, "web", "migrate",
                "registry.local:5000/migrate:2");
        assertThat(target.generation()).isEqualTo(2);
        assertThat(target.expectedImages()).containsEntry("migrate", "registry.local:5000/migrate:2");
    }

    @Test
    void invalidArgumentsAreRefusedBeforeAnyCall() {
        createDeployment("web", 1, "web:1");
        assertThatThrownBy(() -> KubernetesRollouts.setImage(client, WorkloadKind.DEPLOYMENT, NS, "web", "app",
                "Web:2")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"Web:2\"");
        assertThatThrownBy(() -> KubernetesRollouts.setImage(client, WorkloadKind.DEPLOYMENT, NS, "web", " ",
                "web:2")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("container name");
        assertThatThrownBy(() -> KubernetesRollouts.current(client, WorkloadKind.DEPLOYMENT, "", "web"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("namespace");
        assertThatThrownBy(() -> KubernetesRollouts.patch(client, WorkloadKind.DEPLOYMENT, NS, "web", w -> null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("returned null");
        assertThatThrownBy(() -> KubernetesRollouts.patch(client, WorkloadKind.DEPLOYMENT, NS, "web",
                w -> statefulSet("web", "RollingUpdate")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected the edited Deployment");
        assertThatThrownBy(() -> KubernetesRollouts.patch(client, WorkloadKind.DEPLOYMENT, NS, "web",
                w -> statefulSet("web", "OnDelete")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected the edited Deployment");
        assertThat(latest("web").getMetadata().getGeneration()).isEqualTo(1L);
    }

    @Test
    void evaluateRefusesAnotherWorkload() {
        createDeployment("web", 1, "web:1");
        RolloutTarget other = RolloutTarget.of(WorkloadKind.DEPLOYMENT, NS, "api", 1);
        assertThatThrownBy(() -> KubernetesRollouts.evaluate(latest("web"), other))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("object deployment shop/web is not the workload of the target deployment shop/api");
        HasMetadata sts = client.apps().statefulSets().inNamespace(NS).resource(statefulSet("web", "RollingUpdate"))
                .create();
        assertThatThrownBy(() -> KubernetesRollouts.evaluate(sts, RolloutTarget.of(WorkloadKind.DEPLOYMENT, NS,
                "web", 1))).isInstanceOf(IllegalArgumentException.class);
    }
}
