package io.deploytrack.cli;

import io.deploytrack.jdbc.HostTable;
import io.deploytrack.ncp.emulator.NcpEmulator;
import io.deploytrack.ncp.emulator.NcpScript;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.deploytrack.ncp.emulator.NcpScript.end;
import static io.deploytrack.ncp.emulator.NcpScript.step;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code deploytrack adopt} with the host's meaning, through the real command against the NCP emulator: the host's
 * status words, its SourceDeploy stage columns and stage name, its rollback column. The host reads only its own words
 * and stage columns that agree with the row; {@code history --json} keeps the precise statuses. Maps onto
 * deploytrack's own columns are refused, and the dry run leaves the file as it was, journal mode included.
 */
@Timeout(120)
class AdoptHostMeaningTest {
    static final long P = Long.parseLong(HostTable.NCP_PROJECT);
    static final long STAGE = 34;
    static final long SCENARIO = 56;
    /** The whole adopt line for this host (docs/adoption.md's). */
    static final List<String> HOST_FLAGS = List.of("--zone", "Asia/Seoul",
            "--map", "environment=namespace",
            "--map", "attribute:ncp_project_id=sourcedeploy_project_id",
            "--map", "attribute:ncp_history_id=deploy_id",
            "--map", "check:ncp.status=sourcedeploy_status",
            "--map", "check:ncp.duration=sourcedeploy_duration",
            "--map", "rollback_of=rollback_from_id",
            "--default", "user_id=deploytrack",
            "--status-map", "cancelled=failed",
            "--status-map", "timed_out=failed",
            "--status-map", "sourcedeploy_status:running=started",
            "--stage-name", "ncp=sourcedeploy");

    @TempDir
    Path dir;
    NcpEmulator ncp;
    Instant now;
    Path db;
    long row6History;

    @BeforeEach
    void start() throws Exception {
        ncp = NcpEmulator.start();
        ncp.addScenario(P, STAGE, SCENARIO);
        row6History = ncp.createHistory(P, NcpScript.of(end("success")));
        now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        db = dir.resolve("paas.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            HostTable.create(c, false, LocalDateTime.ofInstant(now, HostTable.SEOUL), Long.toString(row6History));
        }
    }

    @AfterEach
    void stop() {
        ncp.close();
    }

    Cli cli() {
        return new Cli().env("NCP_ACCESS_KEY", ncp.accessKey()).env("NCP_SECRET_KEY", ncp.secretKey())
                .env("NCP_ENDPOINT", ncp.baseUri().toString());
    }

    String[] adopt(List<String> flags, String... more) {
        List<String> args = new ArrayList<>(List.of("--db", db.toString(), "adopt"));
        args.addAll(flags);
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void mapsOntoOwnedColumnsAreRefusedAndTheDryRunChangesNothingJournalModeIncluded() throws Exception {
        Map<Long, Map<String, String>> before = table();
        // each refused flag, and the column its refusal must name
        Map<List<String>, String> refused = new LinkedHashMap<>();
        refused.put(List.of("--map", "environment=status"), "status");
        refused.put(List.of("--default", "id=5"), "id");
        refused.put(List.of("--map", "attribute:x=lease_owner"), "lease_owner");
        refused.put(List.of("--map", "attribute:sha=github_commit_sha"), "github_commit_sha");
        refused.put(List.of("--map", "attribute:x=sourcedeploy_status"), "sourcedeploy_status");
        for (Map.Entry<List<String>, String> bad : refused.entrySet()) {
            List<String> flags = new ArrayList<>(HOST_FLAGS);
            flags.addAll(bad.getKey());
            Cli.Result r = cli().run(adopt(flags, "--apply"));
            assertThat(r.code()).as(r.toString()).isEqualTo(2);
            assertThat(r.err()).as(r.toString()).contains("column '" + bad.getValue() + "'");
            assertThat(table()).isEqualTo(before);
        }
        Cli.Result owned = cli().run(adopt(List.of("--map", "environment=status")));
        assertThat(owned.err()).contains("column 'status'", "deploytrack owns it");
        Cli.Result twice = cli().run(adopt(List.of("--map", "check:ncp.status=sourcedeploy_status",
                "--map", "attribute:x=sourcedeploy_status")));
        assertThat(twice.err()).contains("column 'sourcedeploy_status' is mapped twice");
        Cli.Result word = cli().run(adopt(List.of("--status-map", "canceled=failed")));
        assertThat(word.code()).isEqualTo(2);
        assertThat(word.err()).contains("'canceled' is not a deploytrack status", "running, success, failed, cancelled or timed_out");

        Cli.Result plan = cli().clock(Clock.fixed(now, ZoneOffset.UTC)).run(adopt(HOST_FLAGS));
        assertThat(plan.code()).as(plan.toString()).isZero();
        assertThat(plan.out()).contains("dry run", "status words: cancelled=failed, timed_out=failed",
                "check ncp.status: column sourcedeploy_status", "check ncp.duration: column sourcedeploy_duration",
                "status words of sourcedeploy_status: running=started", "stage name: check ncp is sourcedeploy",
                "rollback link: column rollback_from_id");
        assertThat(table()).isEqualTo(before);
        assertThat(journalMode()).isEqualTo("delete");
        assertThat(Path.of(db + "-wal")).doesNotExist();
    }

    @Test
    void theHostReadsOnlyItsWordsAndAgreeingStagesWhileHistoryKeepsThePreciseStatuses() throws Exception {
        Cli fixed = cli().clock(Clock.fixed(now, ZoneOffset.UTC));
        Cli.Result adopt = fixed.run(adopt(HOST_FLAGS, "--apply"));
        assertThat(adopt.code()).as(adopt.toString()).isZero();
        assertThat(adopt.out()).contains("settings recorded", "status words: cancelled=failed, timed_out=failed");

        Cli.Result repair = fixed.run("--db", db.toString(), "repair", "--apply");
        assertThat(repair.code()).as(repair.toString()).isZero();
        assertThat(repair.out()).contains("resolved #5", "running -> timed_out", "resolved #6", "running -> success");
        // row 6 named its NCP deployment in its columns: NCP's answer lands in the SourceDeploy stage columns too
        assertThat(host(6)).containsEntry("status", "success").containsEntry("sourcedeploy_status", "success")
                .containsEntry("deploytrack_status", "success");
        assertThat(host(6).get("sourcedeploy_duration")).isNotNull();
        assertThat(host(5)).containsEntry("status", "failed").containsEntry("deploytrack_status", "timed_out");

        Map<String, Long> ids = new LinkedHashMap<>();
        ids.put("success", deploy("9f8e7d6c5b4a39281706f5e4d3c2b1a098765432", end("success"), 0));
        ids.put("failed", deploy("8f8e7d6c5b4a39281706f5e4d3c2b1a098765432", end("fail"), 6));
        ids.put("cancelled", deploy("7f8e7d6c5b4a39281706f5e4d3c2b1a098765432", end("canceled"), 6));

        assertThat(host(ids.get("success"))).containsEntry("status", "success").containsEntry("sourcedeploy_status", "success");
        assertThat(host(ids.get("success")).get("sourcedeploy_duration")).isNotNull();
        assertThat(host(ids.get("success")).get("error_stage")).isNull();
        assertThat(host(ids.get("failed"))).containsEntry("status", "failed").containsEntry("sourcedeploy_status", "failed")
                .containsEntry("error_stage", "sourcedeploy").containsEntry("deploytrack_status", "failed");
        assertThat(host(ids.get("cancelled"))).containsEntry("status", "failed")
                .containsEntry("sourcedeploy_status", "failed").containsEntry("deploytrack_status", "cancelled");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, status, sourcedeploy_status FROM deployment_histories")) {
            while (rs.next()) {
                assertThat(rs.getString(2)).as("row %d", rs.getLong(1)).isIn("running", "success", "failed");
                if (rs.getString(3) != null) {
                    assertThat(rs.getString(3)).as("row %d", rs.getLong(1)).isIn("started", "success", "failed");
                }
            }
        }

        // deploytrack keeps the precise statuses in everything it reports
        Cli.Result history = cli().run("--db", db.toString(), "history", "--json", "--limit", "100");
        assertThat(history.code()).as(history.toString()).isZero();
        assertThat(history.out()).containsPattern("\"id\"\\s*:\\s*" + ids.get("cancelled") + "[^}]*\"status\"\\s*:\\s*\"cancelled\"")
                .containsPattern("\"id\"\\s*:\\s*5,[^}]*\"status\"\\s*:\\s*\"timed_out\"");
        Cli.Result show = cli().run("--db", db.toString(), "show", String.valueOf(ids.get("failed")));
        assertThat(show.code()).as(show.toString()).isZero();
        assertThat(show.out()).contains("failed", "ncp");
    }

    /** One {@code ncp deploy} whose NCP deployment ends as {@code last}; returns its row's id. */
    private long deploy(String sha, NcpScript.Step last, int expectedCode) throws Exception {
        ncp.onDeploy(SCENARIO, NcpScript.of(step("inprogress", Duration.ofMillis(200)), last));
        Cli.Result r = cli().run("--db", db.toString(), "ncp", "deploy", "--project-id", String.valueOf(P),
                "--stage-id", String.valueOf(STAGE), "--scenario-id", String.valueOf(SCENARIO), "--project", "acme/web",
                "--commit", sha, "--env", "default", "--interval", "100ms", "--timeout", "30s");
        assertThat(r.code()).as(r.toString()).isEqualTo(expectedCode);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM deployment_histories WHERE github_commit_sha = '" + sha + "'")) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }

    private Map<String, String> host(long id) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT status, deploytrack_status, sourcedeploy_status, sourcedeploy_duration, "
                     + "error_stage FROM deployment_histories WHERE id = " + id)) {
            assertThat(rs.next()).as("row %d", id).isTrue();
            Map<String, String> out = new LinkedHashMap<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                out.put(rs.getMetaData().getColumnName(i), rs.getString(i));
            }
            return out;
        }
    }

    private Map<Long, Map<String, String>> table() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            return HostTable.read(c);
        }
    }

    private String journalMode() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
            rs.next();
            return rs.getString(1).toLowerCase(java.util.Locale.ROOT);
        }
    }
}
