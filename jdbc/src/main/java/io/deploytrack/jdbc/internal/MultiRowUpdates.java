package io.deploytrack.jdbc.internal;

import io.deploytrack.core.DeploymentEvent;
import io.deploytrack.core.DeploymentUpdate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The writes of a group of updates as multi-row statements, for dialects that {@link Dialect#writesGroupsFromValues()
 * have them} (SQLite): the rows' compare-and-sets as {@code WITH v(...) AS (VALUES ...) UPDATE deployment_histories
 * ... FROM v ... RETURNING id}, the events as one {@code INSERT ... SELECT ... FROM v}; one execution per chunk of up
 * to {@value #MAX_ROWS} rows instead of one per row. Each row keeps its own compare-and-set (its id, expected status
 * and the lease owner in the join) and its own values. Measured on SQLite 3.4x: the rows' update about a fifth
 * cheaper per row, the events' insert about a tenth (one {@code sqlite_sequence} update per statement, not per row);
 * the checks' update was no cheaper this way, so the store keeps it a JDBC batch.
 *
 * <p>A chunk never holds the same row twice: {@code UPDATE ... FROM} would apply only one of them, so a repeated id
 * starts the next chunk, which runs after it, as the per-row statements would. A chunk is padded with rows of nulls
 * (which match nothing and insert nothing) to one of a few sizes, so that the statement cache holds a few texts
 * (sizes times two shapes, and the events' sizes) rather than one per group size. Not public API.
 */
public final class MultiRowUpdates {
    /** The rows of one statement, at most; with at most 10 parameters a row, far below SQLite's 32766. */
    static final int MAX_ROWS = 256;
    private static final int[] SIZES = {4, 16, 64, MAX_ROWS};

    private static final int STATUS = 1;
    private static final int STARTED = 2;
    private static final int DEPLOYED = 4;
    private static final int COMPLETED = 8;
    private static final int ERROR_STAGE = 16;
    private static final int ERROR_MESSAGE = 32;
    /** The optional columns of a row's update, by flag: the values column(s) and the history's column(s). */
    private static final int[] FLAGS = {STATUS, STARTED, DEPLOYED, COMPLETED, ERROR_STAGE, ERROR_MESSAGE};
    private static final String[][] FLAG_COLUMNS = {{"status"}, {"started_at"}, {"deployed_at"},
            {"completed_at", "total_duration"}, {"error_stage"}, {"error_message"}};

    private static final String EVENT_COLUMNS = "deployment_id, at, type, check_name, from_status, to_status, "
            + "source_status, message";
    private static final int EVENT_PARAMS = 8;

    private final Dialect dialect;
    private final HostTimes times;
    /** Statement texts by kind, shape and size: built once each. */
    private final Map<Integer, String> sql = new ConcurrentHashMap<>();

    /** Writes with {@code dialect}, binding the history's times with {@code times}. */
    public MultiRowUpdates(Dialect dialect, HostTimes times) {
        this.dialect = dialect;
        this.times = times;
    }

    /**
     * The compare-and-sets of {@code updates} (in order; {@code starts} the stored start of each row, for the total
     * duration): each row whose status is still its update's expected one and whose lease {@code leaseOwner} holds
     * gets the update's columns, {@code updated_at = now} and its lease extended to {@code now + leaseMillis}. Returns
     * whether each matched.
     */
    public boolean[] rows(Connection c, List<DeploymentUpdate> updates, List<Instant> starts, String leaseOwner,
                          Instant now, long leaseMillis) throws SQLException {
        boolean[] matched = new boolean[updates.size()];
        int from = 0;
        while (from < updates.size()) {
            Set<Long> ids = new HashSet<>();
            int shape = 0;
            int to = from;
            while (to < updates.size() && to - from < MAX_ROWS && ids.add(updates.get(to).id())) {
                shape |= shape(updates.get(to));
                to++;
            }
            int size = size(to - from);
            int chunkShape = shape;
            int perRow = 2 + columns(shape).size();
            String text = sql.computeIfAbsent(key(0, shape, size), k -> rowsSql(chunkShape, size));
            int first = from;
            int end = to;
            Set<Long> changed = SqlRunner.read(c, text, ps -> {
                int i = 1;
                for (int k = first; k < end; k++) {
                    i = bindRow(ps, i, updates.get(k), starts.get(k), chunkShape);
                }
                for (int pad = (size - (end - first)) * perRow; pad > 0; pad--) {
                    ps.setNull(i++, Types.NULL);
                }
                times.set(ps, i++, now);
                i = dialect.bindNowPlusMillis(ps, i, now, leaseMillis);
                ps.setString(i, leaseOwner);
            }, rs -> {
                Set<Long> out = new HashSet<>();
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
                return out;
            });
            for (int k = from; k < to; k++) {
                matched[k] = changed.contains(updates.get(k).id());
            }
            from = to;
        }
        return matched;
    }

    /**
     * The columns a row's statement sets: always those no index holds apart from the ones {@code status} already
     * changes (so naming them costs a null parameter at most), {@code started_at} (in two indexes) only when an update
     * of the chunk sets it. Two shapes, so that the statement cache holds few texts.
     */
    private static int shape(DeploymentUpdate u) {
        return STATUS | DEPLOYED | COMPLETED | ERROR_STAGE | ERROR_MESSAGE | (u.startedAt() != null ? STARTED : 0);
    }

    private static List<String> columns(int shape) {
        List<String> out = new ArrayList<>();
        for (int f = 0; f < FLAGS.length; f++) {
            if ((shape & FLAGS[f]) != 0) {
                out.addAll(List.of(FLAG_COLUMNS[f]));
            }
        }
        return out;
    }

    /**
     * Columns the chunk's updates set: {@code COALESCE(v.col, col)}, so a row whose update leaves a column alone
     * (null there) keeps it, as its own statement (which would not name the column) would.
     */
    private String rowsSql(int shape, int size) {
        List<String> cols = columns(shape);
        StringBuilder s = new StringBuilder("WITH v(id, expected");
        cols.forEach(col -> s.append(", ").append(col));
        s.append(") AS (VALUES ");
        values(s, size, 2 + cols.size());
        s.append(") UPDATE deployment_histories SET ");
        for (String col : cols) {
            s.append(col).append(" = COALESCE(v.").append(col).append(", deployment_histories.").append(col).append("), ");
        }
        s.append("updated_at = ?, lease_until = ").append(dialect.nowPlusMillisExpression())
                .append(" FROM v WHERE deployment_histories.id = v.id AND deployment_histories.status = v.expected")
                .append(" AND deployment_histories.lease_owner = ? RETURNING deployment_histories.id");
        return s.toString();
    }

    private int bindRow(PreparedStatement ps, int i, DeploymentUpdate u, Instant storedStart, int shape)
            throws SQLException {
        ps.setLong(i++, u.id());
        ps.setString(i++, u.expectedStatus().word());
        if ((shape & STATUS) != 0) {
            ps.setString(i++, u.newStatus() == null ? null : u.newStatus().word());
        }
        if ((shape & STARTED) != 0) {
            times.set(ps, i++, u.startedAt());
        }
        if ((shape & DEPLOYED) != 0) {
            times.set(ps, i++, u.deployedAt());
        }
        if ((shape & COMPLETED) != 0) {
            times.set(ps, i++, u.completedAt());
            if (u.completedAt() == null) {
                ps.setNull(i++, Types.BIGINT);
            } else {
                ps.setLong(i++, totalSeconds(u.startedAt() != null ? u.startedAt() : storedStart, u.completedAt()));
            }
        }
        if ((shape & ERROR_STAGE) != 0) {
            ps.setString(i++, u.errorStage());
        }
        if ((shape & ERROR_MESSAGE) != 0) {
            ps.setString(i++, Events.truncate(u.errorMessage()));
        }
        return i;
    }

    /** A finished row's {@code total_duration}: whole seconds from its start to its completion, rounded. */
    public static long totalSeconds(Instant startedAt, Instant completedAt) {
        return Math.round(Duration.between(startedAt, completedAt).toMillis() / 1000.0);
    }

    /** Inserts the events, in order (their ids in that order). */
    public void events(Connection c, List<DeploymentEvent> events) throws SQLException {
        for (int from = 0; from < events.size(); from += MAX_ROWS) {
            int to = Math.min(events.size(), from + MAX_ROWS);
            int size = size(to - from);
            String text = sql.computeIfAbsent(key(1, 0, size), k -> eventsSql(size));
            int first = from;
            SqlRunner.update(c, text, ps -> {
                int i = 1;
                for (int k = first; k < to; k++) {
                    DeploymentEvent e = events.get(k);
                    ps.setLong(i++, e.deploymentId());
                    dialect.setInstant(ps, i++, e.at());
                    ps.setString(i++, e.type());
                    ps.setString(i++, e.checkName());
                    ps.setString(i++, e.fromStatus() == null ? null : e.fromStatus().word());
                    ps.setString(i++, e.toStatus() == null ? null : e.toStatus().word());
                    ps.setString(i++, e.sourceStatus());
                    ps.setString(i++, Events.truncate(e.message()));
                }
                for (int pad = (size - (to - first)) * EVENT_PARAMS; pad > 0; pad--) {
                    ps.setNull(i++, Types.NULL);
                }
            });
        }
    }

    /** The padding rows (all null) insert nothing: {@code deployment_id} is never null in a real event. */
    private static String eventsSql(int size) {
        StringBuilder s = new StringBuilder("WITH v(").append(EVENT_COLUMNS).append(") AS (VALUES ");
        values(s, size, EVENT_PARAMS);
        return s.append(") INSERT INTO deployment_events (").append(EVENT_COLUMNS).append(") SELECT ")
                .append(EVENT_COLUMNS).append(" FROM v WHERE deployment_id IS NOT NULL").toString();
    }

    /** The padded size of a chunk of {@code rows} rows: the smallest of {@link #SIZES} that holds them. */
    private static int size(int rows) {
        for (int s : SIZES) {
            if (rows <= s) {
                return s;
            }
        }
        throw new IllegalArgumentException("a chunk of " + rows + " rows: expected at most " + MAX_ROWS);
    }

    private static int key(int kind, int shape, int size) {
        return (kind << 24) | (shape << 12) | size;
    }

    private static void values(StringBuilder s, int rows, int params) {
        String row = "(" + "?, ".repeat(params - 1) + "?)";
        for (int r = 0; r < rows; r++) {
            s.append(r == 0 ? "" : ", ").append(row);
        }
    }
}
