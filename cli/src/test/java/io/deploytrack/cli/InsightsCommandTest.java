package io.deploytrack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deploytrack.core.InsightsContract;
import io.deploytrack.jdbc.JdbcHistoryStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code insights} through the real command on a real SQLite file holding core's hand-made insights history
 * ({@link InsightsContract}: its comment works out every figure checked here), with the clock at the window's end.
 */
class InsightsCommandTest {
    static final List<String> KEYS = List.of("project", "environment", "from", "to", "deployments", "rollbacks",
            "failedAttempts", "deploymentFrequency", "changeFailRate", "recoveryTime", "reworkRate", "leadTime");
    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant TO = Instant.parse("2026-03-29T00:00:00Z");

    @TempDir
    Path dir;
    Path db;

    @BeforeEach
    void history() {
        db = dir.resolve("history.db");
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(db)) {
            InsightsContract.write(store);
        }
    }

    Cli.Result run(String... args) {
        List<String> all = new ArrayList<>(List.of("--db", db.toString()));
        all.addAll(List.of(args));
        return new Cli().clock(Clock.fixed(TO, ZoneOffset.UTC)).run(all.toArray(String[]::new));
    }

    @Test
    void jsonHasOneObjectPerTargetWithTheIssuesKeysAndTheWorkedOutFigures() throws Exception {
        Cli.Result r = run("insights", "--project", "acme/web", "--env", "production", "--since", "28d", "--json");
        assertThat(r.code()).as(r.toString()).isZero();
        JsonNode array = JSON.readTree(r.out());
        assertThat(array).hasSize(1);
        JsonNode o = array.get(0);
        List<String> keys = new ArrayList<>();
        o.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactlyElementsOf(KEYS);
        assertThat(o.get("project").asText()).isEqualTo("acme/web");
        assertThat(o.get("environment").asText()).isEqualTo("production");
        assertThat(o.get("from").asText()).isEqualTo("2026-03-01T00:00:00Z");
        assertThat(o.get("to").asText()).isEqualTo("2026-03-29T00:00:00Z");
        assertThat(o.get("deployments").asInt()).isEqualTo(9);
        assertThat(o.get("rollbacks").asInt()).isEqualTo(2);
        assertThat(o.get("failedAttempts").asInt()).isEqualTo(4);
        JsonNode f = o.get("deploymentFrequency");
        assertThat(fields(f)).startsWith("perWeek", "deploymentDaysPerWeekMedian", "longestGapSeconds");
        assertThat(f.get("perWeek").asDouble()).isEqualTo(2.25);
        assertThat(f.get("deploymentDaysPerWeekMedian").asDouble()).isEqualTo(1.5);
        assertThat(f.get("longestGapSeconds").asLong()).isEqualTo(604_800);
        JsonNode c = o.get("changeFailRate");
        assertThat(fields(c)).containsExactly("failures", "deployments", "ratio", "level");
        assertThat(c.get("failures").asInt()).isEqualTo(3);
        assertThat(c.get("deployments").asInt()).isEqualTo(9);
        assertThat(c.get("ratio").asDouble()).isCloseTo(1 / 3.0, within(1e-9));
        assertThat(c.get("level").asText()).isEqualTo("medium");
        JsonNode rt = o.get("recoveryTime");
        assertThat(fields(rt)).containsExactly("count", "medianSeconds", "p90Seconds", "level");
        assertThat(rt.get("count").asInt()).isEqualTo(3);
        assertThat(rt.get("medianSeconds").asDouble()).isEqualTo(5100);
        assertThat(rt.get("p90Seconds").asDouble()).isEqualTo(93300);
        assertThat(rt.get("level").asText()).isEqualTo("high");
        JsonNode w = o.get("reworkRate");
        assertThat(fields(w)).startsWith("reworks", "deployments", "ratio");
        assertThat(w.get("reworks").asInt()).isEqualTo(3);
        assertThat(w.get("deployments").asInt()).isEqualTo(11);
        // no --git / --github: lead time is null, never guessed
        assertThat(o.get("leadTime").isNull()).isTrue();
    }

    @Test
    void withoutProjectAndEnvironmentEveryTargetThatDeployedInTheWindowIsShownAsText() {
        Cli.Result r = run("insights", "--since", "4w");
        assertThat(r.code()).as(r.toString()).isZero();
        List<String> heads = r.out().lines().filter(l -> !l.startsWith(" ") && !l.isBlank()).toList();
        assertThat(heads).containsExactly(
                "acme/api in production, 2026-03-01T00:00:00Z to 2026-03-29T00:00:00Z",
                "acme/web in production, 2026-03-01T00:00:00Z to 2026-03-29T00:00:00Z",
                "acme/web in staging, 2026-03-01T00:00:00Z to 2026-03-29T00:00:00Z");
        assertThat(r.out()).contains("change fail rate      33.3 % (3 of 9 deployments)  [medium]",
                "recovery time         median 1h25m, p90 25h55m (3 recoveries)  [high]",
                "rework rate           27.3 % (3 of 11: 2 rollbacks, 1 fix redeploys)",
                "lead time             not computed: no commit resolver (--git DIR or --github)");
    }

    @Test
    void aWindowThatIsNotOneIsAUsageErrorNamingIt() {
        Cli.Result r = run("insights", "--since", "90 days");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("'90 days' is not a window", "e.g. 90d");
    }

    private static List<String> fields(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
