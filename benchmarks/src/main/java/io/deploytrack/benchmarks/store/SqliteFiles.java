package io.deploytrack.benchmarks.store;

import io.deploytrack.jdbc.JdbcHistoryStore;
import org.sqlite.SQLiteConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** SQLite files for the benchmarks: created with the store's schema, opened with the store's settings. */
public final class SqliteFiles {
    /** The store's default busy timeout. */
    public static final int BUSY_TIMEOUT_MS = 30_000;

    private SqliteFiles() {
    }

    /** A new, empty file (and its WAL files) at {@code file}, migrated to the store's current schema. */
    public static Path fresh(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            for (String suffix : new String[]{"", "-wal", "-shm", "-journal"}) {
                Files.deleteIfExists(Path.of(file + suffix));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot prepare " + file, e);
        }
        JdbcHistoryStore.sqlite(file).close();
        return file;
    }

    /**
     * A plain JDBC connection with the settings the store's connections get: {@code busy_timeout},
     * {@code synchronous=NORMAL}, {@code foreign_keys=ON}, the file in WAL mode.
     */
    public static Connection connect(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.enforceForeignKeys(true);
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), config.toProperties());
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA journal_mode=WAL")) {
            if (!rs.next() || !"wal".equalsIgnoreCase(rs.getString(1))) {
                throw new SQLException("SQLite refused WAL mode for " + file);
            }
        }
        return c;
    }
}
