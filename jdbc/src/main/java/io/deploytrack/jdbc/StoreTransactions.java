package io.deploytrack.jdbc;

import io.deploytrack.jdbc.internal.Connections;
import io.deploytrack.jdbc.internal.KeyValues;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * Transactions on a {@link JdbcHistoryStore}'s own connections, for modules that keep tables next to the history
 * (deploytrack-notify's delivery log). Writes go through the store's write path: on SQLite the one writer connection
 * of the process, in {@code BEGIN IMMEDIATE} transactions, queued behind the tracker's writes (never a second writer
 * connection); on PostgreSQL a pooled connection per transaction. Get it with {@link JdbcHistoryStore#transactions()}.
 */
public final class StoreTransactions {

    /** SQL run on one connection inside a transaction this class opened; the store commits or rolls back. */
    @FunctionalInterface
    public interface Work<T> {
        /** Does the work on {@code c}; never commits nor rolls back itself. */
        T apply(Connection c, JdbcDialect dialect) throws SQLException;
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
            return connections.write(c -> work.apply(c, connections.dialect()));
        } catch (SQLException e) {
            throw new StoreException("cannot " + what + " in " + description + ": " + e.getMessage(), e);
        }
    }

    /** Runs {@code work} in one read transaction (a consistent snapshot). */
    public <T> T read(String what, Work<T> work) {
        Objects.requireNonNull(work, "work");
        try {
            return connections.read(c -> work.apply(c, connections.dialect()));
        } catch (SQLException e) {
            throw new StoreException("cannot " + what + " in " + description + ": " + e.getMessage(), e);
        }
    }

    /**
     * Sets one attribute of a deployment inside a transaction of {@link #write} (the others are kept), for values
     * learnt after the deployment was recorded (an outside system's id for it). Returns false when there is no such
     * deployment.
     */
    public boolean putAttribute(Connection c, long deploymentId, String key, String value) throws SQLException {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Map<String, String> attributes;
        try (PreparedStatement ps = c.prepareStatement("SELECT attributes FROM deployment_histories WHERE id = ?")) {
            ps.setLong(1, deploymentId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                attributes = KeyValues.decode(rs.getString(1));
            }
        }
        attributes.put(key, value);
        try (PreparedStatement ps = c.prepareStatement("UPDATE deployment_histories SET attributes = ? WHERE id = ?")) {
            ps.setString(1, KeyValues.encode(attributes));
            ps.setLong(2, deploymentId);
            return ps.executeUpdate() == 1;
        }
    }

    @Override
    public String toString() {
        return "StoreTransactions[" + description + "]";
    }
}
