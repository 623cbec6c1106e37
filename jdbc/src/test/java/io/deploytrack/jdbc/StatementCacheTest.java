package io.deploytrack.jdbc;

import io.deploytrack.jdbc.internal.SqlRunner;
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
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The SQLite writer's statement cache as {@link SqlRunner} uses it: prepares each SQL once, clears parameters between
 * uses, forgets failed and least recently used statements; a connection without a cache prepares every time.
 */
class StatementCacheTest {
    @TempDir
    Path dir;
    Connection real;
    final AtomicInteger prepared = new AtomicInteger();
    StatementCache cache;
    /** The connection the runner is given: the real one, counting the statements prepared on it. */
    Connection c;

    @BeforeEach
    void open() throws SQLException {
        real = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("cache.db"));
        try (Statement s = real.createStatement()) {
            s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
        }
        c = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
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
        cache = StatementCache.forConnection(c);
    }

    @AfterEach
    void close() throws SQLException {
        cache.clear();
        real.close();
    }

    private static final String INSERT = "INSERT INTO t (id, v) VALUES (?, ?)";

    private void insert(long id, String v) throws SQLException {
        assertThat(SqlRunner.update(c, INSERT, ps -> {
            ps.setLong(1, id);
            ps.setString(2, v);
        })).isEqualTo(1);
    }

    private String read(long id) throws SQLException {
        return SqlRunner.queryOne(c, "SELECT v FROM t WHERE id = ?", ps -> ps.setLong(1, id), rs -> rs.getString(1))
                .orElse(null);
    }

    @Test
    void eachSqlIsPreparedOnceAndItsParametersAreClearedBetweenUses() throws SQLException {
        for (int i = 1; i <= 5; i++) {
            insert(i, "v" + i);
        }
        assertThat(read(3)).isEqualTo("v3");
        assertThat(read(5)).isEqualTo("v5");
        assertThat(prepared).hasValue(2);

        SqlRunner.update(c, INSERT, ps -> ps.setLong(1, 6));
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
            SqlRunner.query(c, "SELECT v FROM t WHERE id = " + i, SqlRunner.ParameterSetter.NONE, rs -> rs.getString(1));
        }
        assertThat(prepared).hasValue(65);
        SqlRunner.query(c, "SELECT v FROM t WHERE id = 64", SqlRunner.ParameterSetter.NONE, rs -> rs.getString(1));
        assertThat(prepared).as("the newest is kept").hasValue(65);
        SqlRunner.query(c, "SELECT v FROM t WHERE id = 0", SqlRunner.ParameterSetter.NONE, rs -> rs.getString(1));
        assertThat(prepared).as("the oldest was evicted").hasValue(66);
    }

    @Test
    void aBatchAbandonedHalfwayDoesNotRunWithTheNextUse() throws SQLException {
        assertThatThrownBy(() -> SqlRunner.batch(c, INSERT, List.of("abandoned", "bad"), (ps, v) -> {
            if (v.equals("bad")) {
                throw new IllegalStateException("cannot bind " + v);
            }
            ps.setLong(1, 1);
            ps.setString(2, v);
        })).isInstanceOf(IllegalStateException.class);
        assertThat(SqlRunner.batch(c, INSERT, List.of("kept"), (ps, v) -> {
            ps.setLong(1, 2);
            ps.setString(2, v);
        })).containsExactly(1);
        assertThat(read(1)).isNull();
        assertThat(read(2)).isEqualTo("kept");
        assertThat(prepared).as("the abandoned statement was closed and prepared again").hasValue(3);
    }

    @Test
    void aBatchThatFailedIsClosedQuietlyAndPreparedAgain() throws SQLException {
        assertThatThrownBy(() -> SqlRunner.batch(c, INSERT, List.of("a", "b"), (ps, v) -> {
            ps.setLong(1, 1);
            ps.setString(2, v);
        })).isInstanceOf(SQLException.class);
        insert(2, "c");
        assertThat(prepared).hasValue(2);
        assertThat(read(2)).isEqualTo("c");
    }

    @Test
    void aBatchOfNothingPreparesNothing() throws SQLException {
        assertThat(SqlRunner.batch(c, INSERT, List.<String>of(), (ps, v) -> ps.setString(2, v))).isEmpty();
        assertThat(prepared).hasValue(0);
    }

    @Test
    void aConnectionWithoutACachePreparesEveryTime() throws SQLException {
        cache.clear();
        insert(1, "a");
        insert(2, "b");
        assertThat(read(2)).isEqualTo("b");
        assertThat(prepared).hasValue(3);
    }
}
