package io.deploytrack.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeploymentRequestTest {

    @Test
    void normalisesAndDefaults() {
        DeploymentRequest r = DeploymentRequest.builder("acme", "web.app", "ABCDEF1234").build();
        assertThat(r.commitSha()).isEqualTo("abcdef1234");
        assertThat(r.environment()).isEqualTo("production");
        assertThat(r.rollback()).isFalse();
        assertThat(r.project()).isEqualTo("acme/web.app");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "owner|''|owner is required",
            "owner|-acme|owner '-acme' is not valid",
            "owner|acme-|owner 'acme-' is not valid",
            "owner|ac--me|owner 'ac--me' is not valid",
            "owner|a234567890123456789012345678901234567890|is not valid",
            "repo|''|repo is required",
            "repo|my repo|repo 'my repo' is not valid",
            "repo|..|reserved",
            "commitSha|abc|expected 7 to 40 hexadecimal characters",
            "commitSha|xyz1234|commitSha 'xyz1234' is not a commit SHA",
            "commitSha|0123456789012345678901234567890123456789a|got 41 characters",
            "environment|prod uction|environment 'prod uction' is not valid",
    })
    void refusesBadInputNamingTheField(String field, String value, String message) {
        DeploymentRequest.Builder b = DeploymentRequest.builder("acme", "web", "abc1234");
        switch (field) {
            case "owner" -> b.owner(value);
            case "repo" -> b.repo(value);
            case "commitSha" -> b.commitSha(value);
            case "environment" -> b.environment(value);
            default -> throw new IllegalArgumentException(field);
        }
        assertThatThrownBy(b::build).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((InvalidRequestException) e).field()).isEqualTo(field));
    }

    @Test
    void refusesNullShaAndBadAttributes() {
        assertThatThrownBy(() -> DeploymentRequest.builder("acme", "web", null).build())
                .hasMessageContaining("commitSha is required");
        assertThatThrownBy(() -> DeploymentRequest.builder("acme", "web", "abc1234").attribute("bad key", "v").build())
                .hasMessageContaining("attribute key 'bad key'");
        assertThatThrownBy(() -> DeploymentRequest.builder().project("acme").commitSha("abc1234").build())
                .hasMessageContaining("expected OWNER/REPO");
    }

    @Test
    void checkRefEncodesAndDecodes() {
        CheckRef ref = CheckRef.of("ncp", "projectId", "7", "historyId", "17", "note", "a b&c=d");
        CheckRef back = CheckRef.decode("ncp", ref.encodeFields());
        assertThat(back).isEqualTo(ref);
        assertThat(ref.encodeFields()).startsWith("historyId=17&note=");
        assertThatThrownBy(() -> CheckRef.of("NCP")).hasMessageContaining("source type 'NCP'");
        assertThatThrownBy(() -> ref.require("stageId")).hasMessageContaining("'stageId'");
    }
}
