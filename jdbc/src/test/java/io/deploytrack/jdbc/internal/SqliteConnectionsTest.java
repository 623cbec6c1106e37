package io.deploytrack.jdbc.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** The pragmas SQLite's writer connection runs with, read back from SQLite itself. */
class SqliteConnectionsTest {
    @TempDir
    Path dir;

    @Test
    void theWriterIsInWalModeAndCheckpointsItselfOnlyAsTheBackstop() throws Exception {
        SqliteConnections connections = new SqliteConnections("jdbc:sqlite:" + dir.resolve("pragmas.db"), 5_000);
        try {
            assertThat(connections.<String>write(c -> pragma(c, "journal_mode"))).isEqualTo("wal");
            assertThat(connections.<String>write(c -> pragma(c, "wal_autocheckpoint")))
                    .isEqualTo(String.valueOf(SqliteConnections.WAL_CHECKPOINT_PAGES));
            assertThat(connections.<String>write(c -> pragma(c, "journal_size_limit")))
                    .isEqualTo(String.valueOf(SqliteConnections.WAL_SIZE_LIMIT));
            assertThat(connections.<String>write(c -> pragma(c, "synchronous"))).isEqualTo("1");
            assertThat(connections.<String>write(c -> pragma(c, "foreign_keys"))).isEqualTo("1");
        } finally {
            connections.close();
        }
    }

    private static String pragma(java.sql.Connection c, String name) throws java.sql.SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
