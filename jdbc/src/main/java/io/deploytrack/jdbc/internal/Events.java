package io.deploytrack.jdbc.internal;

import io.deploytrack.core.DeploymentEvent;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Writes rows of {@code deployment_events}: the one insert (and its binding) the store and its maintenance share. Not public API. */
public final class Events {
    /** The longest message kept; longer ones are cut with {@code ...}. */
    public static final int MAX_MESSAGE = 4000;

    private Events() {
    }

    /** The insert of one event; its parameters are bound by {@link #bind}. */
    public static final String INSERT = "INSERT INTO deployment_events (deployment_id, at, type, "
            + "check_name, from_status, to_status, source_status, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

    /** Inserts one event in the caller's transaction. */
    public static void insert(Connection c, Dialect dialect, DeploymentEvent e) throws SQLException {
        SqlRunner.update(c, INSERT, ps -> bind(ps, dialect, e));
    }

    /** Binds the parameters of {@link #INSERT} for one event (so that a caller may batch several). */
    public static void bind(PreparedStatement ps, Dialect dialect, DeploymentEvent e) throws SQLException {
        ps.setLong(1, e.deploymentId());
        dialect.setInstant(ps, 2, e.at());
        ps.setString(3, e.type());
        ps.setString(4, e.checkName());
        ps.setString(5, e.fromStatus() == null ? null : e.fromStatus().word());
        ps.setString(6, e.toStatus() == null ? null : e.toStatus().word());
        ps.setString(7, e.sourceStatus());
        ps.setString(8, truncate(e.message()));
    }

    /** A message cut to {@link #MAX_MESSAGE} characters. */
    public static String truncate(String s) {
        return s == null || s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE - 3) + "...";
    }
}
