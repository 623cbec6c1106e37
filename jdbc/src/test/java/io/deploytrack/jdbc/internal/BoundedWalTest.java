package io.deploytrack.jdbc.internal;

import io.deploytrack.core.CheckRef;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.testkit.ManualClock;
import io.deploytrack.core.testkit.ManualScheduler;
import io.deploytrack.jdbc.JdbcHistoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The WAL of a real SQLite file stays bounded (issue: at 20 deployments a second it reached 36 to 41 MB for 0.5 MB of
 * data, and filled a small volume), and is truncated when the store goes idle. Driven by counts of writes and by a
 * manual scheduler, never by waiting.
 */
class BoundedWalTest {
    @TempDir
    Path dir;

    @Test
    void theWalStaysBelowItsLimitWhileThousandsOfDeploymentsAreWritten() throws Exception {
        Path db = dir.resolve("steady.db");
        Path wal = Path.of(db + "-wal");
        long peak = 0;
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(db)) {
            // Enough writes to put several times the limit through the WAL (with the 10,000-page interval this store
            // had before, the file passed 6 MB within them).
            for (int i = 0; i < 4_000; i++) {
                store.create(draft(i), "me", Duration.ofMinutes(5));
                peak = Math.max(peak, Files.size(wal));
            }
            assertThat(Files.size(db)).as("the data written").isGreaterThan(SqliteConnections.WAL_SIZE_LIMIT / 4);
        }
        assertThat(peak).as("the WAL's largest size").isPositive().isLessThanOrEqualTo(SqliteConnections.WAL_SIZE_LIMIT);
    }

    @Test
    void anIdleStoreHasItsWalTruncatedAndAWriteMeanwhilePostponesIt() throws Exception {
        Path db = dir.resolve("idle.db");
        Path wal = Path.of(db + "-wal");
        ManualScheduler scheduler = ManualScheduler.of(ManualClock.of(Instant.parse("2026-01-01T00:00:00Z")));
        SqliteConnections connections = withTable(db, scheduler);
        try {
            for (int i = 0; i < 50; i++) {
                insert(connections, i, 8_192);
            }
            assertThat(Files.size(wal)).isPositive();

            scheduler.advance(WalCheckpointer.IDLE.dividedBy(2));
            insert(connections, 1_000, 8_192);
            scheduler.advance(WalCheckpointer.IDLE.dividedBy(2));
            assertThat(Files.size(wal)).as("a write came within the idle period").isPositive();
            assertThat(connections.checkpointer().truncations()).isZero();

            scheduler.advance(WalCheckpointer.IDLE);
            assertThat(Files.size(wal)).as("idle for the whole period").isZero();
            assertThat(connections.checkpointer().truncations()).isOne();
            assertThat(connections.<Long>read(c -> count(c))).as("every row is in the database").isEqualTo(51);

            scheduler.advance(WalCheckpointer.IDLE.multipliedBy(5));
            assertThat(connections.checkpointer().truncations()).as("nothing to truncate without a write").isOne();
            insert(connections, 2_000, 100);
            assertThat(Files.size(wal)).isPositive();
            scheduler.advance(WalCheckpointer.IDLE);
            assertThat(Files.size(wal)).isZero();
        } finally {
            connections.close();
        }
        assertThat(scheduler.queued()).isLessThanOrEqualTo(1);
    }

    @Test
    void aWalThatAnOldReaderLetGrowPastTheLimitIsCutBackOnceTheReaderIsGone() throws Exception {
        Path db = dir.resolve("reader.db");
        Path wal = Path.of(db + "-wal");
        ManualScheduler scheduler = ManualScheduler.of(ManualClock.of(Instant.parse("2026-01-01T00:00:00Z")));
        SqliteConnections connections = withTable(db, scheduler);
        try {
            insert(connections, 0, 100);
            int id = 1;
            // A reader that keeps its snapshot: no checkpoint may copy past it, so the WAL cannot start over.
            try (Connection reader = DriverManager.getConnection("jdbc:sqlite:" + db)) {
                reader.setAutoCommit(false);
                try (Statement s = reader.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM t")) {
                    rs.next();
                }
                while (Files.size(wal) <= SqliteConnections.WAL_SIZE_LIMIT) {
                    insert(connections, id++, 65_536);
                }
                assertThat(connections.checkpointer().restarts()).as("the reader holds the WAL").isZero();
                reader.rollback();
            }
            // Once the reader is gone the next checkpoint finishes (the writer's own, or the RESTART tried again
            // once the WAL has grown by RESTART_RETRY_GROWTH after the one that found the reader), and the write
            // after it starts the WAL over and cuts the file back.
            int tries = 0;
            while (Files.size(wal) > SqliteConnections.WAL_SIZE_LIMIT && tries++ < 40) {
                insert(connections, id++, 65_536);
            }
            assertThat(Files.size(wal)).as("started over and cut back").isLessThanOrEqualTo(SqliteConnections.WAL_SIZE_LIMIT);
            for (int i = 0; i < 200; i++) {
                insert(connections, id++, 8_192);
                assertThat(Files.size(wal)).isLessThanOrEqualTo(SqliteConnections.WAL_SIZE_LIMIT);
            }
            int rows = id;
            assertThat(connections.<Long>read(c -> count(c))).isEqualTo(rows);
        } finally {
            connections.close();
        }
    }

    /** Connections to a new file whose checkpoints run on {@code scheduler}, with a table {@code t} of blobs. */
    private static SqliteConnections withTable(Path db, ManualScheduler scheduler) throws Exception {
        SqliteConnections connections = new SqliteConnections("jdbc:sqlite:" + db, 5_000, true, scheduler);
        connections.write(c -> execute(c, "CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB)"));
        return connections;
    }

    private static void insert(SqliteConnections connections, int id, int bytes) throws Exception {
        connections.write(c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO t (id, body) VALUES (?, randomblob(?))")) {
                p.setInt(1, id);
                p.setInt(2, bytes);
                return p.executeUpdate();
            }
        });
    }

    private static long count(Connection c) throws java.sql.SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM t")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static int execute(Connection c, String sql) throws java.sql.SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
            return 0;
        }
    }

    private static Deployment draft(int i) {
        Instant now = Instant.now();
        String sha = String.format("%040x", i);
        return new Deployment(0, "acme", "web", "production", sha, false, null, null, DeploymentStatus.RUNNING, now,
                null, null, null, null, null,
                List.of(new DeploymentCheck("ncp", CheckRef.of("ncp", "projectId", "1", "historyId", "h" + i),
                        DeploymentStatus.RUNNING, now, null, now.plusSeconds(300), null, false, null,
                        Duration.ofMinutes(5), Duration.ofHours(24))), Map.of());
    }
}
