package io.deploytrack.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * What SQL written by a module built on the store (such as deploytrack-notify) needs to know about the database it
 * runs on: how times and booleans are bound and read, how "now" is measured for leases, and how a unique-key violation shows.
 * Obtained through {@link StoreTransactions#dialect()}.
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
}
