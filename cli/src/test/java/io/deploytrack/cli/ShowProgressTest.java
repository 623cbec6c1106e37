package io.deploytrack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deploytrack.core.CheckRef;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.testkit.ManualClock;
import io.deploytrack.jdbc.JdbcHistoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** show and show --json carry the progress computed from the database alone: another process reads the same. */
class ShowProgressTest {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path dir;

    @Test
    void showPrintsEachStagesElapsedExpectedAndPercentFromTheHistoryInTheDatabase() throws Exception {
        Path db = dir.resolve("progress.db");
        Deployment running;
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(db)) {
            Fixtures.finished(store, "acme/web", "production", "aaaaaaa", T0, 40, DeploymentStatus.SUCCESS);
            Fixtures.finished(store, "acme/web", "production", "bbbbbbb", T0.plusSeconds(600), 50, DeploymentStatus.SUCCESS);
            Fixtures.finished(store, "acme/web", "production", "ccccccc", T0.plusSeconds(1200), 45, DeploymentStatus.SUCCESS);
            running = Fixtures.running(store, "acme/web", "production", "ddddddd", T0.plusSeconds(3600),
                    CheckRef.of("scripted-poll", "id", "now"), Duration.ofMinutes(5), "elsewhere", Duration.ofMinutes(5));
        }
        Cli cli = new Cli().clock(ManualClock.of(T0.plusSeconds(3620)));

        Cli.Result text = cli.run("--db", db.toString(), "show", String.valueOf(running.id()));
        assertThat(text.code()).as(text.toString()).isZero();
        assertThat(text.out()).contains("progress at 2026-03-01",
                "scripted-poll running 40%, elapsed 20s, expected 45s (median of 3, project_environment): "
                        + "about 25 s left, typically 45 s");

        Cli.Result json = cli.run("--db", db.toString(), "show", String.valueOf(running.id()), "--json");
        JsonNode stage = new ObjectMapper().readTree(json.out()).get("progress").get("stages").get(0);
        assertThat(stage.get("percent").asInt()).isEqualTo(40);
        assertThat(stage.get("phase").asText()).isEqualTo("running");
        assertThat(stage.get("expectedSeconds").asLong()).isEqualTo(45);
        assertThat(stage.get("overrunAfterSeconds").asLong()).isEqualTo(56);
        assertThat(stage.get("elapsedSeconds").asLong()).isEqualTo(20);

        Cli.Result later = new Cli().clock(ManualClock.of(T0.plusSeconds(3690)))
                .run("--db", db.toString(), "show", String.valueOf(running.id()), "--json");
        stage = new ObjectMapper().readTree(later.out()).get("progress").get("stages").get(0);
        assertThat(stage.get("phase").asText()).isEqualTo("overrun");
        assertThat(stage.get("summary").asText()).isEqualTo("longer than usual, typically 45 s");
        assertThat(stage.get("percent").asInt()).isBetween(90, 99);
    }
}
