package io.deploytrack.cli.internal;

import io.deploytrack.jdbc.JdbcHistoryStore;
import io.deploytrack.jdbc.internal.Dialect;
import io.deploytrack.jdbc.internal.Dialects;
import org.sqlite.SQLiteConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;

/**
 * The history database a command works on: the store (migrated, or adopted when a host's own code wrote it) and,
 * for {@code doctor} and {@code repair}, plain connections for what the store's API does not offer. Not public API.
 */
final class Database implements AutoCloseable {
    static final String DEFAULT_FILE = "deploytrack.db";

    private final String location;
    private final Path sqliteFile;
    private final JdbcHistoryStore store;

    private Database(String location, Path sqliteFile, JdbcHistoryStore store) {
        this.location = location;
        this.sqliteFile = sqliteFile;
        this.store = store;
    }

    /** {@code --db}, else {@code DEPLOYTRACK_DB}, else {@code ./deploytrack.db}. */
    static String location(String option, Context context) {
        if (option != null && !option.isBlank()) {
            return option.strip();
        }
        String env = context.env("DEPLOYTRACK_DB");
        return env != null ? env.strip() : DEFAULT_FILE;
    }

    /** The SQLite file a location names, or null for a server's JDBC URL or a SQLite URL with options. */
    static Path sqliteFile(String location) {
        if (location.startsWith("jdbc:sqlite:")) {
            String rest = location.substring("jdbc:sqlite:".length());
            return rest.startsWith("file:") || rest.contains(":memory:") || rest.contains("?") ? null : Path.of(rest);
        }
        return location.startsWith("jdbc:") ? null : Path.of(location);
    }

    static Database open(String location, boolean mustExist, Clock clock) {
        Path file = sqliteFile(location);
        if (file != null) {
            file = file.toAbsolutePath().normalize();
            if (mustExist && !Files.isRegularFile(file)) {
                throw new CliException(ExitCodes.FAILURE, "no deploytrack history at " + file
                        + ": give --db PATH (a SQLite file) or --db JDBC_URL, or set DEPLOYTRACK_DB");
            }
        } else if (!location.startsWith("jdbc:sqlite:") && !location.startsWith("jdbc:postgresql:")) {
            throw new CliException(ExitCodes.USAGE, "--db " + Dialects.redact(location)
                    + " is not usable: expected a SQLite file path, jdbc:sqlite:PATH or jdbc:postgresql://HOST/DB");
        }
        JdbcHistoryStore store = JdbcHistoryStore.builder()
                .url(file != null ? file.toString() : location)
                .clock(clock)
                .build();
        return new Database(location, file, store);
    }

    JdbcHistoryStore store() {
        return store;
    }

    /** The database for people: the SQLite file, or the URL without its password. */
    String describe() {
        return sqliteFile != null ? "SQLite " + sqliteFile : Dialects.redact(location);
    }

    /** A plain connection to the same database (autocommit on); the caller closes it. */
    Connection connect() throws SQLException {
        if (sqliteFile != null) {
            SQLiteConfig config = new SQLiteConfig();
            config.setBusyTimeout(30_000);
            config.enforceForeignKeys(true);
            return DriverManager.getConnection("jdbc:sqlite:" + sqliteFile, config.toProperties());
        }
        return DriverManager.getConnection(location);
    }

    /** The dialect of a connection. */
    static Dialect dialect(Connection c) throws SQLException {
        return Dialects.forProduct(c.getMetaData().getDatabaseProductName(), true);
    }

    @Override
    public void close() {
        store.close();
    }
}
