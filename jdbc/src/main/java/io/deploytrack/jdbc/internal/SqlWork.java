package io.deploytrack.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;

/** Work done on one connection, inside a transaction the caller opened. */
@FunctionalInterface
public interface SqlWork<T> {
    /** Does the work. */
    T apply(Connection c) throws SQLException;
}
