package io.deploytrack.jdbc.internal;

import io.deploytrack.jdbc.support.JdbcDialect;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * What differs between databases, beyond what {@link JdbcDialect} (the part modules built on the store see) declares.
 * One implementation per database; not public API.
 */
public interface Dialect extends JdbcDialect {

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

    /** The row-locking clause for claims ({@code FOR UPDATE SKIP LOCKED} on PostgreSQL, nothing on SQLite). */
    String claimLockClause();

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
     * Whether a group of updates writes its rows, checks and events with multi-row statements ({@code WITH v(...) AS
     * (VALUES (...), ...) UPDATE ... FROM v ... RETURNING}, {@code INSERT ... SELECT ... FROM (VALUES ...)}), one
     * per chunk instead of one execution per row. SQLite: yes; each execution there costs a reset, a bind per
     * parameter and a step through the driver, a good part of a row's cost. PostgreSQL: no, it keeps the per-row JDBC
     * batches (its driver already sends a batch in one round trip, and untyped VALUES parameters would need casts).
     */
    default boolean writesGroupsFromValues() {
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
