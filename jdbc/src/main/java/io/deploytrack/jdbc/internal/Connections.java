package io.deploytrack.jdbc.internal;

import java.sql.SQLException;

/** How a store gets connections and runs transactions; one implementation per way of connecting. Not public API. */
public interface Connections extends AutoCloseable {

    /** Runs {@code work} in a write transaction and commits it; rolls back on any failure. */
    <T> T write(SqlWork<T> work) throws SQLException;

    /** Runs {@code work} in a read transaction. */
    <T> T read(SqlWork<T> work) throws SQLException;

    /**
     * Throws when the database this opened is no longer there (a SQLite file deleted or replaced under it); a
     * server's connections have nothing to check.
     */
    default void checkInPlace() throws SQLException {
    }

    /** The dialect. */
    Dialect dialect();

    @Override
    void close();
}
