package io.deploytrack.jdbc;

import io.deploytrack.core.HistoryStore;
import io.deploytrack.jdbc.internal.Connections;
import io.deploytrack.jdbc.internal.Dialects;
import io.deploytrack.jdbc.internal.HostTimes;
import io.deploytrack.jdbc.internal.Migrations;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;

/**
 * The history in a relational database: SQLite (the embedded default: one file, nothing to install) or PostgreSQL
 * (when several instances share it). Migrations run at open. Every status change is a compare-and-set.
 *
 * <pre>{@code
 * HistoryStore store = JdbcHistoryStore.sqlite(Path.of("deploytrack.db"));      // embedded
 * HistoryStore shared = JdbcHistoryStore.builder().dataSource(hikari).build();  // PostgreSQL through a pool
 * }</pre>
 */
public final class JdbcHistoryStore extends HistoryStoreOperations implements HistoryStore {

    private final Connections connections;
    private final Clock clock;
    private final String description;
    private final Duration checklessTimeout;

    JdbcHistoryStore(Connections connections, Clock clock, String description, AdoptionSettings settings,
                     HostTimes times, Duration checklessTimeout) {
        super(new StoreCalls(connections, description), new HistoryRows(connections.dialect(), settings, times), clock,
                checklessTimeout);
        this.connections = connections;
        this.clock = clock;
        this.description = description;
        this.checklessTimeout = checklessTimeout;
    }

    /**
     * How long a running row with no check (one a host's own code wrote) may run, from {@code started_at}, before a
     * claim ends it {@code timed_out} ({@link Builder#checklessTimeout}, default 5 minutes).
     */
    public Duration checklessTimeout() {
        return checklessTimeout;
    }

    /** The adoption settings this store uses: the stored ones, with those given to its builder over them. */
    public AdoptionSettings adoptionSettings() {
        return rows().settings();
    }

    /** How this store reads and writes the history's times, for people (e.g. naive text in Asia/Seoul). */
    public String timeEncoding() {
        return rows().times().toString();
    }

    /** The maintenance of this store's database: diagnose, plan and apply repairs. */
    public StoreMaintenance maintenance() {
        return new StoreMaintenance(connections, rows().settings(), rows().times(), clock, description);
    }

    /**
     * The embedded default: a SQLite file (created with its folder's permission if absent) in WAL mode, migrated to
     * the current schema.
     *
     * @throws StoreException when the file cannot be opened or written, naming the path and the fix
     */
    public static JdbcHistoryStore sqlite(Path file) {
        return builder().sqlite(file).build();
    }

    /**
     * Opens a store from a SQLite file path or a JDBC URL ({@code jdbc:sqlite:...}, {@code jdbc:postgresql://...}).
     */
    public static JdbcHistoryStore open(String pathOrJdbcUrl) {
        return builder().url(pathOrJdbcUrl).build();
    }

    /** A builder for every other case: a host's {@link javax.sql.DataSource}, a clock, timeouts, a host's table. */
    public static Builder builder() {
        return new Builder();
    }

    /** A database location for people and logs: a JDBC URL with any password in it replaced by {@code ***}. */
    public static String redact(String pathOrJdbcUrl) {
        return Dialects.redact(pathOrJdbcUrl);
    }

    /**
     * Checks that the SQLite file this store opened is still there: deleted or replaced (by a rename, a restore)
     * under a running process, SQLite would go on writing into a file nobody else can open. Every transaction checks
     * this first and fails with the same {@link StoreException}; a long-running process that may sit idle calls it
     * periodically to stop in time (the CLI does, every 200 ms). Does nothing for a server database.
     *
     * @throws StoreException naming the file and what happened to it
     */
    public void checkFileInPlace() {
        try {
            connections.checkInPlace();
        } catch (SQLException e) {
            throw new StoreException(e.getMessage(), e);
        }
    }

    /** Which database this store uses: {@code sqlite} or {@code postgresql}. */
    public String databaseType() {
        return rows().dialect().name();
    }

    /** The schema version the database has now. */
    public int schemaVersion() {
        return calls().read("read the schema version", Migrations::currentVersion);
    }

    /**
     * This store's transactions, for modules that keep their own tables beside the history (deploytrack-notify):
     * their writes go through the store's one write path (on SQLite, the process's single writer connection).
     */
    public StoreTransactions transactions() {
        return new StoreTransactions(connections, clock, description);
    }

    @Override
    public void close() {
        connections.close();
    }

    @Override
    public String toString() {
        return "JdbcHistoryStore[" + description + "]";
    }

    /**
     * Configures a {@link JdbcHistoryStore}. Give exactly one of {@link #sqlite(Path)}, {@link #url(String)} or
     * {@link #dataSource(DataSource)}.
     */
    public static final class Builder {
        private Path sqliteFile;
        private String url;
        private DataSource dataSource;
        private Clock clock = Clock.systemUTC();
        private Duration busyTimeout = Duration.ofSeconds(30);
        private int schemaVersion = Migrations.latestVersion();
        private LeaseTime leaseTime = LeaseTime.DATABASE;
        private AdoptionSettings explicit = AdoptionSettings.none();
        private boolean recordSettings;
        private Duration checklessTimeout = Duration.ofMinutes(5);

        private Builder() {
        }

        /** A SQLite file: the embedded default. Its folder must exist and be writable. */
        public Builder sqlite(Path file) {
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
        public Builder url(String pathOrUrl) {
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
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            return this;
        }

        /**
         * The clock for the times the store stamps ({@code created_at}, {@code updated_at}) and, on SQLite or with
         * {@link LeaseTime#STORE_CLOCK}, for leases. Default: the system clock in UTC.
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Which clock measures leases: {@link LeaseTime#DATABASE} (default: PostgreSQL's {@code now()}, one clock for every
         * instance) or {@link LeaseTime#STORE_CLOCK} (the {@link #clock}: for tests that expire leases by moving a manual
         * clock, or a single instance). SQLite always uses the store's clock, as every process on the file shares a machine.
         */
        public Builder leaseTime(LeaseTime leaseTime) {
            this.leaseTime = Objects.requireNonNull(leaseTime, "leaseTime");
            return this;
        }

        /** How long a SQLite writer waits for another process's write lock; default 30 s. */
        public Builder busyTimeout(Duration timeout) {
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
        public Builder schemaVersion(int version) {
            if (version < 1 || version > Migrations.latestVersion()) {
                throw new IllegalArgumentException("schemaVersion " + version + " is not usable: expected 1 to " + Migrations.latestVersion());
            }
            this.schemaVersion = version;
            return this;
        }

        /**
         * The zone of naive timestamps in a host's table (its code writes local time without an offset). Naive values
         * are read in it, and the times deploytrack writes into the history keep the column's text format, naive, in this
         * zone. Default: the stored setting, else UTC (and ISO-8601 in tables deploytrack made).
         */
        public Builder zone(ZoneId zone) {
            this.explicit = explicit.withZone(zone);
            return this;
        }

        /**
         * A host column that holds one of deploytrack's fields: {@code mapColumn("environment", "namespace")}, or a request
         * attribute kept in a host column: {@code mapColumn("attribute:ncp_history_id", "deploy_id")} (written on insert,
         * read back as the attribute), a check's stage columns ({@code "check:ncp.status"}, {@code "check:ncp.duration"})
         * or the rollback link ({@code "rollback_of"}). Overrides the stored mapping of that field only; status words
         * and stage names go through {@link #adoption} ({@link AdoptionSettings#withStatusWord}).
         *
         * @throws IllegalArgumentException naming the field or column and what is expected
         */
        public Builder mapColumn(String field, String column) {
            this.explicit = explicit.withMapping(field, column);
            return this;
        }

        /**
         * A value for a host column on rows deploytrack inserts (a NOT NULL column of the host without a default needs
         * one, or the store refuses to open). A request attribute of the same name wins over it.
         */
        public Builder columnDefault(String column, String value) {
            this.explicit = explicit.withDefault(column, value);
            return this;
        }

        /** All adoption settings at once, over the stored ones (a setting at a time). */
        public Builder adoption(AdoptionSettings settings) {
            this.explicit = explicit.overriddenBy(Objects.requireNonNull(settings, "settings"));
            return this;
        }

        /**
         * Records the adoption settings in effect (the stored ones with those given here over them) in the database
         * ({@code deploytrack_settings}) at open, so every later store opened on it uses them without being told.
         */
        public Builder recordAdoptionSettings() {
            this.recordSettings = true;
            return this;
        }

        /**
         * The deadline of a running row that has no check to follow (one a host's own code wrote): {@code started_at}
         * plus this; once past it, the store ends the row {@code timed_out} when a tracker next claims work. Default
         * 5 minutes, the tracker's default timeout.
         */
        public Builder checklessTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("checklessTimeout " + timeout + " is not usable: expected a positive duration");
            }
            this.checklessTimeout = timeout;
            return this;
        }

        /**
         * What opening with these settings would do to the database, without changing it: the whole adoption and migration
         * run in a transaction that is rolled back. For {@code deploytrack adopt} without {@code --apply}.
         *
         * @throws StoreException when the database cannot be opened
         */
        public AdoptionPreview previewAdoption() {
            return opener().previewAdoption();
        }

        /**
         * Opens the database and migrates it (adopting a host's table when it finds one).
         *
         * @throws StoreException naming the database and what to fix; among others when a NOT NULL column of a host's
         *                        table has no value deploytrack could write (see {@link #columnDefault})
         */
        public JdbcHistoryStore build() {
            return opener().build();
        }

        private StoreOpener opener() {
            return new StoreOpener(sqliteFile, url, dataSource, clock, busyTimeout, schemaVersion, leaseTime, explicit,
                    recordSettings, checklessTimeout);
        }
    }
}
