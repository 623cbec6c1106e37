package io.deploytrack.jdbc;

import io.deploytrack.jdbc.internal.Connections;
import io.deploytrack.jdbc.internal.Dialect;
import io.deploytrack.jdbc.internal.Dialects;
import io.deploytrack.jdbc.internal.Migrations;
import io.deploytrack.jdbc.internal.PooledConnections;
import io.deploytrack.jdbc.internal.SqliteConnections;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Configures a {@link JdbcHistoryStore}. Give exactly one of {@link #sqlite(Path)}, {@link #url(String)} or
 * {@link #dataSource(DataSource)}.
 */
public final class JdbcHistoryStoreBuilder {
    private Path sqliteFile;
    private String url;
    private DataSource dataSource;
    private Clock clock = Clock.systemUTC();
    private Duration busyTimeout = Duration.ofSeconds(30);
    private int schemaVersion = Migrations.latestVersion();
    private LeaseTime leaseTime = LeaseTime.DATABASE;

    JdbcHistoryStoreBuilder() {
    }

    /** A SQLite file: the embedded default. Its folder must exist and be writable. */
    public JdbcHistoryStoreBuilder sqlite(Path file) {
        this.sqliteFile = Objects.requireNonNull(file, "file");
        return this;
    }

    /**
     * A SQLite path or a JDBC URL: {@code jdbc:sqlite:/var/lib/app/deploytrack.db} or
     * {@code jdbc:postgresql://db:5432/app?user=...}. A PostgreSQL URL is unpooled: every transaction opens a new
     * connection through {@link java.sql.DriverManager}, which suits a command-line tool; a service should pass its
     * pool (HikariCP recommended) to {@link #dataSource} instead. The PostgreSQL driver ({@code org.postgresql:postgresql})
     * must be on the classpath. A password in the URL never appears in messages or logs.
     */
    public JdbcHistoryStoreBuilder url(String pathOrUrl) {
        Objects.requireNonNull(pathOrUrl, "pathOrUrl");
        if (pathOrUrl.startsWith("jdbc:sqlite:")) {
            String rest = pathOrUrl.substring("jdbc:sqlite:".length());
            if (rest.startsWith("file:") || rest.contains(":memory:") || rest.contains("?")) {
                this.url = pathOrUrl;
            } else {
                this.sqliteFile = Path.of(rest);
            }
        } else if (pathOrUrl.startsWith("jdbc:")) {
            this.url = pathOrUrl;
        } else {
            this.sqliteFile = Path.of(pathOrUrl);
        }
        return this;
    }

    /**
     * A host's pool (HikariCP recommended); the database type (SQLite or PostgreSQL) is detected from the connection's
     * product name. Each transaction borrows one connection and gives it back. The store never closes this pool.
     */
    public JdbcHistoryStoreBuilder dataSource(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        return this;
    }

    /**
     * The clock for the times the store stamps ({@code created_at}, {@code updated_at}) and, on SQLite or with
     * {@link LeaseTime#STORE_CLOCK}, for leases. Default: the system clock in UTC.
     */
    public JdbcHistoryStoreBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * Which clock measures leases: {@link LeaseTime#DATABASE} (default: PostgreSQL's {@code now()}, one clock for every
     * instance) or {@link LeaseTime#STORE_CLOCK} (the {@link #clock}: for tests that expire leases by moving a manual
     * clock, or a single instance). SQLite always uses the store's clock, as every process on the file shares a machine.
     */
    public JdbcHistoryStoreBuilder leaseTime(LeaseTime leaseTime) {
        this.leaseTime = Objects.requireNonNull(leaseTime, "leaseTime");
        return this;
    }

    /** How long a SQLite writer waits for another process's write lock; default 30 s. */
    public JdbcHistoryStoreBuilder busyTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("busyTimeout " + timeout + " is not usable: expected 0 to 24 days");
        }
        this.busyTimeout = timeout;
        return this;
    }

    /**
     * Migrates only up to this schema version (default: the newest). For tests of upgrades and for staged roll-outs;
     * a store below the newest version is not usable by the tracker.
     */
    public JdbcHistoryStoreBuilder schemaVersion(int version) {
        if (version < 1 || version > Migrations.latestVersion()) {
            throw new IllegalArgumentException("schemaVersion " + version + " is not usable: expected 1 to " + Migrations.latestVersion());
        }
        this.schemaVersion = version;
        return this;
    }

    /**
     * Opens the database and migrates it.
     *
     * @throws StoreException naming the database and what to fix
     */
    public JdbcHistoryStore build() {
        int given = (sqliteFile != null ? 1 : 0) + (url != null ? 1 : 0) + (dataSource != null ? 1 : 0);
        if (given != 1) {
            throw new IllegalStateException("give exactly one of sqlite(path), url(jdbcUrl) or dataSource(ds); got " + given);
        }
        String description;
        Connections connections;
        try {
            if (sqliteFile != null) {
                Path file = sqliteFile.toAbsolutePath();
                description = "SQLite " + file;
                checkWritable(file);
                connections = new SqliteConnections("jdbc:sqlite:" + file, (int) busyTimeout.toMillis());
            } else if (url != null && url.startsWith("jdbc:sqlite:")) {
                description = "SQLite " + url;
                connections = new SqliteConnections(url, (int) busyTimeout.toMillis());
            } else if (url != null) {
                description = Dialects.redact(url);
                connections = Dialects.forUrl(url, leaseTime == LeaseTime.DATABASE);
            } else {
                Dialect dialect = Dialects.detect(dataSource, leaseTime == LeaseTime.DATABASE);
                description = dialect.name() + " through " + dataSource.getClass().getSimpleName();
                connections = new PooledConnections(dataSource, dialect, null);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot open the history store " + (sqliteFile != null ? "at " + sqliteFile.toAbsolutePath()
                    : url != null ? Dialects.redact(url) : "from the DataSource") + ": " + e.getMessage(), e);
        }
        try {
            Migrations.apply(connections, clock, schemaVersion);
        } catch (SQLException | RuntimeException e) {
            connections.close();
            throw new StoreException("cannot migrate the history store (" + description + "): " + e.getMessage(), e);
        }
        return new JdbcHistoryStore(connections, clock, description);
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
