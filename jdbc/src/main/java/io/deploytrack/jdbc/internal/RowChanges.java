package io.deploytrack.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;

/**
 * The row-level statements of repair, each in the caller's transaction: moving a duplicate's checks and events to the
 * row it is merged into, copying its host columns where that row has none, deleting it; a time column changed only
 * while it still holds the value repair read. Not public API.
 */
public final class RowChanges {

    private RowChanges() {
    }

    /** Runs one statement with {@code Long}, {@code String} or null arguments; returns the rows changed. */
    public static int exec(Connection c, String sql, Object... args) throws SQLException {
        return SqlRunner.update(c, sql, ps -> {
            for (int i = 0; i < args.length; i++) {
                if (args[i] instanceof Long l) {
                    ps.setLong(i + 1, l);
                } else {
                    ps.setString(i + 1, (String) args[i]);
                }
            }
        });
    }

    /**
     * Moves what refers to {@code other} to {@code keeper} (events, rollbacks that name it) and gives {@code keeper}
     * the values of {@code hostColumns} it lacks (e.g. the NCP ids only the duplicate had), then deletes
     * {@code other}. Every statement finds its rows by an index ({@code ix_deployment_histories_rollback_of} for the
     * rollbacks, also what the foreign key's {@code ON DELETE SET NULL} looks up), so a merge costs the same however
     * large the table.
     */
    public static void mergeInto(Connection c, long keeper, long other, Map<String, String> hostColumns,
                                 String rollbackColumn)
            throws SQLException {
        exec(c, "UPDATE deployment_events SET deployment_id = ? WHERE deployment_id = ?", keeper, other);
        for (String column : hostColumns.values()) {
            exec(c, "UPDATE deployment_histories SET " + column + " = (SELECT o." + column + " FROM deployment_histories o "
                    + "WHERE o.id = ?) WHERE id = ? AND " + column + " IS NULL", other, keeper);
        }
        // the host's own column when the link is mapped onto it (adopt --map rollback_of=rollback_from_id)
        exec(c, "UPDATE deployment_histories SET " + rollbackColumn + " = ? WHERE " + rollbackColumn + " = ? AND id <> ?",
                keeper, other, keeper);
        exec(c, "DELETE FROM deployment_histories WHERE id = ?", other);
    }

    /** Sets a time column of a row to {@code value} only while it holds {@code expected} as {@code times} reads it. */
    public static boolean setTimeIf(Connection c, HostTimes times, long id, String column, Instant expected, Instant value)
            throws SQLException {
        boolean holds = SqlRunner.read(c, "SELECT " + column + " FROM deployment_histories WHERE id = ?",
                ps -> ps.setLong(1, id), rs -> rs.next() && expected.equals(times.get(rs, column)));
        if (!holds) {
            return false;
        }
        return SqlRunner.update(c, "UPDATE deployment_histories SET " + column + " = ? WHERE id = ?", ps -> {
            times.set(ps, 1, value);
            ps.setLong(2, id);
        }) == 1;
    }
}
