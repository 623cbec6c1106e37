package io.deploytrack.jdbc;

import io.deploytrack.jdbc.internal.StatementCache;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SQLite writer's statement cache: prepares each SQL once, forgets failed and least recently used statements. */
class StatementCacheTest {
    @TempDir
    Path dir;
    Connection real;
    final AtomicInteger prepared = new AtomicInteger();
    StatementCache cache;
    Connection c;

    @BeforeEach
    void open() throws SQLException {
        real = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("cache.db"));
        try (Statement s = real.createStatement()) {
            s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
        }
        Connection counting = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("prepareStatement")) {
                        prepared.incrementAndGet();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        cache = new StatementCache(counting);
        c = cache.connection();
    }

    @AfterEach
    void close() throws SQLException {
        cache.clear();
        real.close();
    }

    private void insert(long id, String v) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO t (id, v) VALUES (?, ?)")) {
            ps.setLong(1, id);
            ps.setString(2, v);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }

    private String read(long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT v FROM t WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    @Test
    void eachSqlIsPreparedOnceAndClosingOnlyClearsTheParameters() throws SQLException {
        for (int i = 1; i <= 5; i++) {
            insert(i, "v" + i);
        }
        assertThat(read(3)).isEqualTo("v3");
        assertThat(read(5)).isEqualTo("v5");
        assertThat(prepared).hasValue(2);

        try (PreparedStatement ps = c.prepareStatement("INSERT INTO t (id, v) VALUES (?, ?)")) {
            ps.setLong(1, 6);
            assertThat(ps.isClosed()).isFalse();
            ps.executeUpdate();
        }
        assertThat(read(6)).as("the previous use's value was cleared, not reused").isNull();
        assertThat(prepared).hasValue(2);
    }

    @Test
    void aStatementThatFailedIsPreparedAgain() throws SQLException {
        insert(1, "a");
        assertThatThrownBy(() -> insert(1, "b")).isInstanceOf(SQLException.class);
        insert(2, "c");
        assertThat(prepared).hasValue(2);
        assertThat(read(2)).isEqualTo("c");
    }

    @Test
    void theLeastRecentlyUsedStatementsAreClosedBeyondSixtyFour() throws SQLException {
        for (int i = 0; i < 65; i++) {
            try (PreparedStatement ps = c.prepareStatement("SELECT v FROM t WHERE id = " + i)) {
                ps.executeQuery().close();
            }
        }
        assertThat(prepared).hasValue(65);
        try (PreparedStatement ps = c.prepareStatement("SELECT v FROM t WHERE id = 64")) {
            ps.executeQuery().close();
        }
        assertThat(prepared).as("the newest is kept").hasValue(65);
        try (PreparedStatement ps = c.prepareStatement("SELECT v FROM t WHERE id = 0")) {
            ps.executeQuery().close();
        }
        assertThat(prepared).as("the oldest was evicted").hasValue(66);
    }

    @Test
    void aBatchLeftUnexecutedDoesNotRunWithTheNextUse() throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO t (id, v) VALUES (?, ?)")) {
            ps.setLong(1, 1);
            ps.setString(2, "abandoned");
            ps.addBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO t (id, v) VALUES (?, ?)")) {
            ps.setLong(1, 2);
            ps.setString(2, "kept");
            ps.addBatch();
            assertThat(ps.executeBatch()).containsExactly(1);
        }
        assertThat(read(1)).isNull();
        assertThat(read(2)).isEqualTo("kept");
        assertThat(prepared).hasValue(2);
    }

    @Test
    void aBatchThatFailedIsClosedQuietlyAndPreparedAgain() throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO t (id, v) VALUES (?, ?)")) {
            for (String v : new String[]{"a", "b"}) {
                ps.setLong(1, 1);
                ps.setString(2, v);
                ps.addBatch();
            }
            assertThatThrownBy(ps::executeBatch).isInstanceOf(SQLException.class);
        }
        insert(2, "c");
        assertThat(prepared).hasValue(2);
        assertThat(read(2)).isEqualTo("c");
    }

    @Test
    void otherConnectionCallsReachTheRealConnection() throws SQLException {
        c.setAutoCommit(false);
        insert(1, "a");
        c.rollback();
        c.setAutoCommit(true);
        assertThat(read(1)).isNull();
        try (PreparedStatement ps = c.prepareStatement("SELECT v FROM t WHERE id = ?")) {
            assertThat(ps.getConnection()).isSameAs(real);
            assertThat(ps.isWrapperFor(org.sqlite.jdbc3.JDBC3PreparedStatement.class)).isTrue();
        }
    }
}
