package io.deploytrack.jdbc;

import io.deploytrack.jdbc.support.JdbcDialect;

import io.deploytrack.jdbc.internal.Connections;

import java.sql.SQLException;
import java.time.Clock;
import java.util.Objects;

/**
 * Transactions on a {@link JdbcHistoryStore}'s own connections, for modules that keep tables next to the history
 * (deploytrack-notify's delivery log). Writes go through the store's write path: on SQLite the one writer connection
 * of the process, in {@code BEGIN IMMEDIATE} transactions, queued behind the tracker's writes (never a second writer
 * connection); on PostgreSQL a pooled connection per transaction. The work runs its SQL through the
 * {@link StoreTransaction} it is handed, never on a raw connection. Get it with {@link JdbcHistoryStore#transactions()}.
 */
public final class StoreTransactions {

    /** SQL run inside a transaction this class opened; the store commits or rolls back. */
    @FunctionalInterface
    public interface Work<T> {
        /** Does the work through {@code t}, which is valid only until this returns. */
        T apply(StoreTransaction t) throws SQLException;
    }

    private final Connections connections;
    private final Clock clock;
    private final String description;

    StoreTransactions(Connections connections, Clock clock, String description) {
        this.connections = connections;
        this.clock = clock;
        this.description = description;
    }

    /** The dialect of the database: how to bind times and booleans, "now" for leases, the claim clause. */
    public JdbcDialect dialect() {
        return connections.dialect();
    }

    /** The store's clock (what it stamps rows with). */
    public Clock clock() {
        return clock;
    }

    /**
     * Runs {@code work} in one write transaction and commits it.
     *
     * @param what what the work does, for the error message ("claim notifications")
     * @throws StoreException naming {@code what} and the database when the work or the commit fails
     */
    public <T> T write(String what, Work<T> work) {
        Objects.requireNonNull(work, "work");
        try {
            return connections.write(c -> work.apply(new StoreTransaction(c, connections.dialect())));
        } catch (SQLException e) {
            throw new StoreException("cannot " + what + " in " + description + ": " + e.getMessage(), e);
        }
    }

    /** Runs {@code work} in one read transaction (a consistent snapshot). */
    public <T> T read(String what, Work<T> work) {
        Objects.requireNonNull(work, "work");
        try {
            return connections.read(c -> work.apply(new StoreTransaction(c, connections.dialect())));
        } catch (SQLException e) {
            throw new StoreException("cannot " + what + " in " + description + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "StoreTransactions[" + description + "]";
    }
}
