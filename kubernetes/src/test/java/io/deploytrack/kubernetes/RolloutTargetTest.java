package io.deploytrack.kubernetes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RolloutTargetTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({"deployment, DEPLOYMENT", "Deployment, DEPLOYMENT", "STATEFULSET, STATEFULSET",
            "StatefulSet, STATEFULSET", "daemonset, DAEMONSET", "' DaemonSet ', DAEMONSET"})
    void kindsParseIgnoringCase(String word, WorkloadKind kind) {
        assertThat(WorkloadKind.parse(word)).isEqualTo(kind);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "deploy", "deployments", "replicaset", "stateful set"})
    void unknownKindsAreRefusedNamingTheValue(String word) {
        assertThatThrownBy(() -> WorkloadKind.parse(word))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown workload kind \"" + word
                        + "\", expected one of deployment, statefulset, daemonset (case-insensitive)");
    }

    @Test
    void nullKindIsRefused() {
        assertThatThrownBy(() -> WorkloadKind.parse(null)).hasMessageStartingWith("unknown workload kind null");
    }

    @Test
    void fieldsRoundTrip() {
        RolloutTarget target = new RolloutTarget(WorkloadKind.STATEFULSET, "shop", "db", 7,
                Map.of("postgres", "registry.local:5000/postgres:16", "init", "busybox"));
        Map<String, String> fields = target.toFields();
        assertThat(fields).containsExactly(
                Map.entry("kind", "statefulset"), Map.entry("namespace", "shop"), Map.entry("name", "db"),
                Map.entry("generation", "7"), Map.entry("image.init", "busybox"),
                Map.entry("image.postgres", "registry.local:5000/postgres:16"));
        assertThat(RolloutTarget.fromFields(fields)).isEqualTo(target);
    }

    @Test
    void fieldsWithoutImagesRoundTrip() {
        RolloutTarget target = RolloutTarget.of(WorkloadKind.DAEMONSET, "kube-system", "agent", 1);
        assertThat(target.toFields()).hasSize(4);
        assertThat(RolloutTarget.fromFields(target.toFields())).isEqualTo(target);
        assertThat(target.expectedImages()).isEmpty();
    }

    @Test
    void otherKeysAreIgnored() {
        Map<String, String> fields = new LinkedHashMap<>(
                RolloutTarget.of(WorkloadKind.DEPLOYMENT, "ns", "web", 3).toFields());
        fields.put("deadline", "PT5M");
        assertThat(RolloutTarget.fromFields(fields))
                .isEqualTo(RolloutTarget.of(WorkloadKind.DEPLOYMENT, "ns", "web", 3));
    }

    @ParameterizedTest(name = "without {0}")
    @ValueSource(strings = {"kind", "namespace", "name", "generation"})
    void missingFieldsAreNamed(String key) {
        Map<String, String> fields = new HashMap<>(
                RolloutTarget.of(WorkloadKind.DEPLOYMENT, "ns", "web", 3).toFields());
        fields.remove(key);
        assertThatThrownBy(() -> RolloutTarget.fromFields(fields))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("field \"" + key + "\" is missing");
    }

    @ParameterizedTest(name = "generation \"{0}\"")
    @ValueSource(strings = {"two", "", "1.5"})
    void badGenerationTextIsNamed(String generation) {
        Map<String, String> fields = Map.of("kind", "deployment", "namespace", "ns", "name", "web",
                "generation", generation);
        assertThatThrownBy(() -> RolloutTarget.fromFields(fields))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("field \"generation\" must be a whole number, got \"" + generation + "\"");
    }

    @Test
    void badFieldValuesAreNamed() {
        assertThatThrownBy(() -> RolloutTarget.fromFields(Map.of("kind", "pod", "namespace", "ns", "name", "web",
                "generation", "1"))).hasMessageContaining("\"pod\"");
        assertThatThrownBy(() -> RolloutTarget.fromFields(Map.of("kind", "deployment", "namespace", "ns",
                "name", "web", "generation", "0"))).hasMessageContaining("generation must be at least 1").hasMessageContaining("got 0");
        assertThatThrownBy(() -> RolloutTarget.fromFields(Map.of("kind", "deployment", "namespace", "ns",
                "name", "web", "generation", "2", "image.app", "App:1"))).hasMessageContaining("\"App:1\"");
    }

    @Test
    void constructorChecksEveryPart() {
        assertThatThrownBy(() -> RolloutTarget.of(null, "ns", "web", 1)).hasMessageContaining("kind");
        assertThatThrownBy(() -> RolloutTarget.of(WorkloadKind.DEPLOYMENT, " ", "web", 1))
                .hasMessage("namespace must be a non-blank name without surrounding spaces, got \" \"");
        assertThatThrownBy(() -> RolloutTarget.of(WorkloadKind.DEPLOYMENT, "ns", null, 1))
                .hasMessage("name must be a non-blank name without surrounding spaces, got null");
        assertThatThrownBy(() -> RolloutTarget.of(WorkloadKind.DEPLOYMENT, "ns", "web", -4))
                .hasMessageContaining("got -4 for deployment ns/web");
        assertThatThrownBy(() -> new RolloutTarget(WorkloadKind.DEPLOYMENT, "ns", "web", 1, Map.of("", "nginx")))
                .hasMessageContaining("container name");
    }

    @Test
    void expectedImagesAreACopyThatCannotChange() {
        Map<String, String> images = new HashMap<>(Map.of("app", "nginx"));
        RolloutTarget target = new RolloutTarget(WorkloadKind.DEPLOYMENT, "ns", "web", 1, images);
        images.put("other", "redis");
        assertThat(target.expectedImages()).containsOnly(Map.entry("app", "nginx"));
        assertThatThrownBy(() -> target.expectedImages().put("x", "y"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(target.describe()).isEqualTo("deployment ns/web");
    }
}
