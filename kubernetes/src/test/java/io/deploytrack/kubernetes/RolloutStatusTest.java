package io.deploytrack.kubernetes;

import io.deploytrack.kubernetes.RolloutStatus.State;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetUpdateStrategy;
import io.fabric8.kubernetes.api.model.apps.StatefulSetUpdateStrategyBuilder;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * kubectl's {@code rollout status} rules. The cases named "kubectl" are those of kubectl's own
 * {@code pkg/polymorphichelpers/rollout_status_test.go}; the others cover the branches it does not.
 */
class RolloutStatusTest {

    // ---- Deployment -------------------------------------------------------------------------------------

    static Deployment deployment(Long generation, Integer specReplicas, DeploymentStatus status) {
        return new DeploymentBuilder()
                .withNewMetadata().withNamespace("bar").withName("foo").withGeneration(generation).endMetadata()
                .withNewSpec().withReplicas(specReplicas).endSpec()
                .withStatus(status)
                .build();
    }

    static DeploymentStatus dStatus(long observed, int replicas, int updated, int available,
                                    DeploymentCondition... conditions) {
        return new DeploymentStatusBuilder().withObservedGeneration(observed).withReplicas(replicas)
                .withUpdatedReplicas(updated).withAvailableReplicas(available)
                .withUnavailableReplicas(Math.max(0, replicas - available))
                .withConditions(conditions).build();
    }

    static DeploymentCondition condition(String type, String status, String reason) {
        return new DeploymentConditionBuilder().withType(type).withStatus(status).withReason(reason).build();
    }

    static Stream<Arguments> deployments() {
        DeploymentCondition deadlineTrue = condition("Progressing", "True", "ProgressDeadlineExceeded");
        DeploymentCondition deadlineFalse = condition("Progressing", "False", "ProgressDeadlineExceeded");
        DeploymentCondition available = condition("Available", "True", "MinimumReplicasAvailable");
        DeploymentCondition updating = condition("Progressing", "True", "ReplicaSetUpdated");
        DeploymentCondition done = condition("Progressing", "True", "NewReplicaSetAvailable");
        return Stream.of(
                arguments("kubectl test1", deployment(0L, 1, dStatus(1, 1, 0, 1)), State.PROGRESSING,
                        "Waiting for deployment \"foo\" rollout to finish: 0 out of 1 new replicas have been updated..."),
                arguments("kubectl test2", deployment(1L, 1, dStatus(1, 2, 1, 2)), State.PROGRESSING,
                        "Waiting for deployment \"foo\" rollout to finish: 1 old replicas are pending termination..."),
                arguments("kubectl test3", deployment(1L, 2, dStatus(1, 2, 2, 1)), State.PROGRESSING,
                        "Waiting for deployment \"foo\" rollout to finish: 1 of 2 updated replicas are available..."),
                arguments("kubectl test4", deployment(1L, 2, dStatus(1, 2, 2, 2)), State.COMPLETE,
                        "deployment \"foo\" successfully rolled out"),
                arguments("kubectl test5", deployment(2L, 2, dStatus(1, 2, 2, 2)), State.PROGRESSING,
                        "Waiting for deployment spec update to be observed..."),
                arguments("progress deadline, condition status True", deployment(2L, 3, dStatus(2, 3, 1, 2, deadlineTrue)),
                        State.FAILED, "deployment \"foo\" exceeded its progress deadline"),
                arguments("progress deadline, condition status False (status not looked at)",
                        deployment(2L, 3, dStatus(2, 3, 1, 2, deadlineFalse)),
                        State.FAILED, "deployment \"foo\" exceeded its progress deadline"),
                arguments("progress deadline wins over counts that look complete",
                        deployment(2L, 2, dStatus(2, 2, 2, 2, available, deadlineFalse)),
                        State.FAILED, "deployment \"foo\" exceeded its progress deadline"),
                arguments("only the first Progressing condition counts (later deadline ignored)",
                        deployment(2L, 2, dStatus(2, 2, 2, 2, available, done, deadlineFalse)),
                        State.COMPLETE, "deployment \"foo\" successfully rolled out"),
                arguments("only the first Progressing condition counts (first is the deadline)",
                        deployment(2L, 2, dStatus(2, 2, 2, 2, deadlineFalse, done)),
                        State.FAILED, "deployment \"foo\" exceeded its progress deadline"),
                arguments("deadline reason on another condition type is ignored",
                        deployment(2L, 2, dStatus(2, 2, 2, 2,
                                condition("Available", "False", "ProgressDeadlineExceeded"), done)),
                        State.COMPLETE, "deployment \"foo\" successfully rolled out"),
                arguments("stale deadline while the new generation is unobserved",
                        deployment(3L, 2, dStatus(2, 2, 1, 1, deadlineFalse)),
                        State.PROGRESSING, "Waiting for deployment spec update to be observed..."),
                arguments("Available=True in the middle of a rolling update is not done",
                        deployment(2L, 3, dStatus(2, 4, 1, 3, available, updating)),
                        State.PROGRESSING,
                        "Waiting for deployment \"foo\" rollout to finish: 1 out of 3 new replicas have been updated..."),
                arguments("absent spec.replicas skips the new-replicas check",
                        deployment(1L, null, dStatus(1, 2, 1, 1)), State.PROGRESSING,
                        "Waiting for deployment \"foo\" rollout to finish: 1 old replicas are pending termination..."),
                arguments("absent spec.replicas and nothing pending is done",
                        deployment(1L, null, dStatus(1, 0, 0, 0)), State.COMPLETE,
                        "deployment \"foo\" successfully rolled out"),
                arguments("absent status with a generation is unobserved",
                        deployment(1L, 2, null), State.PROGRESSING,
                        "Waiting for deployment spec update to be observed..."),
                arguments("absent status fields count as 0", deployment(null, 2, new DeploymentStatus()),
                        State.PROGRESSING,
                        "Waiting for deployment \"foo\" rollout to finish: 0 out of 2 new replicas have been updated..."),
                arguments("absent available count is 0",
                        deployment(1L, 2, new DeploymentStatusBuilder().withObservedGeneration(1L)
                                .withReplicas(2).withUpdatedReplicas(2).build()),
                        State.PROGRESSING,
                        "Waiting for deployment \"foo\" rollout to finish: 0 of 2 updated replicas are available..."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployments")
    void deploymentStatus(String description, Deployment d, State state, String message) {
        assertThat(RolloutStatus.ofWorkload(d)).isEqualTo(new RolloutStatus(state, message));
        assertThat(KubernetesRollouts.status(d)).isEqualTo(new RolloutStatus(state, message));
    }

    static Deployment withRevision(String revision) {
        Deployment d = deployment(2L, 2, dStatus(2, 2, 2, 2));
        if (revision != null) {
            d.getMetadata().setAnnotations(Map.of(RolloutStatus.REVISION_ANNOTATION, revision));
        }
        return d;
    }

    static Stream<Arguments> revisions() {
        return Stream.of(
                arguments(null, 1L, State.FAILED, "desired revision (1) is different from the running revision (0)"),
                arguments("3", 2L, State.FAILED, "desired revision (2) is different from the running revision (3)"),
                arguments("2", 2L, State.COMPLETE, "deployment \"foo\" successfully rolled out"),
                arguments("+2", 2L, State.COMPLETE, "deployment \"foo\" successfully rolled out"),
                arguments("abc", 2L, State.FAILED,
                        "cannot get the revision of deployment \"foo\": strconv.ParseInt: parsing \"abc\": invalid syntax"),
                arguments("", 2L, State.FAILED,
                        "cannot get the revision of deployment \"foo\": strconv.ParseInt: parsing \"\": invalid syntax"),
                arguments("2 ", 2L, State.FAILED,
                        "cannot get the revision of deployment \"foo\": strconv.ParseInt: parsing \"2 \": invalid syntax"),
                arguments("\u0662", 2L, State.FAILED, // ARABIC-INDIC DIGIT TWO: Java would read it, Go does not
                        "cannot get the revision of deployment \"foo\": strconv.ParseInt: parsing \"\u0662\": invalid syntax"),
                arguments("99999999999999999999", 2L, State.FAILED,
                        "cannot get the revision of deployment \"foo\": strconv.ParseInt: parsing "
                                + "\"99999999999999999999\": value out of range"),
                // Without a pin the annotation is not read at all.
                arguments("abc", 0L, State.COMPLETE, "deployment \"foo\" successfully rolled out"));
    }

    @ParameterizedTest(name = "annotation {0}, pinned to {1}")
    @MethodSource("revisions")
    void revisionPinning(String annotation, long pinned, State state, String message) {
        assertThat(RolloutStatus.ofWorkload(withRevision(annotation), pinned)).isEqualTo(new RolloutStatus(state, message));
    }

    @Test
    void revisionIsCheckedBeforeTheGeneration() {
        Deployment unobserved = deployment(5L, 2, dStatus(4, 2, 2, 2));
        unobserved.getMetadata().setAnnotations(Map.of(RolloutStatus.REVISION_ANNOTATION, "7"));
        assertThat(RolloutStatus.ofWorkload(unobserved, 6).message())
                .isEqualTo("desired revision (6) is different from the running revision (7)");
        assertThat(RolloutStatus.ofWorkload(unobserved, 7).message())
                .isEqualTo("Waiting for deployment spec update to be observed...");
    }

    @Test
    void negativeRevisionIsRefused() {
        assertThatThrownBy(() -> RolloutStatus.ofWorkload(withRevision("1"), -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1").hasMessageContaining("positive revision");
    }

    @Test
    void nameIsQuotedAsGoQuotes() {
        Deployment d = deployment(1L, 1, dStatus(1, 1, 1, 1));
        d.getMetadata().setName("we\"ird\\name\n");
        assertThat(RolloutStatus.ofWorkload(d).message()).isEqualTo("deployment \"we\\\"ird\\\\name\\n\" successfully rolled out");
    }

    // ---- StatefulSet ------------------------------------------------------------------------------------

    static StatefulSetUpdateStrategy rolling(Integer partition) {
        return new StatefulSetUpdateStrategyBuilder().withType("RollingUpdate")
                .withNewRollingUpdate().withPartition(partition).endRollingUpdate().build();
    }

    static final StatefulSetUpdateStrategy ROLLING_PLAIN =
            new StatefulSetUpdateStrategyBuilder().withType("RollingUpdate").build();
    static final StatefulSetUpdateStrategy ON_DELETE =
            new StatefulSetUpdateStrategyBuilder().withType("OnDelete").build();

    static StatefulSet statefulSet(Long generation, Integer replicas, StatefulSetUpdateStrategy strategy,
                                   StatefulSetStatus status) {
        return new StatefulSetBuilder()
                .withNewMetadata().withNamespace("default").withName("foo").withGeneration(generation).endMetadata()
                .withNewSpec().withReplicas(replicas).withUpdateStrategy(strategy).endSpec()
                .withStatus(status)
                .build();
    }

    static StatefulSetStatus sStatus(long observed, int replicas, int ready, int current, int updated,
                                     String currentRevision, String updateRevision) {
        return new StatefulSetStatusBuilder().withObservedGeneration(observed).withReplicas(replicas)
                .withReadyReplicas(ready).withCurrentReplicas(current).withUpdatedReplicas(updated)
                .withCurrentRevision(currentRevision).withUpdateRevision(updateRevision).build();
    }

    static Stream<Arguments> statefulSets() {
        String onlyRolling = "rollout status is only available for RollingUpdate strategy type";
        return Stream.of(
                arguments("kubectl: on delete returns an error",
                        statefulSet(1L, 3, ON_DELETE, sStatus(1, 0, 1, 0, 0, null, null)), State.FAILED, onlyRolling),
                arguments("kubectl: unobserved update is not complete",
                        statefulSet(2L, 3, ROLLING_PLAIN, sStatus(1, 3, 3, 3, 0, null, null)), State.PROGRESSING,
                        "Waiting for statefulset spec update to be observed..."),
                arguments("kubectl: if all pods are not ready the update is not complete",
                        statefulSet(1L, 3, ROLLING_PLAIN, sStatus(2, 3, 2, 3, 0, null, null)), State.PROGRESSING,
                        "Waiting for 1 pods to be ready..."),
                arguments("kubectl: partition update completes when all replicas above the partition are updated",
                        statefulSet(1L, 3, rolling(2), sStatus(2, 3, 3, 2, 1, null, null)), State.COMPLETE,
                        "partitioned roll out complete: 1 new pods have been updated..."),
                arguments("kubectl: partition update is in progress if all pods above the partition have not been updated",
                        statefulSet(1L, 3, rolling(2), sStatus(2, 3, 3, 3, 0, null, null)), State.PROGRESSING,
                        "Waiting for partitioned roll out to finish: 0 out of 1 new pods have been updated..."),
                arguments("kubectl: update completes when all replicas are current",
                        statefulSet(1L, 3, ROLLING_PLAIN, sStatus(2, 3, 3, 3, 3, "foo", "foo")), State.COMPLETE,
                        "statefulset rolling update complete 3 pods at revision foo..."),
                arguments("observedGeneration 0 is unobserved even at generation 0",
                        statefulSet(0L, 3, ROLLING_PLAIN, sStatus(0, 3, 3, 3, 3, "a", "a")), State.PROGRESSING,
                        "Waiting for statefulset spec update to be observed..."),
                arguments("absent status is unobserved",
                        statefulSet(1L, 3, ROLLING_PLAIN, null), State.PROGRESSING,
                        "Waiting for statefulset spec update to be observed..."),
                arguments("OnDelete is refused before the generation is looked at",
                        statefulSet(2L, 3, ON_DELETE, sStatus(1, 3, 3, 3, 3, "a", "a")), State.FAILED, onlyRolling),
                arguments("absent update strategy is not RollingUpdate",
                        statefulSet(1L, 3, null, sStatus(1, 3, 3, 3, 3, "a", "a")), State.FAILED, onlyRolling),
                arguments("revisions differ: rolling update in progress",
                        statefulSet(2L, 3, ROLLING_PLAIN, sStatus(2, 3, 3, 2, 1, "rev1", "rev2")), State.PROGRESSING,
                        "waiting for statefulset rolling update to complete 1 pods at revision rev2..."),
                arguments("rollingUpdate without partition takes the partitioned branch",
                        statefulSet(2L, 3, rolling(null), sStatus(2, 3, 3, 2, 1, "rev1", "rev2")), State.COMPLETE,
                        "partitioned roll out complete: 1 new pods have been updated..."),
                arguments("partition without spec.replicas takes the partitioned branch",
                        statefulSet(2L, null, rolling(1), sStatus(2, 3, 3, 3, 0, "rev1", "rev2")), State.COMPLETE,
                        "partitioned roll out complete: 0 new pods have been updated..."),
                arguments("partition 0 waits for every replica",
                        statefulSet(2L, 3, rolling(0), sStatus(2, 3, 3, 1, 2, "rev1", "rev2")), State.PROGRESSING,
                        "Waiting for partitioned roll out to finish: 2 out of 3 new pods have been updated..."),
                arguments("partition 0 with every replica updated is complete",
                        statefulSet(2L, 3, rolling(0), sStatus(2, 3, 3, 0, 3, "rev1", "rev2")), State.COMPLETE,
                        "partitioned roll out complete: 3 new pods have been updated..."),
                arguments("absent spec.replicas skips the readiness check",
                        statefulSet(2L, null, ROLLING_PLAIN, sStatus(2, 3, 0, 3, 3, "r", "r")), State.COMPLETE,
                        "statefulset rolling update complete 3 pods at revision r..."),
                arguments("absent revisions are equal (both empty)",
                        statefulSet(2L, 0, ROLLING_PLAIN, new StatefulSetStatusBuilder().withObservedGeneration(2L).build()),
                        State.COMPLETE, "statefulset rolling update complete 0 pods at revision ..."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("statefulSets")
    void statefulSetStatus(String description, StatefulSet s, State state, String message) {
        assertThat(RolloutStatus.ofWorkload(s)).isEqualTo(new RolloutStatus(state, message));
        assertThat(KubernetesRollouts.status(s)).isEqualTo(new RolloutStatus(state, message));
    }

    // ---- DaemonSet --------------------------------------------------------------------------------------

    static DaemonSet daemonSet(Long generation, String strategy, DaemonSetStatus status) {
        return new DaemonSetBuilder()
                .withNewMetadata().withNamespace("bar").withName("foo").withGeneration(generation).endMetadata()
                .withNewSpec().withNewUpdateStrategy().withType(strategy).endUpdateStrategy().endSpec()
                .withStatus(status)
                .build();
    }

    static DaemonSetStatus dsStatus(long observed, int updated, int desired, int available) {
        return new DaemonSetStatusBuilder().withObservedGeneration(observed).withUpdatedNumberScheduled(updated)
                .withDesiredNumberScheduled(desired).withNumberAvailable(available).build();
    }

    static Stream<Arguments> daemonSets() {
        String onlyRolling = "rollout status is only available for RollingUpdate strategy type";
        return Stream.of(
                arguments("kubectl test1", daemonSet(0L, "RollingUpdate", dsStatus(1, 0, 1, 0)), State.PROGRESSING,
                        "Waiting for daemon set \"foo\" rollout to finish: 0 out of 1 new pods have been updated..."),
                arguments("kubectl test2", daemonSet(1L, "RollingUpdate", dsStatus(1, 2, 2, 1)), State.PROGRESSING,
                        "Waiting for daemon set \"foo\" rollout to finish: 1 of 2 updated pods are available..."),
                arguments("kubectl test3", daemonSet(1L, "RollingUpdate", dsStatus(1, 2, 2, 2)), State.COMPLETE,
                        "daemon set \"foo\" successfully rolled out"),
                arguments("kubectl test4", daemonSet(2L, "RollingUpdate", dsStatus(1, 2, 2, 2)), State.PROGRESSING,
                        "Waiting for daemon set spec update to be observed..."),
                arguments("kubectl: wrong update strategy type", daemonSet(null, "OnDelete", null), State.FAILED,
                        onlyRolling),
                arguments("OnDelete is refused before the generation is looked at",
                        daemonSet(3L, "OnDelete", dsStatus(1, 2, 2, 2)), State.FAILED, onlyRolling),
                arguments("absent update strategy type", daemonSet(1L, null, dsStatus(1, 2, 2, 2)), State.FAILED,
                        onlyRolling),
                arguments("absent status with a generation is unobserved",
                        daemonSet(1L, "RollingUpdate", null), State.PROGRESSING,
                        "Waiting for daemon set spec update to be observed..."),
                arguments("absent status fields: nothing desired is done",
                        daemonSet(null, "RollingUpdate", new DaemonSetStatus()), State.COMPLETE,
                        "daemon set \"foo\" successfully rolled out"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("daemonSets")
    void daemonSetStatus(String description, DaemonSet ds, State state, String message) {
        assertThat(RolloutStatus.ofWorkload(ds)).isEqualTo(new RolloutStatus(state, message));
        assertThat(KubernetesRollouts.status(ds)).isEqualTo(new RolloutStatus(state, message));
    }

    @Nested
    class Convenience {
        @Test
        void predicatesFollowTheState() {
            assertThat(List.of(new RolloutStatus(State.PROGRESSING, "p"), new RolloutStatus(State.COMPLETE, "c"),
                    new RolloutStatus(State.FAILED, "f")))
                    .extracting(RolloutStatus::isDone, RolloutStatus::isFailed, RolloutStatus::isTerminal)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(false, false, false),
                            org.assertj.core.groups.Tuple.tuple(true, false, true),
                            org.assertj.core.groups.Tuple.tuple(false, true, true));
        }

        @Test
        void nullObjectsAreRefusedWithAClearMessage() {
            assertThatThrownBy(() -> RolloutStatus.ofWorkload((Deployment) null)).hasMessageContaining("deployment");
            assertThatThrownBy(() -> RolloutStatus.ofWorkload((StatefulSet) null)).hasMessageContaining("statefulset");
            assertThatThrownBy(() -> RolloutStatus.ofWorkload((DaemonSet) null)).hasMessageContaining("daemonset");
        }
    }
}
