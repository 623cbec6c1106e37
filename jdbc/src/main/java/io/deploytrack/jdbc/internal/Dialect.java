package io.deploytrack.jdbc.internal;

import io.deploytrack.jdbc.JdbcDialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** What differs between databases. One implementation per database; not public API. */
public interface Dialect extends JdbcDialect {

    /** {@code sqlite}, {@code postgresql}. */
    String name();

    /** The classpath folder of this database's migrations ({@code V<n>__<what>.sql}). */
    String migrationsFolder();

    /** Starts a write transaction (SQLite: {@code BEGIN IMMEDIATE}, so that the write lock is taken up front). */
    void beginWrite(Connection c) throws SQLException;

    /** Starts a read-only transaction (a consistent snapshot across statements). */
    void beginRead(Connection c) throws SQLException;

    /** Commits what {@link #beginWrite} or {@link #beginRead} started. */
    void commit(Connection c) throws SQLException;

    /** Rolls back what {@link #beginWrite} or {@link #beginRead} started; never throws. */
    void rollbackQuietly(Connection c);

    /** Runs {@code work} on {@code c} in one transaction (a write or a read one), committing it or rolling it back. */
    default <T> T inTransaction(Connection c, boolean write, SqlWork<T> work) throws SQLException {
        if (write) {
            beginWrite(c);
        } else {
            beginRead(c);
        }
        try {
            T result = work.apply(c);
            commit(c);
            return result;
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(c);
            throw e;
        }
    }

    /** Binds a time (null allowed). */
    void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException;

    /** Reads a time (null allowed). */
    Instant getInstant(ResultSet rs, String column) throws SQLException;

    /** Binds a boolean. */
    default void setBoolean(PreparedStatement ps, int index, boolean value) throws SQLException {
        ps.setBoolean(index, value);
    }

    /**
     * The SQL expression for "now", measured where leases are measured: {@code ?} (bound by
     * {@link #bindNow}) for SQLite, the server's {@code now()} for PostgreSQL.
     */
    String nowExpression();

    /** The SQL expression for "now plus some milliseconds", bound by {@link #bindNowPlusMillis}. */
    String nowPlusMillisExpression();

    /** Binds the parameters of {@link #nowExpression()} starting at {@code index}; returns the next index. */
    int bindNow(PreparedStatement ps, int index, Instant now) throws SQLException;

    /** Binds the parameters of {@link #nowPlusMillisExpression()} starting at {@code index}; returns the next index. */
    int bindNowPlusMillis(PreparedStatement ps, int index, Instant now, long millis) throws SQLException;

    /** The row-locking clause for claims ({@code FOR UPDATE SKIP LOCKED} on PostgreSQL, nothing on SQLite). */
    String claimLockClause();

    /** Whether this database stored the failure as a unique-key violation. */
    boolean isUniqueViolation(SQLException e);

    /**
     * Whether idempotent creation is one {@code INSERT ... ON CONFLICT DO NOTHING RETURNING id} (then a read of the
     * row it collided with) instead of select-then-insert. PostgreSQL: a unique violation aborts the whole
     * transaction, and concurrent inserts from several instances are normal there. SQLite: its single writer lock
     * already serialises creators, so select-then-insert cannot race.
     */
    default boolean createsWithOnConflict() {
        return false;
    }

    /**
     * Serialises migrations between processes, inside the migration transaction, before anything is read. SQLite:
     * nothing to do, {@code BEGIN IMMEDIATE} holds the file's write lock. PostgreSQL: a transaction-scoped advisory
     * lock, so instances that start at once migrate one after the other.
     */
    default void lockForMigration(Connection c) throws SQLException {
        // the write transaction is lock enough
    }
}
