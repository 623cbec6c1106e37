package io.deploytrack.jdbc;

import io.deploytrack.jdbc.internal.Connections;
import io.deploytrack.jdbc.internal.SqlWork;

import java.sql.SQLException;

/**
 * The transactions of one {@link JdbcHistoryStore}, and how their failures read: every failure of the database
 * becomes a {@link StoreException} that says what the store could not do and in which database.
 */
final class StoreCalls {
    private final Connections connections;
    private final String description;

    StoreCalls(Connections connections, String description) {
        this.connections = connections;
        this.description = description;
    }

    Connections connections() {
        return connections;
    }

    String description() {
        return description;
    }

    /** Runs {@code work} in a read transaction; {@code what} names it in the error. */
    <T> T read(String what, SqlWork<T> work) {
        try {
            return connections.read(work);
        } catch (SQLException e) {
            throw fail(what, e);
        }
    }

    /** Runs {@code work} in a write transaction (on SQLite, with the writes queued beside it: group commit). */
    <T> T write(String what, SqlWork<T> work) {
        try {
            return connections.write(work);
        } catch (SQLException e) {
            throw fail(what, e);
        }
    }

    StoreException fail(String what, SQLException e) {
        return new StoreException("cannot " + what + " in " + description + ": " + e.getMessage(), e);
    }
}
