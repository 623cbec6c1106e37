package io.deploytrack.jdbc;

import io.deploytrack.core.CheckRef;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.DeploymentEvent;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.DeploymentUpdate;
import io.deploytrack.core.HistoryQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The host's meaning of its own table, on SQLite and PostgreSQL: deploytrack writes only the host's status words into
 * {@code status} and the stage columns, keeps its precise status beside them and reports that; the check's status,
 * duration and stage name land in the host's stage columns; the rollback link in {@code rollback_from_id}; a row only
 * the host wrote reads through the map in reverse. Maps onto deploytrack's own columns are refused, and a dry run
 * leaves the file as it was, journal mode included.
 */
class HostMeaningTest {
    static final String CHECK = "ncp";
    /** The words the host's code knows in {@code status} (its list filter, its is_completed). */
    static final List<String> HOST_WORDS = List.of("running", "success", "failed");

    @TempDir
    Path dir;

    @RegisterExtension
    final PostgresDatabase pg = new PostgresDatabase();

    /** This host's adoption: the flags docs/adoption.md shows, given to the builder. */
    static JdbcHistoryStore.Builder adopted(JdbcHistoryStore.Builder b, Instant now) {
        return b.clock(Clock.fixed(now, ZoneOffset.UTC)).adoption(AdoptionSettings.none()
                .withZone(HostTable.SEOUL)
                .withMapping("environment", "namespace")
                .withMapping("attribute:ncp_project_id", "sourcedeploy_project_id")
                .withMapping("attribute:ncp_history_id", "deploy_id")
                .withMapping("check:ncp.status", "sourcedeploy_status")
                .withMapping("check:ncp.duration", "sourcedeploy_duration")
                .withMapping("rollback_of", "rollback_from_id")
                .withDefault("user_id", "deploytrack")
                .withStatusWord("cancelled", "failed")
                .withStatusWord("timed_out", "failed")
                .withStatusWord("sourcedeploy_status:running", "started")
                .withStageName("ncp", "sourcedeploy")
                .requireComplete());
    }

    @Test
    void onSqliteTheHostSeesOnlyItsWordsAndDeploytrackReportsThePreciseOnes() throws Exception {
        Path db = dir.resolve("paas.db");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        org.sqlite.SQLiteDataSource ds = new org.sqlite.SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + db);
        try (Connection c = ds.getConnection()) {
            HostTable.create(c, false, LocalDateTime.ofInstant(now, HostTable.SEOUL), "5001");
        }
        recordAndCheck(ds, () -> JdbcHistoryStore.builder().sqlite(db), now);
    }

    @Test
    void onPostgresqlTheHostSeesOnlyItsWordsAndDeploytrackReportsThePreciseOnes() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (Connection c = pg.dataSource().getConnection()) {
            HostTable.create(c, true, LocalDateTime.ofInstant(now, HostTable.SEOUL), "5001");
        }
        recordAndCheck(pg.dataSource(), () -> JdbcHistoryStore.builder().dataSource(pg.dataSource()), now);
    }

    private void recordAndCheck(DataSource ds, Supplier<JdbcHistoryStore.Builder> builder, Instant now) throws Exception {
        Map<String, Long> ids = new LinkedHashMap<>();
        try (JdbcHistoryStore store = adopted(builder.get(), now).recordAdoptionSettings().build()) {
            // while it runs: the host's word for a running stage, no duration yet
            long running = create(store, "1111111111111111111111111111111111111111", now, null);
            Map<String, String> r = row(ds, running);
            assertThat(r).containsEntry("status", "running").containsEntry("sourcedeploy_status", "started")
                    .containsEntry("deploytrack_status", "running");
            assertThat(r.get("sourcedeploy_duration")).isNull();
            end(store, running, now, 95, DeploymentStatus.SUCCESS);
            ids.put("success", running);
            ids.put("failed", end(store, create(store, "2222222222222222222222222222222222222222", now.plusSeconds(200),
                    null), now.plusSeconds(200), 40, DeploymentStatus.FAILED));
            ids.put("cancelled", end(store, create(store, "3333333333333333333333333333333333333333",
                    now.plusSeconds(400), null), now.plusSeconds(400), 12, DeploymentStatus.CANCELLED));
            ids.put("timed_out", end(store, create(store, "4444444444444444444444444444444444444444",
                    now.plusSeconds(600), null), now.plusSeconds(600), 300, DeploymentStatus.TIMED_OUT));
            ids.put("rollback", end(store, create(store, "1111111111111111111111111111111111111111",
                    now.plusSeconds(1000), ids.get("success")), now.plusSeconds(1000), 20, DeploymentStatus.SUCCESS));

            // deploytrack reports the precise status, its own check name, the rollback link
            for (String word : List.of("success", "failed", "cancelled", "timed_out")) {
                assertThat(store.find(ids.get(word)).orElseThrow().status().word()).isEqualTo(word);
            }
            assertThat(store.find(ids.get("failed")).orElseThrow().errorStage()).isEqualTo(CHECK);
            assertThat(store.find(ids.get("rollback")).orElseThrow().rollbackOf()).isEqualTo(ids.get("success"));
            assertThat(store.list(HistoryQuery.all(50).withStatus(DeploymentStatus.CANCELLED)))
                    .extracting(Deployment::id).containsExactly(ids.get("cancelled"));
            assertThat(store.list(HistoryQuery.all(50).withStatus(DeploymentStatus.FAILED)))
                    .as("the host's own failed row 12, and the one deploytrack ended failed; not cancelled nor timed out")
                    .extracting(Deployment::id).containsExactlyInAnyOrder(12L, ids.get("failed"));
            // a row only the host wrote reads through the map in reverse: failed stays failed
            assertThat(store.find(12).orElseThrow().status()).isEqualTo(DeploymentStatus.FAILED);
            assertThat(store.find(12).orElseThrow().errorStage()).isEqualTo("sourcebuild");
            assertThat(store.find(ids.get("timed_out")).orElseThrow().checks().get(0).status())
                    .isEqualTo(DeploymentStatus.TIMED_OUT);
        }

        // what the host reads: only its words, stage columns agreeing with the row, its stage names, its rollback column
        Map<String, String> success = row(ds, ids.get("success"));
        assertThat(success).containsEntry("status", "success").containsEntry("sourcedeploy_status", "success")
                .containsEntry("sourcedeploy_duration", "95").containsEntry("total_duration", "95");
        assertThat(success.get("error_stage")).isNull();
        assertThat(row(ds, ids.get("failed"))).containsEntry("status", "failed").containsEntry("deploytrack_status", "failed")
                .containsEntry("sourcedeploy_status", "failed").containsEntry("sourcedeploy_duration", "40")
                .containsEntry("error_stage", "sourcedeploy");
        assertThat(row(ds, ids.get("cancelled"))).containsEntry("status", "failed")
                .containsEntry("deploytrack_status", "cancelled").containsEntry("sourcedeploy_status", "failed")
                .containsEntry("sourcedeploy_duration", "12");
        assertThat(row(ds, ids.get("timed_out"))).containsEntry("status", "failed")
                .containsEntry("deploytrack_status", "timed_out").containsEntry("sourcedeploy_status", "failed")
                .containsEntry("sourcedeploy_duration", "300");
        assertThat(row(ds, ids.get("rollback"))).containsEntry("rollback_from_id", String.valueOf(ids.get("success")))
                .containsEntry("is_rollback", ds instanceof org.sqlite.SQLiteDataSource ? "1" : "t");
        try (Connection c = ds.getConnection()) {
            assertThat(HostColumnsOf.names(c)).as("the host's rollback_from_id keeps the link: no column beside it")
                    .contains("rollback_from_id", "deploytrack_status").doesNotContain("rollback_of");
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT DISTINCT status FROM "
                    + "deployment_histories")) {
                while (rs.next()) {
                    assertThat(rs.getString(1)).isIn(HOST_WORDS);
                }
            }
        }

        // a plain open reads the stored settings: the same precise statuses, and repair writes the host's words too
        try (JdbcHistoryStore store = builder.get().clock(Clock.fixed(now, ZoneOffset.UTC)).build()) {
            assertThat(store.adoptionSettings().statusWords().hostWord(DeploymentStatus.TIMED_OUT)).isEqualTo("failed");
            assertThat(store.adoptionSettings().stageNames()).containsEntry("ncp", "sourcedeploy");
            assertThat(store.find(ids.get("cancelled")).orElseThrow().status()).isEqualTo(DeploymentStatus.CANCELLED);
            StoreMaintenance m = store.maintenance();
            StoreMaintenance.RepairResult repaired = m.apply(m.plan(m.diagnose(), RepairSources.none()),
                    RepairSources.none(), Duration.ofSeconds(1), false);
            assertThat(repaired.done()).anySatisfy(d -> assertThat(d).startsWith("resolved #5").contains("timed_out"));
            assertThat(store.find(5).orElseThrow().status()).isEqualTo(DeploymentStatus.TIMED_OUT);
        }
        assertThat(row(ds, 5)).containsEntry("status", "failed").containsEntry("deploytrack_status", "timed_out");
    }

    private static long create(JdbcHistoryStore store, String sha, Instant start, Long rollbackOf) {
        CheckRef ref = CheckRef.of(CHECK, "projectId", "12", "historyId", "7" + sha.charAt(0));
        DeploymentCheck check = new DeploymentCheck(CHECK, ref, DeploymentStatus.RUNNING, start, null,
                start.plus(Duration.ofMinutes(5)), null, false, null, Duration.ofMinutes(5), Duration.ofHours(24));
        Deployment draft = new Deployment(0, "acme", "web", "default", sha, rollbackOf != null, rollbackOf, null,
                DeploymentStatus.RUNNING, start, null, null, null, null, null, List.of(check),
                Map.of("ncp_project_id", "12", "ncp_history_id", "7" + sha.charAt(0)));
        return store.create(draft, "host-a", Duration.ofMinutes(1)).deployment().id();
    }

    private static long end(JdbcHistoryStore store, long id, Instant start, long seconds, DeploymentStatus status) {
        Deployment d = store.find(id).orElseThrow();
        Instant end = start.plusSeconds(seconds);
        DeploymentCheck done = d.checks().get(0).withProgress(status, start, end, d.checks().get(0).deadlineAt(),
                status.word(), false, status == DeploymentStatus.SUCCESS ? null : "it ended " + status.word());
        boolean failed = status != DeploymentStatus.SUCCESS;
        assertThat(store.update(new DeploymentUpdate(id, DeploymentStatus.RUNNING, status, null,
                status == DeploymentStatus.SUCCESS ? end : null, end, failed ? CHECK : null,
                failed ? "it ended " + status.word() : null, List.of(done), List.of(DeploymentEvent.of(id, end,
                "completed", CHECK, DeploymentStatus.RUNNING, status, status.word(), null))))).isTrue();
        return id;
    }

    static Map<String, String> row(DataSource ds, long id) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT status, deploytrack_status, sourcedeploy_status, sourcedeploy_duration, total_duration, "
                        + "error_stage, rollback_from_id, is_rollback FROM deployment_histories WHERE id = " + id)) {
            assertThat(rs.next()).as("row %d", id).isTrue();
            Map<String, String> out = new LinkedHashMap<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                out.put(rs.getMetaData().getColumnName(i).toLowerCase(java.util.Locale.ROOT), rs.getString(i));
            }
            return out;
        }
    }

    /** The columns of the host's table. */
    static final class HostColumnsOf {
        static List<String> names(Connection c) throws Exception {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM deployment_histories WHERE 1 = 0")) {
                List<String> out = new java.util.ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    out.add(rs.getMetaData().getColumnName(i).toLowerCase(java.util.Locale.ROOT));
                }
                return out;
            }
        }
    }

    @Test
    void aHostWordOfItsOwnReadsBackThroughTheMapInReverse() throws Exception {
        Path db = dir.resolve("words.db");
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE deployment_histories (id INTEGER PRIMARY KEY, github_owner TEXT NOT NULL, "
                    + "github_repo TEXT NOT NULL, github_commit_sha TEXT NOT NULL, is_rollback BOOLEAN NOT NULL, "
                    + "status TEXT NOT NULL, started_at TEXT NOT NULL)");
            s.execute("INSERT INTO deployment_histories (github_owner, github_repo, github_commit_sha, is_rollback, "
                    + "status, started_at) VALUES ('acme', 'web', 'aaaaaaa', 0, 'succeeded', '2026-01-01T10:00:00Z'), "
                    + "('acme', 'web', 'bbbbbbb', 0, 'failed', '2026-01-01T11:00:00Z')");
        }
        try (JdbcHistoryStore store = JdbcHistoryStore.builder().sqlite(db).adoption(AdoptionSettings.none()
                .withStatusWord("success", "succeeded").withStatusWord("cancelled", "failed")).build()) {
            assertThat(store.find(1).orElseThrow().status()).isEqualTo(DeploymentStatus.SUCCESS);
            assertThat(store.find(2).orElseThrow().status()).as("failed stays failed").isEqualTo(DeploymentStatus.FAILED);
            assertThat(store.list(HistoryQuery.all(10).withStatus(DeploymentStatus.SUCCESS)))
                    .extracting(Deployment::id).containsExactly(1L);
            assertThat(store.list(HistoryQuery.all(10).withStatus(DeploymentStatus.CANCELLED))).isEmpty();
        }
    }

    @Test
    void mapsOntoDeploytracksOwnColumnsAreRefusedNamingTheColumnAndWhy() {
        AdoptionSettings s = AdoptionSettings.none();
        assertThatThrownBy(() -> s.withMapping("environment", "status"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("column 'status'")
                .hasMessageContaining("deploytrack owns it").hasMessageContaining("status");
        assertThatThrownBy(() -> s.withDefault("id", "5")).hasMessageContaining("column 'id'")
                .hasMessageContaining("the row's id");
        assertThatThrownBy(() -> s.withMapping("attribute:x", "github_commit_sha"))
                .hasMessageContaining("column 'github_commit_sha'").hasMessageContaining("identity");
        assertThatThrownBy(() -> s.withMapping("attribute:x", "lease_owner")).hasMessageContaining("column 'lease_owner'")
                .hasMessageContaining("which instance follows a running row");
        assertThatThrownBy(() -> s.withMapping("environment", "namespace").withMapping("attribute:x", "namespace"))
                .hasMessageContaining("column 'namespace' is mapped twice");
        assertThatThrownBy(() -> s.withMapping("check:ncp.status", "sourcedeploy_status").withDefault("sourcedeploy_status", "x"))
                .hasMessageContaining("column 'sourcedeploy_status' is mapped twice");
        assertThatThrownBy(() -> s.withMapping("attribute:x", AdoptionSettings.PRECISE_STATUS_COLUMN))
                .hasMessageContaining("precise status");
        assertThatThrownBy(() -> s.withMapping("check:ncp.state", "x")).hasMessageContaining("check:NAME.status");
        assertThatThrownBy(() -> s.withStatusWord("canceled", "failed")).hasMessageContaining("'canceled' is not a "
                + "deploytrack status");
        assertThatThrownBy(() -> s.withStatusWord("success", "running")).hasMessageContaining("ambiguous");
        assertThatThrownBy(() -> s.withStatusWord("failed", "it's")).hasMessageContaining("'it's'");
        assertThatThrownBy(() -> s.withStatusWord("sourcedeploy_status:running", "started").requireComplete())
                .hasMessageContaining("no check's status is mapped to");
        // deploytrack's own environment column may be mapped away, and then is the host's to use
        assertThat(s.withMapping("environment", "namespace").withMapping("attribute:env", "environment")
                .attributeColumns()).containsEntry("env", "environment");
    }

    @Test
    void aRefusedMapOrADryRunChangesNothingInTheFileJournalModeIncluded() throws Exception {
        Path db = dir.resolve("paas.db");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db)) {
            HostTable.create(c, false, LocalDateTime.ofInstant(now, HostTable.SEOUL), "5001");
        }
        Map<Long, Map<String, String>> before = table(db);
        assertThat(journalMode(db)).isEqualTo("delete");
        AdoptionPreview p = adopted(JdbcHistoryStore.builder().sqlite(db), now).previewAdoption();
        assertThat(p.adopts()).isTrue();
        assertThat(p.addedColumns()).contains("lease_owner").doesNotContain("rollback_of");
        assertThat(p.settings().statusWords().hostWord(DeploymentStatus.CANCELLED)).isEqualTo("failed");
        assertThat(journalMode(db)).as("a dry run leaves the journal mode").isEqualTo("delete");
        assertThat(Path.of(db + "-wal")).doesNotExist();
        assertThat(table(db)).isEqualTo(before);
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db)) {
            assertThat(HostColumnsOf.names(c)).doesNotContain("deploytrack_status", "lease_owner");
        }
        // a stage column the table does not have is refused at open, nothing adopted
        assertThatThrownBy(() -> adopted(JdbcHistoryStore.builder().sqlite(db), now)
                .mapColumn("check:ncp.duration", "deploy_seconds").build())
                .isInstanceOf(StoreException.class).hasMessageContaining("'deploy_seconds'");
        assertThat(table(db)).isEqualTo(before);
    }

    private static Map<Long, Map<String, String>> table(Path db) throws Exception {
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db)) {
            return HostTable.read(c);
        }
    }

    private static String journalMode(Path db) throws Exception {
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
            rs.next();
            return rs.getString(1).toLowerCase(java.util.Locale.ROOT);
        }
    }
}
