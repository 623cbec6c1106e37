package io.deploytrack.jdbc;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.HistoryQuery;
import io.deploytrack.jdbc.internal.LegacyAdoption;
import io.deploytrack.jdbc.internal.SqliteDialect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A deployment_histories table that deploytrack did not create: a host's own code, or an early version. */
class LegacyAdoptionTest {
    @TempDir
    Path dir;

    /** The table as a host's own tracker wrote it: no environment, no idempotency key, no leases, no constraints. */
    static void legacyTable(Path db, String... inserts) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE deployment_histories (id INTEGER PRIMARY KEY AUTOINCREMENT, github_owner TEXT NOT NULL, "
                    + "github_repo TEXT NOT NULL, github_commit_sha TEXT NOT NULL, is_rollback BOOLEAN DEFAULT 0, "
                    + "status TEXT NOT NULL, started_at TEXT, deployed_at TEXT, completed_at TEXT, total_duration INTEGER, "
                    + "error_stage TEXT, error_message TEXT)");
            for (String values : inserts) {
                s.execute("INSERT INTO deployment_histories (github_owner, github_repo, github_commit_sha, status, "
                        + "started_at, deployed_at, completed_at, total_duration) VALUES " + values);
            }
        }
    }

    static List<String> rows(Path db, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Test
    void aCleanLegacyTableIsAdoptedWithEveryConstraintAndKeepsItsRows() throws Exception {
        Path db = dir.resolve("legacy.db");
        legacyTable(db,
                "('acme', 'web', 'aaaaaaa', 'success', '2026-01-01 10:00:00', NULL, '2026-01-01 10:01:00', 60)",
                "('acme', 'web', 'bbbbbbb', 'failed', '2026-01-02 10:00:00', NULL, '2026-01-02 10:00:30', 30)");
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(db)) {
            assertThat(store.schemaVersion()).isEqualTo(io.deploytrack.jdbc.internal.Migrations.latestVersion());
            List<Deployment> all = store.list(HistoryQuery.all(10));
            assertThat(all).extracting(Deployment::commitSha).containsExactly("bbbbbbb", "aaaaaaa");
            assertThat(all).extracting(Deployment::environment).containsOnly("production");
            assertThat(all.get(1).status()).isEqualTo(DeploymentStatus.SUCCESS);
            assertThat(all.get(1).deployedAt()).isNull();
            // the store works on it: a new deployment is recorded and its running identity is enforced
            store.create(SqliteStoreTest.draft("web", "ccccccc"), "me", Duration.ofSeconds(30));
        }
        assertThat(rows(db, "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'ux_%' ORDER BY name"))
                .containsExactly("ux_deployment_histories_idempotency_key", "ux_deployment_histories_one_running");
        assertThat(rows(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name = '"
                + LegacyAdoption.PENDING_TABLE + "'")).isEmpty();
        // the baseline (V1, V2) is adopted; later migrations run as usual
        assertThat(rows(db, "SELECT description FROM deploytrack_schema_version WHERE version <= 2 ORDER BY version"))
                .allMatch(d -> d.endsWith("(adopted an existing table)")).hasSize(2);
        assertThat(rows(db, "SELECT description FROM deploytrack_schema_version WHERE version > 2 ORDER BY version"))
                .containsExactly("V3__adoption_settings.sql", "V4__notifications.sql", "V5__pushed_observations.sql",
                        "V6__precise_status.sql", "V7__check_stages.sql", "V11__rollback_of_index.sql");
        assertThat(rows(db, "SELECT completion_notified FROM deployment_histories WHERE status <> 'running'"))
                .containsOnly("1");
    }

    @Test
    void duplicatesLeaveTheUniqueIndexPendingAndNothingIsDeleted() throws Exception {
        Path db = dir.resolve("legacy.db");
        legacyTable(db,
                "('acme', 'web', 'aaaaaaa', 'running', '2026-01-01 10:00:00', NULL, NULL, NULL)",
                "('acme', 'web', 'aaaaaaa', 'running', '2026-01-01 10:00:05', NULL, NULL, NULL)",
                "('acme', 'api', 'bbbbbbb', 'success', '2026-01-01 11:00:00', NULL, '2026-01-01 11:01:00', 60)");
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(db)) {
            assertThat(store.schemaVersion()).isEqualTo(io.deploytrack.jdbc.internal.Migrations.latestVersion());
            assertThat(store.list(HistoryQuery.all(10))).hasSize(3);
        }
        assertThat(rows(db, "SELECT name FROM " + LegacyAdoption.PENDING_TABLE))
                .containsExactly("ux_deployment_histories_one_running");
        assertThat(rows(db, "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'ux_%'"))
                .containsExactly("ux_deployment_histories_idempotency_key");
        // opening again adopts nothing twice
        try (JdbcHistoryStore again = JdbcHistoryStore.sqlite(db)) {
            assertThat(again.list(HistoryQuery.all(10))).hasSize(3);
        }
        // once the duplicate is gone, the pending index can be created
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            assertThat(LegacyAdoption.createPending(c, new SqliteDialect())).hasSize(1);
            s.execute("UPDATE deployment_histories SET status = 'timed_out' WHERE id = 2");
            assertThat(LegacyAdoption.createPending(c, new SqliteDialect())).isEmpty();
            assertThat(LegacyAdoption.pending(c, new SqliteDialect())).isEmpty();
            s.execute("COMMIT");
        }
        assertThat(rows(db, "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'ux_%' ORDER BY name"))
                .containsExactly("ux_deployment_histories_idempotency_key", "ux_deployment_histories_one_running");
    }

    @Test
    void aTableWithoutAColumnDeploytrackCannotFillInIsRefusedUntouched() throws Exception {
        Path db = dir.resolve("legacy.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE deployment_histories (id INTEGER PRIMARY KEY, github_owner TEXT, github_repo TEXT, status TEXT)");
        }
        assertThatThrownBy(() -> JdbcHistoryStore.sqlite(db))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("github_commit_sha");
        assertThat(rows(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"))
                .containsExactly("deployment_histories");
    }
}
