package io.deploytrack.jdbc.internal;

import io.deploytrack.core.CheckRef;
import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.DeploymentStatus;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The SQL of {@code deployment_checks} rows: insert, update by (deployment, name), read. A check's reference is
 * written on update too, since a declared stage receives its reference after the row was created; {@code is_stage}
 * (schema version 7) marks the deployment's declared stages, in {@code position} order. Not public API.
 */
public final class CheckRows {
    /** The columns every read and insert names. */
    public static final String COLUMNS = "deployment_id, position, name, source_type, source_ref, status, "
            + "started_at, completed_at, deadline_at, last_source_status, awaiting_approval, message, timeout_ms, "
            + "approval_timeout_ms, is_stage";
    /** Replaces a check's stored state, matched by deployment and name; {@link #bindUpdate} fills it. */
    public static final String UPDATE = "UPDATE deployment_checks SET status = ?, started_at = ?, "
            + "completed_at = ?, deadline_at = ?, last_source_status = ?, awaiting_approval = ?, message = ?, "
            + "source_ref = ? WHERE deployment_id = ? AND name = ?";
    private static final String INSERT = "INSERT INTO deployment_checks (" + COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final int MAX_MESSAGE = 4000;

    private CheckRows() {
    }

    /** Inserts check {@code ch} of deployment {@code deploymentId} at {@code position}. */
    public static void insert(Connection c, Dialect dialect, long deploymentId, int position, DeploymentCheck ch)
            throws SQLException {
        SqlRunner.update(c, INSERT, ps -> {
            ps.setLong(1, deploymentId);
            ps.setInt(2, position);
            ps.setString(3, ch.name());
            ps.setString(4, ch.sourceType());
            ps.setString(5, ch.ref().encodeFields());
            ps.setString(6, ch.status().word());
            dialect.setInstant(ps, 7, ch.startedAt());
            dialect.setInstant(ps, 8, ch.completedAt());
            dialect.setInstant(ps, 9, ch.deadlineAt());
            ps.setString(10, ch.lastSourceStatus());
            dialect.setBoolean(ps, 11, ch.awaitingApproval());
            ps.setString(12, ch.message());
            ps.setLong(13, ch.timeout().toMillis());
            ps.setLong(14, ch.approvalTimeout().toMillis());
            dialect.setBoolean(ps, 15, ch.stage());
        });
    }

    /** Binds {@link #UPDATE} for check {@code ch} of deployment {@code deploymentId}. */
    public static void bindUpdate(PreparedStatement ps, Dialect dialect, long deploymentId, DeploymentCheck ch)
            throws SQLException {
        ps.setString(1, ch.status().word());
        dialect.setInstant(ps, 2, ch.startedAt());
        dialect.setInstant(ps, 3, ch.completedAt());
        dialect.setInstant(ps, 4, ch.deadlineAt());
        ps.setString(5, ch.lastSourceStatus());
        dialect.setBoolean(ps, 6, ch.awaitingApproval());
        String message = ch.message();
        ps.setString(7, message == null || message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE - 3) + "...");
        ps.setString(8, ch.ref().encodeFields());
        ps.setLong(9, deploymentId);
        ps.setString(10, ch.name());
    }

    /** The check on the current row of a query that selected {@link #COLUMNS}. */
    public static DeploymentCheck read(ResultSet rs, Dialect dialect) throws SQLException {
        String type = rs.getString("source_type");
        return new DeploymentCheck(rs.getString("name"), CheckRef.decode(type, rs.getString("source_ref")),
                DeploymentStatus.fromWord(rs.getString("status")), dialect.getInstant(rs, "started_at"),
                dialect.getInstant(rs, "completed_at"), dialect.getInstant(rs, "deadline_at"),
                rs.getString("last_source_status"), rs.getBoolean("awaiting_approval"), rs.getString("message"),
                Duration.ofMillis(rs.getLong("timeout_ms")), Duration.ofMillis(rs.getLong("approval_timeout_ms")),
                rs.getBoolean("is_stage"));
    }
}
