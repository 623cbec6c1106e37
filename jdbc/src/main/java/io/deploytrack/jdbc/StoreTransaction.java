package io.deploytrack.jdbc;

import io.deploytrack.jdbc.support.JdbcDialect;

import io.deploytrack.jdbc.internal.KeyValues;
import io.deploytrack.jdbc.internal.SqlRunner;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One open transaction of {@link StoreTransactions}, handed to its {@link StoreTransactions.Work}: runs SQL on the
 * store's connection through the store's statement runner, which prepares, binds, executes and closes (on SQLite's
 * writer it reuses the statements it prepared before). The caller says only which SQL, which parameters and what a row
 * becomes; it never sees the connection, and never commits or rolls back (the store does, when the work returns or
 * throws). Valid only inside the work it was handed to.
 */
public final class StoreTransaction {

    /** Binds the parameters of one statement. */
    @FunctionalInterface
    public interface Parameters {
        /** No parameters. */
        Parameters NONE = ps -> {
        };

        /** Binds {@code ps}'s parameters, from 1 ({@link JdbcDialect#setInstant} for times). */
        void bind(PreparedStatement ps) throws SQLException;
    }

    /** Turns the current row of a result into a value. */
    @FunctionalInterface
    public interface RowMapper<T> {
        /** The value of the row {@code rs} is on (do not move it; {@link JdbcDialect#getInstant} for times). */
        T map(ResultSet rs) throws SQLException;
    }

    private final Connection connection;
    private final JdbcDialect dialect;

    StoreTransaction(Connection connection, JdbcDialect dialect) {
        this.connection = connection;
        this.dialect = dialect;
    }

    /** The dialect of the database: how to bind times and booleans, "now" for leases. */
    public JdbcDialect dialect() {
        return dialect;
    }

    /**
     * Runs an INSERT, UPDATE or DELETE.
     *
     * @return how many rows it changed
     * @throws SQLException when the database refuses it (the transaction then rolls back)
     */
    public int update(String sql, Parameters parameters) throws SQLException {
        return SqlRunner.update(connection, Objects.requireNonNull(sql, "sql"), parameters::bind);
    }

    /** Every row of a query's result, mapped, in the result's order. */
    public <T> List<T> query(String sql, Parameters parameters, RowMapper<T> mapper) throws SQLException {
        return SqlRunner.query(connection, Objects.requireNonNull(sql, "sql"), parameters::bind, mapper::map);
    }

    /** The first row of a query's result, mapped; empty when there is none (or the mapper gives null). */
    public <T> Optional<T> queryOne(String sql, Parameters parameters, RowMapper<T> mapper) throws SQLException {
        return SqlRunner.queryOne(connection, Objects.requireNonNull(sql, "sql"), parameters::bind, mapper::map);
    }

    /**
     * Leases rows to {@code owner} until now plus {@code leaseMillis}, as the store's own claims do (see
     * {@link JdbcDialect#lease}): sets {@code lease_owner} and {@code lease_until} of the rows of {@code table}.
     *
     * @throws IllegalArgumentException when {@code table} is not a plain lower-case table name or {@code ids} is empty
     */
    public void lease(String table, List<Long> ids, String owner, Instant now, long leaseMillis) throws SQLException {
        dialect.lease(connection, table, ids, owner, now, leaseMillis);
    }

    /**
     * Sets one attribute of a deployment (the others are kept), for values learnt after the deployment was recorded
     * (an outside system's id for it).
     *
     * @return false when there is no such deployment
     */
    public boolean putAttribute(long deploymentId, String key, String value) throws SQLException {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Optional<Map<String, String>> stored = queryOne("SELECT attributes FROM deployment_histories WHERE id = ?",
                ps -> ps.setLong(1, deploymentId), rs -> KeyValues.decode(rs.getString(1)));
        if (stored.isEmpty()) {
            return false;
        }
        Map<String, String> attributes = stored.get();
        attributes.put(key, value);
        return update("UPDATE deployment_histories SET attributes = ? WHERE id = ?", ps -> {
            ps.setString(1, KeyValues.encode(attributes));
            ps.setLong(2, deploymentId);
        }) == 1;
    }

    @Override
    public String toString() {
        return "StoreTransaction[" + dialect.name() + "]";
    }
}
