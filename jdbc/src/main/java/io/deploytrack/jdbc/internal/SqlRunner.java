package io.deploytrack.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs the store's SQL: every statement of {@code jdbc} is prepared, bound, executed and closed here, so the code
 * around it says only which SQL, which parameters, and what a row becomes. On the SQLite writer connection the
 * statement comes from its {@link StatementCache} (prepared once per SQL text, kept between uses); on every other
 * connection (SQLite readers, PostgreSQL, whose driver caches server-side statements itself) it is prepared and closed
 * each time. A call that fails evicts its cached statement, so the next use prepares it afresh. Results are read
 * whole before the statement is given back. Not public API.
 */
public final class SqlRunner {

    private SqlRunner() {
    }

    /** Binds the parameters of one execution. */
    @FunctionalInterface
    public interface ParameterSetter {
        /** No parameters. */
        ParameterSetter NONE = ps -> {
        };

        /** Binds {@code ps}'s parameters. */
        void bind(PreparedStatement ps) throws SQLException;
    }

    /** Turns the current row of a result into a value. */
    @FunctionalInterface
    public interface RowMapper<T> {
        /** The value of the row {@code rs} is on (do not move it). */
        T map(ResultSet rs) throws SQLException;
    }

    /** Reads a whole result (for results that become something other than a list). */
    @FunctionalInterface
    public interface ResultReader<T> {
        /** Reads {@code rs} from before its first row; the runner closes it. */
        T read(ResultSet rs) throws SQLException;
    }

    /** Binds one item of a batch. */
    @FunctionalInterface
    public interface ItemBinder<T> {
        /** Binds {@code ps}'s parameters for {@code item}. */
        void bind(PreparedStatement ps, T item) throws SQLException;
    }

    /** Work on a prepared statement, which the runner owns. */
    @FunctionalInterface
    private interface StatementWork<T> {
        T run(PreparedStatement ps) throws SQLException;
    }

    /** Runs an INSERT, UPDATE or DELETE; returns how many rows it changed. */
    public static int update(Connection c, String sql, ParameterSetter setter) throws SQLException {
        return run(c, sql, ps -> {
            setter.bind(ps);
            return ps.executeUpdate();
        });
    }

    /** Runs a statement that returns no result (a savepoint, a lock), through the cache like any other. */
    public static void execute(Connection c, String sql) throws SQLException {
        run(c, sql, PreparedStatement::execute);
    }

    /**
     * Runs SQL without parameters as a plain, never cached statement: schema changes, pragmas, transaction control
     * (what a prepared statement would keep compiled against a schema that changes).
     */
    public static void executeDirect(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /**
     * Reads the result of SQL without parameters from a plain, never cached statement: pragmas, and what reads the
     * schema itself (a table's columns, the schema version) while migrations change it, which a statement prepared
     * before the change would describe as it was.
     */
    public static <T> T readDirect(Connection c, String sql, ResultReader<T> reader) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return reader.read(rs);
        }
    }

    /** Every row of the result, mapped. */
    public static <T> List<T> query(Connection c, String sql, ParameterSetter setter, RowMapper<T> mapper)
            throws SQLException {
        return read(c, sql, setter, rs -> {
            List<T> out = new ArrayList<>();
            while (rs.next()) {
                out.add(mapper.map(rs));
            }
            return out;
        });
    }

    /** The first row of the result, mapped; empty when there is none (or the mapper gives null). */
    public static <T> Optional<T> queryOne(Connection c, String sql, ParameterSetter setter, RowMapper<T> mapper)
            throws SQLException {
        return read(c, sql, setter, rs -> rs.next() ? Optional.ofNullable(mapper.map(rs)) : Optional.empty());
    }

    /** The whole result, read by {@code reader} (a SELECT, or a write with {@code RETURNING}). */
    public static <T> T read(Connection c, String sql, ParameterSetter setter, ResultReader<T> reader)
            throws SQLException {
        return run(c, sql, ps -> {
            setter.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                return reader.read(rs);
            }
        });
    }

    /**
     * Runs {@code sql} once per item as one JDBC batch; returns the rows each changed. No items: nothing is prepared
     * and the result is empty.
     */
    public static <T> int[] batch(Connection c, String sql, List<T> items, ItemBinder<? super T> binder)
            throws SQLException {
        if (items.isEmpty()) {
            return new int[0];
        }
        return run(c, sql, ps -> {
            for (T item : items) {
                binder.bind(ps, item);
                ps.addBatch();
            }
            return ps.executeBatch();
        });
    }

    private static <T> T run(Connection c, String sql, StatementWork<T> work) throws SQLException {
        StatementCache cache = StatementCache.of(c);
        if (cache == null) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                return work.run(ps);
            }
        }
        PreparedStatement ps = cache.borrow(sql);
        T result;
        try {
            result = work.run(ps);
        } catch (SQLException | RuntimeException | Error e) {
            // Whatever state the statement is in now (a half-bound batch, a driver error), nobody reuses it.
            cache.evict(sql, ps);
            throw e;
        }
        cache.release(sql, ps);
        return result;
    }
}
