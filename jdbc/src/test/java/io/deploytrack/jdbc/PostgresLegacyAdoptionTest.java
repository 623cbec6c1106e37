package io.deploytrack.jdbc;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.HistoryQuery;
import io.deploytrack.jdbc.internal.LegacyAdoption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A host's own deployment_histories table on PostgreSQL, adopted as on SQLite. */
class PostgresLegacyAdoptionTest {
    @RegisterExtension
    final PostgresDatabase pg = new PostgresDatabase();

    @Test
    void aLegacyPostgresqlTableIsAdoptedTheSameWay() throws Exception {
        try (Connection c = pg.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE deployment_histories (id BIGSERIAL PRIMARY KEY, github_owner TEXT NOT NULL, "
                    + "github_repo TEXT NOT NULL, github_commit_sha TEXT NOT NULL, is_rollback BOOLEAN DEFAULT FALSE, "
                    + "status TEXT NOT NULL, started_at TIMESTAMPTZ, deployed_at TIMESTAMPTZ, completed_at TIMESTAMPTZ, "
                    + "total_duration BIGINT, error_stage TEXT, error_message TEXT)");
            s.execute("INSERT INTO deployment_histories (github_owner, github_repo, github_commit_sha, status, started_at) "
                    + "VALUES ('acme', 'web', 'aaaaaaa', 'running', '2026-01-01T10:00:00Z'), "
                    + "('acme', 'web', 'aaaaaaa', 'running', '2026-01-01T10:00:05Z'), "
                    + "('acme', 'api', 'bbbbbbb', 'success', '2026-01-01T11:00:00Z')");
        }
        try (JdbcHistoryStore store = JdbcHistoryStore.open(pg.jdbcUrl())) {
            assertThat(store.schemaVersion()).isEqualTo(4);
            List<Deployment> all = store.list(HistoryQuery.all(10));
            assertThat(all).hasSize(3);
            assertThat(all).extracting(Deployment::environment).containsOnly("production");
        }
        try (Connection c = pg.dataSource().getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT name FROM " + LegacyAdoption.PENDING_TABLE)) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("ux_deployment_histories_one_running");
            }
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM deployment_histories WHERE created_at IS NULL "
                    + "OR completion_notified IS NULL")) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
        }
    }
}
