package io.deploytrack.jdbc.support;

import io.deploytrack.jdbc.internal.SqlRunner;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.StringJoiner;

/**
 * What SQL written by a module built on the store (such as deploytrack-notify) needs to know about the database it
 * runs on: how times and booleans are bound and read, how "now" is measured for leases, and how a unique-key violation shows.
 * Obtained through {@link io.deploytrack.jdbc.StoreTransactions#dialect()}.
 */
public interface JdbcDialect {

    /** {@code sqlite} or {@code postgresql}. */
    String name();

    /** Binds a time (null allowed), in the encoding the store's own columns use. */
    void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException;

    /** Reads a time (null allowed) written by {@link #setInstant}. */
    Instant getInstant(ResultSet rs, String column) throws SQLException;

    /** Binds a boolean. */
    default void setBoolean(PreparedStatement ps, int index, boolean value) throws SQLException {
        ps.setBoolean(index, value);
    }

    /**
     * The SQL expression for "now" as leases measure it: a {@code ?} bound by {@link #bindNow} (SQLite, or the store's
     * clock) or the server's {@code now()} (PostgreSQL).
     */
    String nowExpression();

    /** The SQL expression for "now plus some milliseconds", bound by {@link #bindNowPlusMillis}. */
    String nowPlusMillisExpression();

    /** Binds the parameters of {@link #nowExpression()} starting at {@code index}; returns the next index. */
    int bindNow(PreparedStatement ps, int index, Instant now) throws SQLException;

    /** Binds the parameters of {@link #nowPlusMillisExpression()} starting at {@code index}; returns the next index. */
    int bindNowPlusMillis(PreparedStatement ps, int index, Instant now, long millis) throws SQLException;

    /** Whether the database reported this failure as a unique-key violation. */
    boolean isUniqueViolation(SQLException e);

    /**
     * Leases rows to {@code owner} until now plus {@code leaseMillis}, in the caller's transaction, as the store's own
     * claims do: sets {@code lease_owner} and {@code lease_until} of the rows of {@code table} with these ids.
     *
     * @param c           the connection of the caller's transaction
     * @param table       a table with the columns {@code id}, {@code lease_owner} and {@code lease_until}, such as
     *                    {@code deployment_histories} or {@code deployment_notifications}
     * @param ids         the rows' ids, at least one
     * @param owner       the lease holder
     * @param now         the store clock's now (used where leases are measured by the store's clock)
     * @param leaseMillis how long the lease lasts
     * @throws IllegalArgumentException when {@code table} is not a plain lower-case table name or {@code ids} is empty
     * @throws SQLException             when the database refuses the update
     */
    default void lease(Connection c, String table, List<Long> ids, String owner, Instant now, long leaseMillis)
            throws SQLException {
        if (!table.matches("[a-z_]+")) {
            throw new IllegalArgumentException("table '" + table + "' is not usable: expected a lower-case table name "
                    + "such as deployment_notifications");
        }
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("no ids to lease: expected at least one");
        }
        SqlRunner.update(c, "UPDATE " + table + " SET lease_owner = ?, lease_until = "
                + nowPlusMillisExpression() + " WHERE id IN (" + placeholders(ids.size()) + ")", ps -> {
            int i = 1;
            ps.setString(i++, owner);
            i = bindNowPlusMillis(ps, i, now, leaseMillis);
            for (Long id : ids) {
                ps.setLong(i++, id);
            }
        });
    }

    /**
     * The parameter list of an {@code IN (...)} clause.
     *
     * @param n how many parameters, at least one
     * @return {@code n} question marks separated by {@code ", "}, e.g. {@code "?, ?, ?"}
     */
    static String placeholders(int n) {
        StringJoiner j = new StringJoiner(", ");
        for (int i = 0; i < n; i++) {
            j.add("?");
        }
        return j.toString();
    }
}
