package io.deploytrack.kubernetes;

import io.deploytrack.kubernetes.RolloutVerdict.Outcome;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** {@link KubernetesRollouts#evaluate} on objects built by hand: the rules, one branch at a time. */
class EvaluateTest {

    static final String SHA = "sha256:" + "ab".repeat(32);

    /** A Deployment whose rollout kubectl calls done, at the given generation. */
    static Deployment doneDeployment(long generation, long observed, String appImage) {
        return new DeploymentBuilder()
                .withNewMetadata().withNamespace("shop").withName("web").withGeneration(generation).endMetadata()
                .withNewSpec().withReplicas(2).withNewTemplate().withNewSpec()
                .addNewContainer().withName("app").withImage(appImage).endContainer()
                .addNewInitContainer().withName("migrate").withImage("migrate:1").endInitContainer()
                .endSpec().endTemplate().endSpec()
                .withNewStatus().withObservedGeneration(observed).withReplicas(2).withUpdatedReplicas(2)
                .withAvailableReplicas(2).endStatus()
                .build();
    }

    static RolloutTarget target(long generation, Map<String, String> images) {
        return new RolloutTarget(WorkloadKind.DEPLOYMENT, "shop", "web", generation, images);
    }

    static Stream<Arguments> verdicts() {
        return Stream.of(
                arguments("kubectl done, no expected images", doneDeployment(4, 4, "web:2"), target(4, Map.of()),
                        Outcome.SUCCEEDED, "deployment \"web\" successfully rolled out"),
                arguments("observed past our generation counts as observed", doneDeployment(4, 5, "web:2"),
                        target(4, Map.of()), Outcome.SUCCEEDED, "deployment \"web\" successfully rolled out"),
                arguments("expected image equal after normalisation", doneDeployment(4, 4, "docker.io/library/web:latest"),
                        target(4, Map.of("app", "web")), Outcome.SUCCEEDED, "deployment \"web\" successfully rolled out"),
                arguments("expected tag pinned to a digest in the template", doneDeployment(4, 4, "web:2@" + SHA),
                        target(4, Map.of("app", "web:2", "migrate", "migrate:1")), Outcome.SUCCEEDED,
                        "deployment \"web\" successfully rolled out"),
                arguments("other image in the template", doneDeployment(4, 4, "web:1"),
                        target(4, Map.of("app", "web:2")), Outcome.FAILED,
                        "deployment \"web\" successfully rolled out, but container \"app\" runs image \"web:1\","
                                + " expected \"web:2\""),
                arguments("expected container missing from the template", doneDeployment(4, 4, "web:2"),
                        target(4, Map.of("sidecar", "envoy:1")), Outcome.FAILED,
                        "deployment \"web\" successfully rolled out, but container \"sidecar\" is not in the pod"
                                + " template (expected image \"envoy:1\"), its containers are [app, migrate]"),
                arguments("unparseable image in the template never matches", doneDeployment(4, 4, "Web:2"),
                        target(4, Map.of("app", "web:2")), Outcome.FAILED,
                        "deployment \"web\" successfully rolled out, but container \"app\" runs image \"Web:2\","
                                + " expected \"web:2\""),
                arguments("images are not checked before kubectl says done", doneDeployment(4, 3, "web:1"),
                        target(4, Map.of("app", "web:2")), Outcome.PROGRESSING,
                        "Waiting for deployment spec update to be observed..."),
                arguments("superseded even though kubectl says done", doneDeployment(5, 5, "web:3"),
                        target(4, Map.of()), Outcome.SUPERSEDED,
                        "deployment shop/web: generation moved to 5 by another change, ours was 4"),
                arguments("generation below ours: created again", doneDeployment(1, 1, "web:3"),
                        target(4, Map.of()), Outcome.DELETED,
                        "deployment shop/web was deleted and created again: its generation is 1, below ours (4)"),
                arguments("deleted", null, target(4, Map.of()), Outcome.DELETED, "deployment shop/web was deleted"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("verdicts")
    void deploymentVerdicts(String description, Deployment latest, RolloutTarget target, Outcome outcome,
                            String message) {
        assertThat(KubernetesRollouts.evaluate(latest, target)).isEqualTo(new RolloutVerdict(outcome, message));
    }

    @Test
    void progressDeadlineIsAFailure() {
        Deployment d = doneDeployment(4, 4, "web:2");
        d.getStatus().setUpdatedReplicas(1);
        d.getStatus().setConditions(java.util.List.of(new io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder()
                .withType("Progressing").withStatus("False").withReason("ProgressDeadlineExceeded").build()));
        RolloutVerdict verdict = KubernetesRollouts.evaluate(d, target(4, Map.of()));
        assertThat(verdict).isEqualTo(new RolloutVerdict(Outcome.FAILED, "deployment \"web\" exceeded its progress deadline"));
        assertThat(verdict.isTerminal()).isTrue();
    }

    @Test
    void statefulSetNotYetObservedUsesKubectlsWords() {
        StatefulSet s = new StatefulSetBuilder()
                .withNewMetadata().withNamespace("shop").withName("db").withGeneration(3L).endMetadata()
                .withNewSpec().withNewUpdateStrategy().withType("RollingUpdate").endUpdateStrategy().endSpec()
                .withNewStatus().withObservedGeneration(2L).endStatus()
                .build();
        RolloutVerdict verdict = KubernetesRollouts.evaluate(s, RolloutTarget.of(WorkloadKind.STATEFULSET, "shop", "db", 3));
        assertThat(verdict).isEqualTo(new RolloutVerdict(Outcome.PROGRESSING,
                "Waiting for statefulset spec update to be observed..."));
        assertThat(verdict.isTerminal()).isFalse();
    }

    @Test
    void onDeleteStatefulSetFailsWithKubectlsError() {
        StatefulSet s = new StatefulSetBuilder()
                .withNewMetadata().withNamespace("shop").withName("db").withGeneration(3L).endMetadata()
                .withNewSpec().withNewUpdateStrategy().withType("OnDelete").endUpdateStrategy().endSpec()
                .withNewStatus().withObservedGeneration(3L).endStatus()
                .build();
        assertThat(KubernetesRollouts.evaluate(s, RolloutTarget.of(WorkloadKind.STATEFULSET, "shop", "db", 3)))
                .isEqualTo(new RolloutVerdict(Outcome.FAILED,
                        "rollout status is only available for RollingUpdate strategy type"));
    }

    @Test
    void daemonSetNotYetObservedUsesKubectlsWords() {
        DaemonSet ds = new DaemonSetBuilder()
                .withNewMetadata().withNamespace("shop").withName("agent").withGeneration(2L).endMetadata()
                .withNewSpec().withNewUpdateStrategy().withType("RollingUpdate").endUpdateStrategy().endSpec()
                .build();
        assertThat(KubernetesRollouts.evaluate(ds, RolloutTarget.of(WorkloadKind.DAEMONSET, "shop", "agent", 2)))
                .isEqualTo(new RolloutVerdict(Outcome.PROGRESSING, "Waiting for daemon set spec update to be observed..."));
    }

    @Test
    void outcomesSayWhetherTheyAreFinal() {
        assertThat(Outcome.values()).filteredOn(Outcome::isTerminal)
                .containsExactly(Outcome.SUCCEEDED, Outcome.FAILED, Outcome.SUPERSEDED, Outcome.DELETED);
    }

    @Test
    void aTargetIsRequired() {
        assertThatThrownBy(() -> KubernetesRollouts.evaluate(doneDeployment(1, 1, "web:1"), null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("target");
    }

    @Test
    void objectsOfOtherTypesAreRefused() {
        io.fabric8.kubernetes.api.model.Pod pod = new io.fabric8.kubernetes.api.model.PodBuilder()
                .withNewMetadata().withNamespace("shop").withName("web").endMetadata().build();
        assertThatThrownBy(() -> KubernetesRollouts.evaluate(pod, target(1, Map.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unsupported workload type io.fabric8.kubernetes.api.model.Pod");
    }
}
