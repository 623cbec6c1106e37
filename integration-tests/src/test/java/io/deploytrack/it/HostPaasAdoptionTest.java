package io.deploytrack.it;

import io.deploytrack.cli.Deploytrack;
import io.deploytrack.core.testkit.ManualClock;
import io.deploytrack.jdbc.PostgresDatabase;
import io.deploytrack.ncp.emulator.NcpEmulator;
import io.deploytrack.ncp.emulator.NcpScript;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.deploytrack.ncp.emulator.NcpScript.end;
import static io.deploytrack.ncp.emulator.NcpScript.step;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The host PaaS's own table ({@code host-paas/}: its DDL, its rows with every kind of damage its code leaves) adopted
 * and repaired through the real CLI against the NCP emulator, on SQLite and on PostgreSQL, then read back the way the
 * host reads it ({@link HostTableChecker}). The host's status words and stage columns are checked once deploytrack
 * writes them ({@code --status-map}, {@code --map check:...}); this test adopts with those flags, as the host would,
 * and checks the host's words; stage columns of rows the host itself ended are not rewritten yet.
 */
@Timeout(180)
class HostPaasAdoptionTest {
    static final long PROJECT = 12;
    static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");
    static final Duration NCP_TOOK = Duration.ofSeconds(40);
    static final String FULL_A = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";
    static final String FULL_B = "b1b2c3d4e5f60718293a4b5c6d7e8f9012345678";

    @TempDir
    Path dir;

    @RegisterExtension
    final PostgresDatabase pg = new PostgresDatabase();

    ManualClock ncpClock;
    NcpEmulator ncp;
    Instant ncpStart;
    final Map<String, String> ids = new LinkedHashMap<>();

    record Run(int code, String out) {
    }

    @BeforeEach
    void start() {
        // NCP's own clock (it also checks the signatures' timestamps, so it stays within minutes of the real one)
        // started in the past so that, once the seeded deployments ran their course, NCP's now is about the real one:
        // the deployments the test starts later take their start from NCP and their timeout from the real clock
        ncpStart = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(NCP_TOOK).minusSeconds(2);
        ncpClock = ManualClock.of(ncpStart);
        ncp = NcpEmulator.builder().clock(ncpClock).start();
        ncp.addScenario(PROJECT, 34, 56);
        ids.put("PROJECT", String.valueOf(PROJECT));
        ids.put("H_PAIR_SUCCESS", history("success"));
        ids.put("H_PAIR_FAILED", history("fail"));
        ids.put("H_SUCCESS_NO_TIMES", history("success"));
        ids.put("H_FAILED_NO_TIMES", history("fail"));
        ids.put("H_GONE", "987654321");
        ncpClock.advance(NCP_TOOK.plusSeconds(1));
    }

    private String history(String end) {
        return String.valueOf(ncp.createHistory(PROJECT, NcpScript.of(step("inprogress", NCP_TOOK), end(end))));
    }

    @AfterEach
    void stop() {
        ncp.close();
    }

    Run cli(String db, String... args) {
        List<String> all = new ArrayList<>(List.of("--db", db));
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Deploytrack.run(Map.of("NCP_ACCESS_KEY", ncp.accessKey(), "NCP_SECRET_KEY", ncp.secretKey(),
                "NCP_ENDPOINT", ncp.baseUri().toString()), false, new PrintWriter(out, true), new PrintWriter(err, true),
                all.toArray(String[]::new));
        return new Run(code, "deploytrack " + String.join(" ", args) + " -> exit " + code + "\n" + out + err);
    }

    static String[] adopt() {
        return new String[] {"adopt", "--zone", "Asia/Seoul", "--map", "environment=namespace",
                "--map", "attribute:ncp_project_id=sourcedeploy_project_id", "--map", "attribute:ncp_history_id=deploy_id",
                "--map", "check:ncp.status=sourcedeploy_status", "--map", "check:ncp.duration=sourcedeploy_duration",
                "--map", "rollback_of=rollback_from_id",
                "--status-map", "cancelled=failed", "--status-map", "timed_out=failed",
                "--status-map", "sourcedeploy_status:running=started", "--stage-name", "ncp=sourcedeploy",
                "--default", "user_id=deploytrack", "--apply"};
    }

    String sqlite(String name) throws Exception {
        Path file = dir.resolve(name);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            HostPaas.create(c, false, ids);
        }
        return file.toString();
    }

    static Connection connect(String db) throws Exception {
        return DriverManager.getConnection(db.startsWith("jdbc:") ? db : "jdbc:sqlite:" + db);
    }

    @Test
    void theHostsSqliteTableAdoptedAndRepairedReadsWhole() throws Exception {
        adoptAndRepair(sqlite("paas.db"), false);
    }

    @Test
    void theHostsPostgresqlTableAdoptedAndRepairedReadsWhole() throws Exception {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl())) {
            HostPaas.create(c, true, ids);
        }
        adoptAndRepair(pg.jdbcUrl(), true);
    }

    private void adoptAndRepair(String db, boolean postgres) throws Exception {
        Run adopt = cli(db, adopt());
        assertThat(adopt.code()).as(adopt.out()).isZero();

        Run doctor = cli(db, "doctor");
        assertThat(doctor.code()).as(doctor.out()).isEqualTo(1);
        assertThat(doctor.out()).contains("duplicate [rows 1, 2]", "duplicate [rows 3, 4]", "stale_running [row 7]",
                "mixed_clock [row 1]", "mixed_clock [row 3]", "mixed_clock [row 8]", "mixed_clock [row 9]",
                "success_missing_deployed_at [row 5]", "stage_left_running [row 1]");

        Run plan = cli(db, "repair");
        assertThat(plan.code()).as(plan.out()).isZero();
        assertThat(plan.out()).contains("fill [row 5]", "ask ncp", "fill [row 6]", "fill [row 1]", "fill [row 3]",
                "fix [row 8]", "fix [row 9]").doesNotContain("nothing says which time is wrong");

        Run repair = cli(db, "repair", "--apply");
        assertThat(repair.code()).as(repair.out()).isZero();
        assertThat(repair.out()).contains("merged #2 into #1", "merged #4 into #3", "resolved #7", "running -> timed_out",
                "row 1: times from ncp", "row 3: times from ncp", "row 5: times from ncp", "row 6: times from ncp")
                .doesNotContain("row 5: success without");

        HostTableChecker host;
        try (Connection c = connect(db)) {
            host = HostTableChecker.read(c, postgres);
        }
        host.noCompletionBeforeStart().noDuplicates().providerTimesFilled().onlyHostStatusWords()
                .stageColumnsAgreeWithRows();
        assertThat(host.rows()).extracting(HostTableChecker.HostRow::id)
                .containsExactly(1L, 3L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);

        LocalDateTime ncpStarted = LocalDateTime.ofInstant(ncpStart, SEOUL);
        LocalDateTime ncpEnded = ncpStarted.plus(NCP_TOOK);
        // the webhook row and its pipeline twin: one row, the full SHA, NCP's answer and times
        HostTableChecker.HostRow one = host.row(1);
        assertThat(one.sha()).isEqualTo(FULL_A);
        assertThat(one.status()).isEqualTo("success");
        // its SourceDeploy stage, left 'started' by the host's webhook handler, ended with NCP's answer
        assertThat(one.sourcedeployStatus()).isEqualTo("success");
        assertThat(one.sourcedeployDuration()).isEqualTo(NCP_TOOK.toSeconds());
        assertThat(one.deployId()).isEqualTo(ids.get("H_PAIR_SUCCESS"));
        assertThat(one.startedAt()).isEqualTo(ncpStarted);
        assertThat(one.completedAt()).isEqualTo(ncpEnded);
        assertThat(one.deployedAt()).isEqualTo(ncpEnded);
        assertThat(one.totalDuration()).isEqualTo(NCP_TOOK.toSeconds());
        HostTableChecker.HostRow three = host.row(3);
        assertThat(three.sha()).isEqualTo(FULL_B);
        assertThat(three.status()).isEqualTo("failed");
        assertThat(three.completedAt()).isEqualTo(ncpEnded);
        assertThat(three.deployedAt()).isNull();
        assertThat(three.totalDuration()).isEqualTo(NCP_TOOK.toSeconds());
        // ended rows that name their NCP deployment get NCP's times
        for (long id : List.of(5L, 6L)) {
            assertThat(host.row(id).completedAt()).as("row %d", id).isEqualTo(ncpEnded);
            assertThat(host.row(id).totalDuration()).as("row %d", id).isEqualTo(NCP_TOOK.toSeconds());
        }
        assertThat(host.row(5).deployedAt()).isEqualTo(ncpEnded);
        assertThat(host.row(6).status()).isEqualTo("failed");
        // utcnow() completions read as UTC, written in the table's zone, durations from them
        HostTableChecker.HostRow eight = host.row(8);
        assertThat(eight.completedAt()).isEqualTo(LocalDateTime.parse("2026-11-23T10:00:30"));
        assertThat(eight.deployedAt()).isEqualTo(eight.completedAt());
        assertThat(eight.totalDuration()).isEqualTo(30L);
        HostTableChecker.HostRow nine = host.row(9);
        assertThat(nine.completedAt()).isEqualTo(LocalDateTime.parse("2026-11-24T10:00:20"));
        assertThat(nine.totalDuration()).isEqualTo(20L);
        // the 14-month-old row NCP no longer knows: timed out at its deadline
        HostTableChecker.HostRow seven = host.row(7);
        // in the host's word; deploytrack keeps its precise status beside it
        assertThat(seven.status()).isEqualTo("failed");
        assertThat(precise(db, 7)).isEqualTo("timed_out");
        assertThat(seven.completedAt()).isEqualTo(LocalDateTime.parse("2025-10-01T10:05:00"));
        assertThat(seven.totalDuration()).isEqualTo(300L);
        // the untouched rows
        assertThat(host.row(11).totalDuration()).isEqualTo(35L);
        assertThat(host.row(12).completedAt()).isEqualTo(LocalDateTime.parse("2026-11-26T10:01:20"));

        assertThat(events(db, 8)).anySatisfy(m -> assertThat(m).contains("mixed clocks", "completed_at read as UTC",
                "+09:00 offset of Asia/Seoul", "datetime.utcnow()", "total_duration"));
        assertThat(events(db, 1)).anySatisfy(m -> assertThat(m).contains("times from ncp", "which says success", "total_duration -32399 s -> 40 s"));

        // four new deployments through the adopted table, as the host's users start them
        Map<String, Long> fresh = new LinkedHashMap<>();
        fresh.put("success", deploy(db, "3a1b2c3d4e5f60718293a4b5c6d7e8f901234567", NcpScript.of(end("success")), 0));
        fresh.put("failed", deploy(db, "4a1b2c3d4e5f60718293a4b5c6d7e8f901234567", NcpScript.of(end("fail")), 6));
        fresh.put("cancelled", deploy(db, "5a1b2c3d4e5f60718293a4b5c6d7e8f901234567", NcpScript.of(end("canceled")), 6));
        // NCP's clock stands still in this test, so this one never leaves inprogress: deploytrack's timeout ends it
        fresh.put("timed_out", deploy(db, "6a1b2c3d4e5f60718293a4b5c6d7e8f901234567",
                NcpScript.of(step("inprogress", Duration.ofHours(1)), end("success")), 6));
        // read the way the host's API and frontend read it: through its own JPA entity
        HostTableChecker after = HostTableChecker.ofEntities(HostPaasEntity.load(db, pg.dataSource()));
        assertThat(after.rows()).hasSize(host.rows().size() + 4);
        after.noCompletionBeforeStart().noDuplicates().providerTimesFilled().onlyHostStatusWords()
                .stageColumnsAgreeWithRows();
        assertThat(after.row(fresh.get("success"))).extracting(HostTableChecker.HostRow::status,
                HostTableChecker.HostRow::sourcedeployStatus, HostTableChecker.HostRow::errorStage)
                .containsExactly("success", "success", null);
        for (String end : List.of("failed", "cancelled", "timed_out")) {
            HostTableChecker.HostRow r = after.row(fresh.get(end));
            assertThat(r.status()).as(end).isEqualTo("failed");
            assertThat(r.sourcedeployStatus()).as(end).isEqualTo("failed");
            assertThat(r.errorStage()).as(end).isEqualTo("sourcedeploy");
            assertThat(precise(db, fresh.get(end))).isEqualTo(end);
        }
        assertThat(userIds(db, fresh.values())).containsOnly("u-42");
        Run history = cli(db, "history", "--json", "--limit", "100");
        assertThat(history.code()).as(history.out()).isZero();
        fresh.forEach((end, id) -> assertThat(history.out())
                .containsPattern("\"id\"\\s*:\\s*" + id + ",[^}]*\"status\"\\s*:\\s*\"" + end + "\""));

        Run again = cli(db, "doctor");
        assertThat(again.code()).as(again.out()).isZero();
        Run rerun = cli(db, "repair");
        assertThat(rerun.out()).as(rerun.out()).contains("nothing to repair");
    }

    /** One {@code ncp deploy} through the adopted table whose NCP deployment runs {@code script}; its row's id. */
    private long deploy(String db, String sha, NcpScript script, int expectedCode) throws Exception {
        ncp.onDeploy(56, script);
        Run r = cli(db, "ncp", "deploy", "--project-id", String.valueOf(PROJECT), "--stage-id", "34", "--scenario-id",
                "56", "--project", "acme/web", "--commit", sha, "--env", "default", "--attribute", "user_id=u-42",
                "--interval", "100ms", "--timeout", expectedCode == 0 ? "30s" : "2s");
        assertThat(r.code()).as(r.out()).isEqualTo(expectedCode);
        try (Connection c = connect(db); PreparedStatement ps = c.prepareStatement(
                "SELECT id FROM deployment_histories WHERE github_commit_sha = ?")) {
            ps.setString(1, sha);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as(r.out()).isTrue();
                return rs.getLong(1);
            }
        }
    }

    static List<String> userIds(String db, java.util.Collection<Long> ids) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = connect(db); PreparedStatement ps = c.prepareStatement(
                "SELECT user_id FROM deployment_histories WHERE id = ?")) {
            for (long id : ids) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    out.add(rs.next() ? rs.getString(1) : null);
                }
            }
        }
        return out;
    }

    static String precise(String db, long id) throws Exception {
        try (Connection c = connect(db); PreparedStatement ps = c.prepareStatement(
                "SELECT deploytrack_status FROM deployment_histories WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    static List<String> events(String db, long id) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = connect(db); PreparedStatement ps = c.prepareStatement(
                "SELECT message FROM deployment_events WHERE deployment_id = ? AND type = 'repaired' ORDER BY id")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /**
     * One verdict for the 14-month-old row whose NCP deployment NCP no longer knows: {@code repair --apply} and
     * {@code resume --until-idle} end it alike (status, times, stage), at its deadline, and resume does not retry the
     * 404 for minutes first (the test's timeout would end it).
     */
    @Test
    void repairAndResumeEndTheGoneLegacyRowAlike() throws Exception {
        String repaired = sqlite("repaired.db");
        String resumed = sqlite("resumed.db");
        assertThat(cli(repaired, adopt()).code()).isZero();
        assertThat(cli(resumed, adopt()).code()).isZero();

        Run repair = cli(repaired, "repair", "--apply");
        assertThat(repair.code()).as(repair.out()).isZero();
        Run resume = cli(resumed, "resume", "--until-idle", "--interval", "100ms");
        assertThat(resume.code()).as(resume.out()).isZero();
        assertThat(resume.out()).contains("#7");

        Map<String, String> byRepair = verdict(repaired, 7);
        Map<String, String> byResume = verdict(resumed, 7);
        assertThat(byRepair).containsEntry("status", "failed").containsEntry("deploytrack_status", "timed_out")
                .containsEntry("error_stage", "sourcedeploy")
                .containsEntry("completed_at", "2025-10-01 10:05:00.000000")
                .containsEntry("total_duration", "300");
        assertThat(byResume).as("resume's verdict, beside repair's: %s", resume.out()).isEqualTo(byRepair);
    }

    static Map<String, String> verdict(String db, long id) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        try (Connection c = connect(db); PreparedStatement ps = c.prepareStatement("SELECT status, deploytrack_status, "
                + "started_at, completed_at, deployed_at, total_duration, error_stage, sourcedeploy_status, "
                + "sourcedeploy_duration FROM deployment_histories WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                for (int i = 1; i <= 9; i++) {
                    out.put(rs.getMetaData().getColumnName(i), rs.getString(i));
                }
            }
        }
        return out;
    }
}
