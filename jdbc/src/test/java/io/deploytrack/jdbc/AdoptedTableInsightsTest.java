package io.deploytrack.jdbc;

import io.deploytrack.core.DeploymentHistory;
import io.deploytrack.core.DoraLevel;
import io.deploytrack.core.Insights;
import io.deploytrack.core.InsightsSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Insights on a host's own table, adopted in place: the host's code wrote every row (naive times, its own rollback
 * flag, sometimes no flag at all), so rollbacks come from the flag and, where there is none, from the commit (Datadog's
 * rule: a version deployed before, but not the one just before it).
 */
class AdoptedTableInsightsTest {
    @TempDir
    Path dir;

    @Test
    void rollbacksComeFromTheHostsFlagAndFromReturningToAnOlderCommit() throws Exception {
        Path db = dir.resolve("host.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE deployment_histories (id INTEGER PRIMARY KEY AUTOINCREMENT, github_owner TEXT NOT NULL, "
                    + "github_repo TEXT NOT NULL, github_commit_sha TEXT NOT NULL, is_rollback BOOLEAN DEFAULT 0, "
                    + "status TEXT NOT NULL, started_at TEXT, deployed_at TEXT, completed_at TEXT, total_duration INTEGER, "
                    + "error_stage TEXT, error_message TEXT)");
            String insert = "INSERT INTO deployment_histories (github_owner, github_repo, github_commit_sha, is_rollback, "
                    + "status, started_at, deployed_at, completed_at, total_duration) VALUES ";
            // 1-3: v1, v2, v3 deployed
            s.execute(insert + "('acme', 'web', 'v1', 0, 'success', '2026-03-01 10:00:00', '2026-03-01 10:05:00', '2026-03-01 10:05:00', 300)");
            s.execute(insert + "('acme', 'web', 'v2', 0, 'success', '2026-03-02 10:00:00', '2026-03-02 10:05:00', '2026-03-02 10:05:00', 300)");
            s.execute(insert + "('acme', 'web', 'v3', 0, 'success', '2026-03-03 10:00:00', '2026-03-03 10:05:00', '2026-03-03 10:05:00', 300)");
            // 4: v1 again without a flag: a rollback past v3 and v2 to row 1; v2 is the change failure, recovered
            // from 03-02 10:05 to 03-03 12:05 = 93600 s
            s.execute(insert + "('acme', 'web', 'v1', 0, 'success', '2026-03-03 12:00:00', '2026-03-03 12:05:00', '2026-03-03 12:05:00', 300)");
            // 5: v4 deployed; 6: the host's flagged rollback to v1 restores row 4: v4 failed, recovered in 7200 s
            s.execute(insert + "('acme', 'web', 'v4', 0, 'success', '2026-03-04 10:00:00', '2026-03-04 10:05:00', '2026-03-04 10:05:00', 300)");
            s.execute(insert + "('acme', 'web', 'v1', 1, 'success', '2026-03-04 12:00:00', '2026-03-04 12:05:00', '2026-03-04 12:05:00', 300)");
            // 7: v5 failed (never deployed); 8: its retry succeeded: not a change failure
            s.execute(insert + "('acme', 'web', 'v5', 0, 'failed', '2026-03-05 10:00:00', NULL, '2026-03-05 10:01:00', 60)");
            s.execute(insert + "('acme', 'web', 'v5', 0, 'success', '2026-03-05 11:00:00', '2026-03-05 11:05:00', '2026-03-05 11:05:00', 300)");
        }
        Instant to = Instant.parse("2026-04-01T00:00:00Z");
        try (JdbcHistoryStore store = JdbcHistoryStore.builder().sqlite(db).clock(Clock.fixed(to, ZoneOffset.UTC)).build()) {
            Insights i = DeploymentHistory.of(store, Clock.fixed(to, ZoneOffset.UTC)).insights("acme", "web",
                    "production", Instant.parse("2026-02-01T00:00:00Z"), to, InsightsSettings.defaults());
            // deployments rows 1, 2, 3, 5, 8; rollbacks rows 4 and 6; failed attempt row 7
            assertThat(i.deployments()).isEqualTo(5);
            assertThat(i.rollbacks()).isEqualTo(2);
            assertThat(i.failedAttempts()).isEqualTo(1);
            // change failures v2 and v4: 2 / 5 = 40 %, medium
            assertThat(i.changeFailRate().failures()).isEqualTo(2);
            assertThat(i.changeFailRate().ratio()).isCloseTo(0.4, within(1e-9));
            assertThat(i.changeFailRate().level()).isEqualTo(DoraLevel.MEDIUM);
            // recoveries 7200, 93600: median 50400 (under a day: high), p90 rank ceil(1.8) = 2: 93600
            assertThat(i.recoveryTime().count()).isEqualTo(2);
            assertThat(i.recoveryTime().medianSeconds()).isEqualTo(50400.0);
            assertThat(i.recoveryTime().p90Seconds()).isEqualTo(93600.0);
            assertThat(i.recoveryTime().level()).isEqualTo(DoraLevel.HIGH);
            // rework: 2 rollbacks, no fix, over 5 + 2
            assertThat(i.reworkRate().reworks()).isEqualTo(2);
            assertThat(i.reworkRate().deployments()).isEqualTo(7);
        }
    }
}
