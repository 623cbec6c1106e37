package io.deploytrack.benchmarks.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A PostgreSQL server for {@code store.postgres}: zonky's embedded PostgreSQL (binaries from Maven Central, nothing
 * to install), started by the benchmark process; JMH's forked JVMs reach it through the JDBC URL in the system
 * property {@value #URL_PROPERTY}. Configured as the jdbc module's tests configure it ({@code fsync=off},
 * {@code full_page_writes=off}): a throwaway server, so that both sides of the ratio pay for SQL, not for the disk.
 */
public final class PostgresServer implements AutoCloseable {
    /** The system property holding the server's JDBC URL (database {@code postgres}, user {@code postgres}). */
    public static final String URL_PROPERTY = "benchmarks.pg.url";
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final EmbeddedPostgres embedded;
    private final String url;

    private PostgresServer(EmbeddedPostgres embedded, String url) {
        this.embedded = embedded;
        this.url = url;
    }

    /** Starts an embedded server. */
    public static PostgresServer start() {
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setServerConfig("fsync", "off")
                    .setServerConfig("full_page_writes", "off")
                    .start();
            return new PostgresServer(pg, pg.getJdbcUrl("postgres", "postgres"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL server", e);
        }
    }

    /** The server the benchmark process started, as its forked JVMs see it. */
    public static PostgresServer fromProperty() {
        String url = System.getProperty(URL_PROPERTY);
        if (url == null) {
            throw new IllegalStateException("system property " + URL_PROPERTY + " is not set: the benchmark runner sets it");
        }
        return new PostgresServer(null, url);
    }

    /** The JDBC URL of its {@code postgres} database. */
    public String url() {
        return url;
    }

    /** A new, empty database. */
    public Database createDatabase() throws SQLException {
        String name = "bench_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return new Database(name);
    }

    /** One database on the server. */
    public final class Database {
        private final String name;

        private Database(String name) {
            this.name = name;
        }

        /** Its JDBC URL. */
        public String url() {
            return url.replace("/postgres?", "/" + name + "?");
        }

        /** A HikariCP pool on it (the pool size is HikariCP's default). */
        public HikariDataSource pool(String poolName) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(url());
            config.setPoolName(poolName);
            return new HikariDataSource(config);
        }

        /** Drops it. */
        public void drop() throws SQLException {
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        }
    }

    @Override
    public void close() {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot stop the embedded PostgreSQL server", e);
            }
        }
    }
}
