package io.deploytrack.cli.internal;

import io.deploytrack.core.HistoryQuery;
import io.deploytrack.jdbc.JdbcHistoryStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The history database a command works on: the store (migrated, or adopted when a host's own code wrote it, with
 * the adoption settings stored in it). Not public API.
 */
final class Database implements AutoCloseable {
    static final String DEFAULT_FILE = "deploytrack.db";

    private final String location;
    private final Path sqliteFile;
    private final boolean createdHere;
    private final JdbcHistoryStore store;

    private Database(String location, Path sqliteFile, boolean createdHere, JdbcHistoryStore store) {
        this.location = location;
        this.sqliteFile = sqliteFile;
        this.createdHere = createdHere;
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
        return open(location, mustExist, clock, b -> b);
    }

    /** Opens the store with {@code configure} applied to its builder (e.g. adoption settings given on the command line). */
    static Database open(String location, boolean mustExist, Clock clock,
                         java.util.function.UnaryOperator<JdbcHistoryStore.Builder> configure) {
        Path file = file(location, mustExist);
        boolean created = file != null && !Files.exists(file);
        JdbcHistoryStore store = configure.apply(builder(location, file, clock)).build();
        return new Database(location, file, created, store);
    }

    /** A builder for the store at {@code location}, for what opens it differently (a preview). */
    static JdbcHistoryStore.Builder builder(String location, boolean mustExist, Clock clock) {
        return builder(location, file(location, mustExist), clock);
    }

    private static JdbcHistoryStore.Builder builder(String location, Path file, Clock clock) {
        return JdbcHistoryStore.builder().url(file != null ? file.toString() : location).clock(clock);
    }

    private static Path file(String location, boolean mustExist) {
        Path file = sqliteFile(location);
        if (file != null) {
            file = file.toAbsolutePath().normalize();
            SqliteFileCheck.check(file, mustExist);
        } else if (!location.startsWith("jdbc:sqlite:") && !location.startsWith("jdbc:postgresql:")) {
            throw new CliException(ExitCodes.USAGE, "--db " + JdbcHistoryStore.redact(location)
                    + " is not usable: expected a SQLite file path, jdbc:sqlite:PATH or jdbc:postgresql://HOST/DB");
        }
        return file;
    }

    /** The database for people, before it is opened. */
    static String describe(String location) {
        Path file = sqliteFile(location);
        return file != null ? "SQLite " + file.toAbsolutePath().normalize() : JdbcHistoryStore.redact(location);
    }

    JdbcHistoryStore store() {
        return store;
    }

    /**
     * For the commands that run until stopped: throws the store's {@link io.deploytrack.jdbc.StoreException} (exit 1,
     * naming the file) once its SQLite file was deleted or replaced, so the process stops instead of recording into a
     * file nobody can read. A stat of the file; the callers check every 200 ms.
     */
    void requireInPlace() {
        store.checkFileInPlace();
    }

    /** The database for people: the SQLite file, or the URL without its password. */
    String describe() {
        return sqliteFile != null ? "SQLite " + sqliteFile : JdbcHistoryStore.redact(location);
    }

    /**
     * Closes the store; a SQLite file this command created and recorded no deployment in (it failed before its first
     * write: NCP unreachable, a refused request) is removed with its WAL, so a failed command leaves nothing behind.
     */
    @Override
    public void close() {
        boolean empty = false;
        if (createdHere) {
            try {
                empty = store.list(HistoryQuery.all(1)).isEmpty();
            } catch (RuntimeException unreadable) {
                // whatever went wrong with the file, it is not removed on a guess
            }
        }
        store.close();
        if (empty) {
            for (String suffix : new String[] {"-wal", "-shm", "-journal", ""}) {
                try {
                    Files.deleteIfExists(sqliteFile.resolveSibling(sqliteFile.getFileName() + suffix));
                } catch (java.io.IOException leftBehind) {
                    // an empty history left behind is harmless: the next command opens it as any other
                }
            }
        }
    }
}
