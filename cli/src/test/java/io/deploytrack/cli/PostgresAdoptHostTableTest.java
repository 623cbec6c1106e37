package io.deploytrack.cli;

import io.deploytrack.jdbc.HostTable;
import io.deploytrack.jdbc.PostgresDatabase;
import io.deploytrack.ncp.emulator.NcpEmulator;
import io.deploytrack.ncp.emulator.NcpScript;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

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
import java.util.List;
import java.util.Map;

import static io.deploytrack.ncp.emulator.NcpScript.end;
import static io.deploytrack.ncp.emulator.NcpScript.step;
import static org.assertj.core.api.Assertions.assertThat;

/** The same adoption on PostgreSQL, where the host's times are {@code timestamp without time zone} columns. */
@Timeout(120)
class PostgresAdoptHostTableTest {
    static final long P = Long.parseLong(HostTable.NCP_PROJECT);

    @RegisterExtension
    final PostgresDatabase pg = new PostgresDatabase();
    NcpEmulator ncp;
    Instant now;
    long row6History;

    @BeforeEach
    void start() throws Exception {
        ncp = NcpEmulator.start();
        ncp.addScenario(P, 34, 56);
        row6History = ncp.createHistory(P, NcpScript.of(end("success")));
        now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl())) {
            HostTable.create(c, true, LocalDateTime.ofInstant(now, HostTable.SEOUL), Long.toString(row6History));
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

    Map<Long, Map<String, String>> table() throws Exception {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl())) {
            return HostTable.read(c);
        }
    }

    @Test
    void adoptDoctorRepairAndANewDeploymentOnPostgresql() throws Exception {
        Map<Long, Map<String, String>> before = table();
        Clock fixed = Clock.fixed(now, ZoneOffset.UTC);
        Cli.Result adopt = cli().clock(fixed).run("--db", pg.jdbcUrl(), "adopt", "--zone", "Asia/Seoul", "--map",
                "environment=namespace", "--map", "attribute:ncp_project_id=sourcedeploy_project_id", "--map",
                "attribute:ncp_history_id=deploy_id", "--default", "user_id=deploytrack", "--apply");
        assertThat(adopt.code()).as(adopt.toString()).isZero();
        assertThat(adopt.out()).contains("timestamp without time zone, local time in Asia/Seoul");

        Cli.Result doctor = cli().clock(fixed).run("--db", pg.jdbcUrl(), "doctor");
        assertThat(doctor.out()).contains("duplicate [rows 1, 2]", "duplicate [rows 3, 4]", "stale_running [row 5]",
                "duration_mismatch [row 9]");
        assertThat(doctor.out()).doesNotContain("[row 7]", "rows 10, 11", "rows 12, 13", "rows 14, 15");

        Cli.Result repair = cli().clock(fixed).run("--db", pg.jdbcUrl(), "repair", "--apply");
        assertThat(repair.code()).as(repair.toString()).isZero();
        Map<Long, Map<String, String>> after = table();
        assertThat(after.keySet()).containsExactly(1L, 3L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L, 16L);
        for (long untouched : List.of(10L, 11L, 12L, 13L, 14L, 15L, 16L)) {
            assertThat(after.get(untouched)).as("row %d", untouched).isEqualTo(before.get(untouched));
        }
        assertThat(after.get(3L).get("github_commit_sha")).isEqualTo(HostTable.B);
        assertThat(after.get(5L).get("status")).isEqualTo("timed_out");
        assertThat(HostTable.seconds(after.get(5L).get("started_at"), after.get(5L).get("completed_at"))).isEqualTo(300);
        assertThat(after.get(6L).get("status")).isEqualTo("success");
        assertThat(after.get(8L).get("total_duration")).isEqualTo("90");
        assertThat(after.get(9L).get("total_duration")).isEqualTo("30");

        ncp.onDeploy(56, NcpScript.of(step("inprogress", Duration.ofMillis(300)), end("success")));
        Cli.Result deploy = cli().run("--db", pg.jdbcUrl(), "ncp", "deploy", "--project-id", String.valueOf(P),
                "--stage-id", "34", "--scenario-id", "56", "--project", "acme/web", "--commit",
                "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432", "--env", "default", "--interval", "100ms", "--timeout", "30s");
        assertThat(deploy.code()).as(deploy.toString()).isZero();
        Map<String, String> row = table().entrySet().stream().filter(e -> !after.containsKey(e.getKey()))
                .findFirst().orElseThrow().getValue();
        assertThat(row.get("user_id")).isEqualTo("deploytrack");
        assertThat(row.get("namespace")).isEqualTo("default");
        assertThat(row.get("deploy_id")).isNotBlank();
        assertThat(Duration.between(now, HostTable.instant(row.get("started_at"))).abs()).isLessThan(Duration.ofMinutes(2));

        for (Map.Entry<Long, Map<String, String>> e : table().entrySet()) {
            Map<String, String> r = e.getValue();
            if (r.get("completed_at") != null && r.get("total_duration") != null) {
                assertThat(Long.parseLong(r.get("total_duration"))).as("row %d", e.getKey())
                        .isCloseTo(HostTable.seconds(r.get("started_at"), r.get("completed_at")),
                                org.assertj.core.data.Offset.offset(1L));
            }
        }
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT column_name, data_type FROM information_schema.columns WHERE "
                     + "table_name = 'deployment_histories' AND column_name IN ('started_at', 'completed_at', "
                     + "'deployed_at', 'created_at', 'updated_at')")) {
            int n = 0;
            while (rs.next()) {
                n++;
                assertThat(rs.getString(2)).as(rs.getString(1)).isEqualTo("timestamp without time zone");
            }
            assertThat(n).isEqualTo(5);
        }
    }
}
