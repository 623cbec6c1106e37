package io.deploytrack.jdbc;

import io.deploytrack.jdbc.internal.Connections;
import io.deploytrack.jdbc.internal.Dialect;
import io.deploytrack.jdbc.internal.Dialects;
import io.deploytrack.jdbc.internal.HostColumns;
import io.deploytrack.jdbc.internal.Migrations;
import io.deploytrack.jdbc.internal.PooledConnections;
import io.deploytrack.jdbc.internal.SqlRunner;
import io.deploytrack.jdbc.internal.SqliteConnections;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Opens a {@link JdbcHistoryStore} with its builder's settings: connects (a SQLite file checked to be writable first,
 * a JDBC URL, or a host's pool) and migrates, or previews what migrating would do.
 */
record StoreOpener(Path sqliteFile, String url, DataSource dataSource, Clock clock, Duration busyTimeout,
                   int schemaVersion, LeaseTime leaseTime, AdoptionSettings explicit, boolean recordSettings,
                   Duration checklessTimeout) {
    private static final String PREVIEW = "deploytrack_preview";

    /** Names the database only, with any password in its URL replaced. */
    @Override
    public String toString() {
        return "StoreOpener[" + (sqliteFile != null ? "SQLite " + sqliteFile : url != null ? Dialects.redact(url)
                : "a DataSource") + "]";
    }

    /** Opens the database and migrates it (adopting a host's table when it finds one): {@link JdbcHistoryStore.Builder#build()}. */
    JdbcHistoryStore build() {
        Opened o = connect(true);
        Migrations.Outcome out;
        try {
            out = o.connections().write(c -> Migrations.migrate(c, o.connections().dialect(), clock, schemaVersion, explicit,
                    recordSettings, schemaVersion == Migrations.latestVersion()));
        } catch (SQLException | RuntimeException e) {
            o.connections().close();
            throw new StoreException("cannot open the history store (" + o.description() + "): " + e.getMessage(), e);
        }
        return new JdbcHistoryStore(o.connections(), clock, o.description(), out.settings(), out.times(), checklessTimeout);
    }

    /**
     * What opening would do, without doing it ({@link JdbcHistoryStore.Builder#previewAdoption()}): the adoption and
     * migration run inside a savepoint of their write transaction, which is rolled back to it before the (then empty)
     * transaction ends.
     */
    AdoptionPreview previewAdoption() {
        Opened o = connect(false);
        try {
            return o.connections().write(c -> {
                SqlRunner.execute(c, "SAVEPOINT " + PREVIEW);
                AdoptionPreview preview = preview(c, o.connections().dialect());
                // On failure the whole transaction rolls back; on success only what the preview did is undone.
                SqlRunner.execute(c, "ROLLBACK TO " + PREVIEW);
                SqlRunner.execute(c, "RELEASE " + PREVIEW);
                return preview;
            });
        } catch (SQLException | RuntimeException e) {
            throw new StoreException("cannot preview the adoption of " + o.description() + ": " + e.getMessage(), e);
        } finally {
            o.connections().close();
        }
    }

    private AdoptionPreview preview(Connection c, Dialect dialect) throws SQLException {
        Migrations.Outcome out = Migrations.migrate(c, dialect, clock, schemaVersion, explicit, false, false);
        List<String> missing = HostColumns.missingValues(c, dialect, out.settings());
        Diagnosis diagnosis = Diagnosis.read(c, dialect, out.settings(), out.times(), clock.instant());
        return new AdoptionPreview(out.settings(), out.adopted().isPresent(),
                out.adopted().map(a -> a.addedColumns()).orElse(List.of()),
                out.adopted().map(a -> a.indexes()).orElse(List.of()),
                out.adopted().map(a -> a.pending().stream().map(p -> p.name()).toList()).orElse(List.of()),
                missing, out.times().toString(), diagnosis);
    }

    /** The store's connections and how messages name the database. */
    record Opened(Connections connections, String description) {
    }

    /** {@code wal} false: a dry run, which leaves an SQLite file's journal mode as it is. */
    Opened connect(boolean wal) {
        int given = (sqliteFile != null ? 1 : 0) + (url != null ? 1 : 0) + (dataSource != null ? 1 : 0);
        if (given != 1) {
            throw new IllegalStateException("give exactly one of sqlite(path), url(jdbcUrl) or dataSource(ds); got " + given);
        }
        try {
            if (sqliteFile != null) {
                Path file = sqliteFile.toAbsolutePath();
                checkWritable(file);
                return new Opened(new SqliteConnections("jdbc:sqlite:" + file, (int) busyTimeout.toMillis(), wal), "SQLite " + file);
            } else if (url != null && url.startsWith("jdbc:sqlite:")) {
                return new Opened(new SqliteConnections(url, (int) busyTimeout.toMillis(), wal), "SQLite " + url);
            } else if (url != null) {
                return new Opened(Dialects.forUrl(url, leaseTime == LeaseTime.DATABASE), Dialects.redact(url));
            } else {
                Dialect dialect = Dialects.detect(dataSource, leaseTime == LeaseTime.DATABASE);
                return new Opened(new PooledConnections(dataSource, dialect, null),
                        dialect.name() + " through " + dataSource.getClass().getSimpleName());
            }
        } catch (SQLException e) {
            throw new StoreException("cannot open the history store " + (sqliteFile != null ? "at " + sqliteFile.toAbsolutePath()
                    : url != null ? Dialects.redact(url) : "from the DataSource") + ": " + e.getMessage(), e);
        }
    }

    private static void checkWritable(Path file) {
        Path dir = file.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new StoreException("cannot open the SQLite history at " + file + ": the folder " + dir
                    + " does not exist (or is not a folder); create it or choose another path", null);
        }
        if (Files.exists(file) && (Files.isDirectory(file) || !Files.isWritable(file))) {
            throw new StoreException("cannot open the SQLite history at " + file + ": it is "
                    + (Files.isDirectory(file) ? "a folder" : "not writable") + "; choose a writable file path", null);
        }
        if (!Files.exists(file) && !Files.isWritable(dir)) {
            throw new StoreException("cannot create the SQLite history at " + file + ": the folder " + dir
                    + " is not writable; fix its permissions or choose another path", null);
        }
    }
}
