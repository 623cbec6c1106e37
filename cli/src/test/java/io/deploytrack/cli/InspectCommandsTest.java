package io.deploytrack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.jdbc.JdbcHistoryStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** history, show, mark, rollback-target and the usage rules, against a real SQLite file. */
class InspectCommandsTest {
    static final List<String> KEYS = List.of("id", "owner", "repo", "environment", "commitSha", "rollback", "status",
            "startedAt", "deployedAt", "completedAt", "totalDurationSeconds", "errorStage", "errorMessage");
    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path dir;
    Path db;
    Deployment first;
    Deployment second;
    Deployment broken;
    Deployment staging;
    Deployment running;

    @BeforeEach
    void history() {
        db = dir.resolve("history.db");
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(db)) {
            first = Fixtures.finished(store, "acme/web", "production", "aaaaaaa", T0, 40, DeploymentStatus.SUCCESS);
            second = Fixtures.finished(store, "acme/web", "production", "bbbbbbb", T0.plusSeconds(3600), 45, DeploymentStatus.SUCCESS);
            broken = Fixtures.finished(store, "acme/web", "production", "ccccccc", T0.plusSeconds(7200), 12, DeploymentStatus.FAILED);
            staging = Fixtures.finished(store, "acme/web", "staging", "ddddddd", T0.plusSeconds(7300), 30, DeploymentStatus.SUCCESS);
            running = Fixtures.running(store, "acme/api", "production", "eeeeeee", T0.plusSeconds(9000),
                    io.deploytrack.core.CheckRef.of("scripted-poll", "id", "live"), Duration.ofMinutes(5), "someone",
                    Duration.ofMinutes(5));
        }
    }

    Cli.Result run(String... args) {
        List<String> all = new ArrayList<>(List.of("--db", db.toString()));
        all.addAll(List.of(args));
        return new Cli().run(all.toArray(String[]::new));
    }

    @Test
    void historyListsNewestFirstAsTextAndAsAJsonArrayWithExactlyTheContractKeys() throws Exception {
        Cli.Result text = run("history");
        assertThat(text.code()).as(text.toString()).isZero();
        List<String> lines = text.out().lines().toList();
        assertThat(lines.get(0)).startsWith("ID").contains("STATUS", "PROJECT", "COMMIT", "DURATION");
        assertThat(lines.get(1)).startsWith(String.valueOf(running.id())).contains("running", "acme/api");
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("failed", "ccccccc", "12s", "the build failed"));

        Cli.Result json = run("history", "--json", "--project", "acme/web", "--env", "production", "--limit", "2");
        assertThat(json.code()).as(json.toString()).isZero();
        JsonNode array = JSON.readTree(json.out());
        assertThat(array.isArray()).isTrue();
        assertThat(array).hasSize(2);
        List<String> keys = new ArrayList<>();
        array.get(0).fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactlyElementsOf(KEYS);
        JsonNode failed = array.get(0);
        assertThat(failed.get("id").asLong()).isEqualTo(broken.id());
        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(failed.get("deployedAt").isNull()).isTrue();
        assertThat(failed.get("startedAt").asText()).isEqualTo("2026-03-01T12:00:00Z");
        assertThat(failed.get("completedAt").asText()).isEqualTo("2026-03-01T12:00:12Z");
        assertThat(failed.get("totalDurationSeconds").asLong()).isEqualTo(12);
        assertThat(failed.get("errorStage").asText()).isEqualTo("scripted-poll");
        assertThat(array.get(1).get("commitSha").asText()).isEqualTo("bbbbbbb");
        assertThat(array.get(1).get("errorMessage").isNull()).isTrue();
        assertThat(array.get(1).get("rollback").asBoolean()).isFalse();

        Cli.Result none = run("history", "--project", "acme/nothing");
        assertThat(none.code()).isZero();
        assertThat(none.out()).contains("no deployments of acme/nothing");
        assertThat(JSON.readTree(run("history", "--json", "--project", "acme/nothing").out())).isEmpty();
    }

    @Test
    void showPrintsOneDeploymentWithItsChecksAndEventsAndExits4ForAnUnknownId() throws Exception {
        Cli.Result text = run("show", String.valueOf(broken.id()));
        assertThat(text.code()).as(text.toString()).isZero();
        assertThat(text.out()).contains("deployment #" + broken.id(), "failed", "ccccccc", "checks:", "scripted-poll",
                "events:", "started", "completed", "the build failed");

        Cli.Result json = run("show", String.valueOf(second.id()), "--json");
        assertThat(json.code()).isZero();
        JsonNode o = JSON.readTree(json.out());
        List<String> keys = new ArrayList<>();
        o.fieldNames().forEachRemaining(keys::add);
        assertThat(keys.subList(0, KEYS.size())).containsExactlyElementsOf(KEYS);
        assertThat(keys.subList(KEYS.size(), keys.size())).containsExactly("checks", "stages", "events", "progress");
        assertThat(o.get("deployedAt").asText()).isEqualTo("2026-03-01T11:00:45Z");
        assertThat(o.get("checks").get(0).get("status").asText()).isEqualTo("success");
        assertThat(o.get("events")).extracting(e -> e.get("type").asText()).containsExactly("started", "completed");

        Cli.Result missing = run("show", "999");
        assertThat(missing.code()).isEqualTo(4);
        assertThat(missing.err().lines()).hasSize(1);
        assertThat(missing.err()).contains("999");
        Cli.Result verbose = run("show", "999", "--verbose");
        assertThat(verbose.code()).isEqualTo(4);
        assertThat(verbose.err()).contains("DeploymentNotFoundException", "\tat io.deploytrack.");
    }

    @Test
    void markEndsARunningDeploymentWithTheReasonAndRefusesWhatIsNotAllowed() throws Exception {
        Cli.Result ok = run("mark", String.valueOf(running.id()), "--status", "cancelled", "--reason",
                "alice: superseded by the hotfix", "--at", "2026-03-01T21:40:00+09:00");
        assertThat(ok.code()).as(ok.toString()).isZero();
        assertThat(ok.out()).contains("marked cancelled");
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(db)) {
            Deployment d = store.find(running.id()).orElseThrow();
            assertThat(d.status()).isEqualTo(DeploymentStatus.CANCELLED);
            assertThat(d.completedAt()).isEqualTo(Instant.parse("2026-03-01T12:40:00Z"));
            assertThat(store.events(running.id())).anySatisfy(e -> {
                assertThat(e.type()).isEqualTo("marked");
                assertThat(e.message()).isEqualTo("alice: superseded by the hotfix");
            });
        }
        Cli.Result again = run("mark", String.valueOf(first.id()), "--status", "failed", "--reason", "no");
        assertThat(again.code()).as(again.toString()).isEqualTo(5);
        assertThat(again.err().lines()).hasSize(1);
        assertThat(run("mark", "999", "--status", "failed", "--reason", "gone").code()).isEqualTo(4);

        Cli.Result badStatus = run("mark", String.valueOf(running.id()), "--status", "timed_out", "--reason", "x");
        assertThat(badStatus.code()).isEqualTo(2);
        assertThat(badStatus.err().lines()).hasSize(1);
        assertThat(badStatus.err()).contains("expected success, failed or cancelled");
        Cli.Result noReason = run("mark", String.valueOf(running.id()), "--status", "failed");
        assertThat(noReason.code()).isEqualTo(2);
        assertThat(noReason.err()).contains("--reason").doesNotContain("Exception");
        Cli.Result badTime = run("mark", String.valueOf(running.id()), "--status", "failed", "--reason", "x", "--at", "yesterday");
        assertThat(badTime.code()).isEqualTo(2);
        assertThat(badTime.err()).contains("expected ISO-8601");
    }

    @Test
    void rollbackTargetFollowsTheRuleAndExits3WhenThereIsNone() throws Exception {
        Cli.Result text = run("rollback-target", "--project", "acme/web");
        assertThat(text.code()).as(text.toString()).isZero();
        assertThat(text.out()).contains("current: #" + second.id() + " bbbbbbb", "target:  #" + first.id() + " aaaaaaa");

        Cli.Result json = run("rollback-target", "--project", "acme/web", "--env", "production", "--json");
        JsonNode o = JSON.readTree(json.out());
        List<String> keys = new ArrayList<>();
        o.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactlyElementsOf(KEYS);
        assertThat(o.get("id").asLong()).isEqualTo(first.id());

        Cli.Result none = run("rollback-target", "--project", "acme/web", "--env", "staging");
        assertThat(none.code()).isEqualTo(3);
        assertThat(none.err().lines()).hasSize(1);
        assertThat(none.err()).contains("no rollback target for acme/web in staging");
        assertThat(run("rollback-target", "--project", "acme/api").code()).isEqualTo(3);
    }

    @Test
    void usageErrorsExit2WithOneLineThatSaysWhatIsExpected() {
        for (String[] args : List.of(new String[]{"history", "--limit", "0"}, new String[]{"history", "--project", "acme"},
                new String[]{"rollback-target"}, new String[]{"show", "abc"}, new String[]{"history", "--nope"},
                new String[]{"report", "--html", dir.resolve("r.html").toString(), "--since", "3 days"},
                new String[]{"frobnicate"})) {
            Cli.Result r = run(args);
            assertThat(r.code()).as(String.join(" ", args) + "\n" + r).isEqualTo(2);
            assertThat(r.err().lines()).as(r.toString()).hasSize(1);
            assertThat(r.err()).contains("usage: ").doesNotContain("at io.", "Exception");
        }
        assertThat(run("history", "--project", "acme").err()).contains("expected OWNER/REPO");
        assertThat(run("report", "--html", "x.html", "--since", "3 days").err()).contains("500ms, 10s, 5m, 1h");
        assertThat(new Cli().run().code()).isEqualTo(2);
        for (String ok : List.of("500ms", "10s", "5m", "1h")) {
            // accepted; it exits 1 because the running row's check type has no source here (listed, not success)
            Cli.Result r = run("resume", "--until-idle", "--interval", ok);
            assertThat(r.code()).as(ok + "\n" + r).isEqualTo(1);
            assertThat(r.out()).contains("left that no source here can follow", "#" + running.id());
        }
        assertThat(run("resume", "--until-idle", "--interval", "0s").code()).isEqualTo(2);
    }

    @Test
    void aMissingDatabaseIsOneClearLineAndTheEnvironmentVariableIsTheDefault() {
        Cli.Result missing = new Cli().run("--db", dir.resolve("nothing.db").toString(), "history");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err().lines()).hasSize(1);
        assertThat(missing.err()).contains("nothing.db", "DEPLOYTRACK_DB");

        Cli.Result fromEnv = new Cli().env("DEPLOYTRACK_DB", db.toString()).run("history", "--json");
        assertThat(fromEnv.code()).as(fromEnv.toString()).isZero();
        assertThat(fromEnv.out()).contains("\"commitSha\" : \"aaaaaaa\"");

        Cli.Result url = new Cli().run("history", "--db", "jdbc:sqlite:" + db, "--limit", "1");
        assertThat(url.code()).as(url.toString()).isZero();
        Cli.Result badUrl = new Cli().run("history", "--db", "jdbc:mysql://db/x?password=secret");
        assertThat(badUrl.code()).isEqualTo(2);
        assertThat(badUrl.err()).doesNotContain("secret");
    }
}
