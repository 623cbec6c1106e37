package io.deploytrack.core;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class DeploymentEventTypeTest {

    @Test
    void eachTypeCarriesItsStoredWordAndIsFoundByIt() {
        assertThat(DeploymentEvent.Type.POLL_ERROR.word()).isEqualTo("poll_error");
        assertThat(DeploymentEvent.Type.STAGE_COMPLETED.word()).isEqualTo("stage_completed");
        for (DeploymentEvent.Type t : DeploymentEvent.Type.values()) {
            assertThat(DeploymentEvent.Type.fromWord(t.word())).hasValue(t);
        }
        assertThat(Arrays.stream(DeploymentEvent.Type.values()).map(DeploymentEvent.Type::word).distinct())
                .hasSize(DeploymentEvent.Type.values().length);
    }

    @Test
    void anEventOfATypeStoresTheWordAndAnUnknownWordHasNoType() {
        Instant at = Instant.parse("2026-03-01T10:00:00Z");
        DeploymentEvent typed = DeploymentEvent.of(7, at, DeploymentEvent.Type.MARKED, null, null, null, null, "why");
        assertThat(typed.type()).isEqualTo("marked");
        assertThat(typed.knownType()).hasValue(DeploymentEvent.Type.MARKED);
        assertThat(typed.is(DeploymentEvent.Type.MARKED)).isTrue();
        assertThat(typed.is(DeploymentEvent.Type.COMPLETED)).isFalse();

        DeploymentEvent other = DeploymentEvent.of(7, at, "host_audit", null, null, null, null, null);
        assertThat(other.knownType()).isEmpty();
        assertThat(DeploymentEvent.Type.fromWord("Marked")).isEmpty();
    }
}
