package io.deploytrack.webhook.internal;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonTest {

    @Test
    void parsesEveryKindOfValue() throws Exception {
        Object v = Json.parse(" {\"a\": [1, -2.5e3, true, false, null], \"b\": \"x\\\"y\\u00e9\\n\", \"c\": {}} ");
        assertThat(v).isEqualTo(Map.of("a", List.of(new BigDecimal("1"), new BigDecimal("-2.5e3"), true, false, Json.NULL),
                "b", "x\"y\u00e9\n", "c", Map.of()));
    }

    @Test
    void refusesWhatLenientParsersAccept() {
        for (String bad : List.of("{\"a\": 1,}", "[1,]", "{'a': 1}", "{\"a\": 01}", "{\"a\": 1} x", "{\"a\": 1, \"a\": 2}",
                "{\"a\": \"tab\there\"}", "// c\n{}", "{\"a\": tru}", "", "{\"a\": \"\\x\"}", "[".repeat(100) + "]".repeat(100))) {
            assertThatThrownBy(() -> Json.parse(bad)).as(bad).isInstanceOf(Json.ParseException.class)
                    .hasMessageStartingWith("malformed JSON at character");
        }
    }

    @Test
    void mapsProviderWords() {
        assertThat(Payloads.stateOf("success")).isEqualTo(io.deploytrack.core.Observation.State.SUCCEEDED);
        assertThat(Payloads.stateOf("Canceled")).isEqualTo(io.deploytrack.core.Observation.State.CANCELLED);
        assertThat(Payloads.stateOf("failure")).isEqualTo(io.deploytrack.core.Observation.State.FAILED);
        assertThat(Payloads.stateOf("approval")).isEqualTo(io.deploytrack.core.Observation.State.AWAITING_APPROVAL);
        assertThat(Payloads.stateOf("inprogress")).isEqualTo(io.deploytrack.core.Observation.State.IN_PROGRESS);
        assertThat(Payloads.stateOf("some-new-word")).isEqualTo(io.deploytrack.core.Observation.State.IN_PROGRESS);
    }
}
