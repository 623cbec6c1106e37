package io.deploytrack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deploytrack.core.CheckRef;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.Observation;
import io.deploytrack.core.testkit.ScriptedPollingSource;
import io.deploytrack.jdbc.JdbcHistoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** doctor and repair on a database a host's own code wrote before deploytrack, and on deploytrack's own rows. */
class DoctorRepairTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** The table as a host's home-made tracker left it: no environment, no keys, no leases, no unique constraints. */
    static void legacy(Path db, String... rows) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE deployment_histories (id INTEGER PRIMARY KEY AUTOINCREMENT, github_owner TEXT NOT NULL, "
                    + "github_repo TEXT NOT NULL, github_commit_sha TEXT NOT NULL, is_rollback BOOLEAN DEFAULT 0, "
                    + "status TEXT NOT NULL, started_at TEXT, deployed_at TEXT, completed_at TEXT, total_duration INTEGER, "
                    + "error_stage TEXT, error_message TEXT)");
            for (String r : rows) {
                s.execute("INSERT INTO deployment_histories (github_owner, github_repo, github_commit_sha, status, "
                        + "started_at, deployed_at, completed_at, total_duration) VALUES " + r);
            }
        }
    }

    static Map<Long, String> rows(Path db) throws Exception {
        Map<Long, String> out = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, github_commit_sha, status, deployed_at, completed_at, total_duration "
                     + "FROM deployment_histories ORDER BY id")) {
            while (rs.next()) {
                out.put(rs.getLong(1), rs.getString(2) + " " + rs.getString(3) + " deployed=" + rs.getString(4)
                        + " completed=" + rs.getString(5) + " total=" + rs.getString(6));
            }
        }
        return out;
    }

    static List<String> indexes(Path db) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'ux_%' ORDER BY name")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Test
    void aLegacyDatabaseWithDuplicatesAndStaleRowsIsDiagnosedPlannedRepairedAndThenHealthy() throws Exception {
        Path db = dir.resolve("legacy.db");
        legacy(db,
                // 1: a success without deployed_at; 2: the same deployment recorded again 20 s later, left running
                "('acme', 'web', 'aaaaaaa', 'success', '2026-01-01 10:00:00', NULL, '2026-01-01 10:01:00', 60)",
                "('acme', 'web', 'aaaaaaa', 'running', '2026-01-01 10:00:20', NULL, NULL, NULL)",
                // 3 and 4: one deployment recorded twice, both stuck running (they break the one-running index)
                "('acme', 'api', 'bbbbbbb', 'running', '2026-01-02 09:00:00', NULL, NULL, NULL)",
                "('acme', 'api', 'bbbbbbb', 'running', '2026-01-02 09:00:30', NULL, NULL, NULL)",
                // 5: a success without total_duration; 6: a duration that does not match its times
                "('acme', 'web', 'ccccccc', 'success', '2026-01-03 10:00:00', '2026-01-03 10:02:00', '2026-01-03 10:02:00', NULL)",
                "('acme', 'web', 'ddddddd', 'failed', '2026-01-04 10:00:00', NULL, '2026-01-04 10:00:30', 99)",
                // 7: healthy; 8: a deliberate redeploy of commit aaaaaaa days later
                "('acme', 'web', 'eeeeeee', 'success', '2026-01-05 10:00:00', '2026-01-05 10:00:40', '2026-01-05 10:00:40', 40)",
                "('acme', 'web', 'aaaaaaa', 'success', '2026-01-06 10:00:00', '2026-01-06 10:00:50', '2026-01-06 10:00:50', 50)",
                // 9 and 10: a failure, then a redeploy of the same commit a minute later: two real deployments
                "('acme', 'web', 'fffffff', 'failed', '2026-01-07 10:00:00', NULL, '2026-01-07 10:00:20', 20)",
                "('acme', 'web', 'fffffff', 'success', '2026-01-07 10:01:00', '2026-01-07 10:01:45', '2026-01-07 10:01:45', 45)");
        String dbArg = db.toString();

        Cli.Result doctor = new Cli().run("--db", dbArg, "doctor");
        assertThat(doctor.code()).as(doctor.toString()).isEqualTo(1);
        assertThat(doctor.out()).contains(
                "duplicate [rows 1, 2]", "duplicate [rows 3, 4]",
                "stale_running [row 2]", "stale_running [row 3]", "stale_running [row 4]",
                "success_missing_deployed_at [row 1]", "success_missing_total_duration [row 5]",
                "duration_mismatch [row 6]", "pending_constraint: unique index ux_deployment_histories_one_running");
        assertThat(doctor.out()).doesNotContain("[row 7]", "[row 8]", "rows 9", "[row 9]", "[row 10]");
        // adopted, nothing deleted, the unique index that the duplicates break is pending
        assertThat(rows(db)).hasSize(10);
        assertThat(indexes(db)).containsExactly("ux_deployment_histories_idempotency_key");

        JsonNode json = JSON.readTree(new Cli().run("--db", dbArg, "doctor", "--json").out());
        assertThat(json.get("healthy").asBoolean()).isFalse();
        assertThat(json.get("deployments").asInt()).isEqualTo(10);
        assertThat(json.get("problems")).anySatisfy(p -> {
            assertThat(p.get("kind").asText()).isEqualTo("duplicate");
            assertThat(p.get("ids")).extracting(JsonNode::asLong).containsExactly(3L, 4L);
        });

        Map<Long, String> before = rows(db);
        Cli.Result plan = new Cli().run("--db", dbArg, "repair");
        assertThat(plan.code()).as(plan.toString()).isZero();
        assertThat(plan.out()).contains("dry run", "merge [rows 1, 2]: keep #1", "merge [rows 3, 4]: keep #3",
                "resolve [row 3]", "fill [row 1]: deployed_at = 2026-01-01 10:01:00Z (from its completed_at)",
                "fill [row 5]: total_duration = 120 s", "fix [row 6]: total_duration 99 s becomes 30 s",
                "create the unique index ux_deployment_histories_one_running", "'deploytrack repair --apply'");
        assertThat(plan.out()).doesNotContain("resolve [row 2]", "resolve [row 4]");
        assertThat(rows(db)).as("a plan changes nothing").isEqualTo(before);

        Cli.Result apply = new Cli().run("--db", dbArg, "repair", "--apply");
        assertThat(apply.code()).as(apply.toString()).isZero();
        assertThat(apply.out()).contains("merged #2 into #1", "merged #4 into #3", "resolved #3",
                "running -> timed_out", "created the unique index ux_deployment_histories_one_running");

        Map<Long, String> after = rows(db);
        assertThat(after.keySet()).containsExactly(1L, 3L, 5L, 6L, 7L, 8L, 9L, 10L);
        for (long kept : List.of(7L, 8L, 9L, 10L)) {
            assertThat(after.get(kept)).as("row %d was healthy", kept).isEqualTo(before.get(kept));
        }
        assertThat(after.get(1L)).isEqualTo("aaaaaaa success deployed=2026-01-01T10:01:00.000Z completed=2026-01-01 10:01:00 total=60");
        assertThat(after.get(3L)).startsWith("bbbbbbb timed_out deployed=null completed=2026-01-02T09:05:00.000Z total=300");
        assertThat(after.get(5L)).endsWith("total=120");
        assertThat(after.get(6L)).endsWith("total=30");
        assertThat(indexes(db)).containsExactly("ux_deployment_histories_idempotency_key", "ux_deployment_histories_one_running");

        Cli.Result healthy = new Cli().run("--db", dbArg, "doctor");
        assertThat(healthy.code()).as(healthy.toString()).isZero();
        assertThat(healthy.out()).contains("healthy: 8 deployments");
        Cli.Result nothing = new Cli().run("--db", dbArg, "repair");
        assertThat(nothing.out()).contains("nothing to repair");

        // every change is in the rows' events, and the store reads the repaired rows
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(db)) {
            assertThat(store.events(1)).extracting(e -> e.type() + ": " + e.message())
                    .anySatisfy(e -> assertThat(e).startsWith("repaired: merged #2 into #1"))
                    .anySatisfy(e -> assertThat(e).startsWith("repaired: filled from evidence: deployed_at"));
            Deployment three = store.find(3).orElseThrow();
            assertThat(three.status()).isEqualTo(DeploymentStatus.TIMED_OUT);
            assertThat(three.errorMessage()).contains("past its deadline", "no check to ask a source about");
            assertThat(store.events(3)).anySatisfy(e -> assertThat(e.toStatus()).isEqualTo(DeploymentStatus.TIMED_OUT));
        }
        Cli.Result show = new Cli().run("--db", dbArg, "show", "1");
        assertThat(show.out()).contains("repaired", "merged #2 into #1");
    }

    @Test
    void aRowWithoutEvidenceStaysAsItIsAndIsListed() throws Exception {
        Path db = dir.resolve("legacy.db");
        legacy(db,
                "('acme', 'web', 'aaaaaaa', 'success', '2026-01-01 10:00:00', NULL, NULL, NULL)",
                "('acme', 'web', 'bbbbbbb', 'SUCCESS', '2026-01-02 10:00:00', '2026-01-02 10:00:30', '2026-01-02 10:00:30', 30)");
        Map<Long, String> before = rows(db);
        Cli.Result doctor = new Cli().run("--db", db.toString(), "doctor");
        assertThat(doctor.code()).isEqualTo(1);
        assertThat(doctor.out()).contains("success_missing_deployed_at [row 1]", "success_missing_total_duration [row 1]",
                "unknown_status [row 2]");

        Cli.Result plan = new Cli().run("--db", db.toString(), "repair");
        assertThat(plan.out()).contains("left as is:", "row 1: success without deployed_at", "normalize [row 2]");
        Cli.Result apply = new Cli().run("--db", db.toString(), "repair", "--apply");
        assertThat(apply.code()).as(apply.toString()).isZero();
        assertThat(apply.out()).contains("left as is:", "row 1: success without deployed_at", "row 2: status 'SUCCESS' -> 'success'");
        assertThat(rows(db).get(1L)).isEqualTo(before.get(1L));
        assertThat(rows(db).get(2L)).startsWith("bbbbbbb success");

        Cli.Result still = new Cli().run("--db", db.toString(), "doctor");
        assertThat(still.code()).isEqualTo(1);
        assertThat(still.out()).contains("[row 1]").doesNotContain("row 2");
    }

    @Test
    void aStaleRowIsResolvedByAskingItsSourceAndOtherwiseTimesOut() throws Exception {
        Path db = dir.resolve("history.db");
        Instant start = Instant.now().minus(Duration.ofHours(2));
        ScriptedPollingSource source = ScriptedPollingSource.of("scripted-poll", Duration.ofMillis(100));
        CheckRef asked = source.ref("asked");
        source.script(asked, Observation.succeeded("success").withTimes(start.plusSeconds(5), start.plusSeconds(75)));
        Deployment reachable;
        Deployment unreachable;
        Deployment followed;
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(db)) {
            reachable = Fixtures.running(store, "acme/web", "production", "aaaaaaa", start, asked,
                    Duration.ofMinutes(5), "crashed-instance", Duration.ofMillis(1));
            unreachable = Fixtures.running(store, "acme/api", "production", "bbbbbbb", start,
                    CheckRef.of("elsewhere", "id", "1"), Duration.ofMinutes(5), "crashed-instance", Duration.ofMillis(1));
            followed = Fixtures.running(store, "acme/db", "production", "ccccccc", start,
                    CheckRef.of("elsewhere", "id", "2"), Duration.ofMinutes(5), "live-instance", Duration.ofHours(1));
        }
        Cli cli = new Cli().source(source);
        Cli.Result doctor = cli.run("--db", db.toString(), "doctor");
        assertThat(doctor.code()).isEqualTo(1);
        assertThat(doctor.out()).contains("stale_running [row " + reachable.id() + "]",
                "stale_running [row " + unreachable.id() + "]").doesNotContain("[row " + followed.id() + "]");

        Cli.Result plan = cli.run("--db", db.toString(), "repair");
        assertThat(plan.out()).contains("ask scripted-poll about check 'scripted-poll'",
                "cannot ask about check 'elsewhere': no status source of type 'elsewhere'");

        Cli.Result apply = cli.run("--db", db.toString(), "repair", "--apply", "--source-timeout", "5s");
        assertThat(apply.code()).as(apply.toString()).isZero();
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(db)) {
            Deployment ok = store.find(reachable.id()).orElseThrow();
            assertThat(ok.status()).isEqualTo(DeploymentStatus.SUCCESS);
            assertThat(ok.deployedAt()).isEqualTo(start.plusSeconds(75).truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
            assertThat(ok.checks().get(0).status()).isEqualTo(DeploymentStatus.SUCCESS);
            Deployment timedOut = store.find(unreachable.id()).orElseThrow();
            assertThat(timedOut.status()).isEqualTo(DeploymentStatus.TIMED_OUT);
            assertThat(timedOut.completedAt()).isEqualTo(start.plus(Duration.ofMinutes(5)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
            assertThat(timedOut.errorStage()).isEqualTo("elsewhere");
            assertThat(store.find(followed.id()).orElseThrow().status()).isEqualTo(DeploymentStatus.RUNNING);
        }
        assertThat(cli.run("--db", db.toString(), "doctor").code()).isZero();
    }
}
