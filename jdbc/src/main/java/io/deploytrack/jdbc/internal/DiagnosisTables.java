package io.deploytrack.jdbc.internal;

import io.deploytrack.jdbc.AdoptionSettings;
import io.deploytrack.jdbc.Diagnosis;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The tables a {@link Diagnosis} looks at, read as stored: rows, checks, event counts, with every time that cannot be
 * read kept aside instead of failing the read (a diagnosis covers the rows the store's API would refuse). Not public
 * API.
 *
 * @param rows          every row, by id
 * @param checks        the checks of each row, in their order
 * @param eventCounts   how many events each row has
 * @param successEvents when each row's {@code completed} event to success was recorded (the last one)
 * @param endedByPush   the rows whose end came from a push
 * @param stageColumns  each row's non-null host stage status columns, by column
 * @param unreadable    each row's columns whose times are not times, as {@code column='value'}
 * @param pending       the unique indexes existing rows keep from being created
 */
public record DiagnosisTables(Map<Long, Diagnosis.Row> rows, Map<Long, List<Diagnosis.Check>> checks,
                              Map<Long, Integer> eventCounts, Map<Long, Instant> successEvents, Set<Long> endedByPush,
                              Map<Long, Map<String, String>> stageColumns, Map<Long, List<String>> unreadable,
                              List<LegacyAdoption.PendingConstraint> pending) {

    /**
     * Reads the tables in the caller's transaction.
     *
     * @param stageStatus the host's stage status columns ({@code --map check:NAME.status=COLUMN})
     * @param times       how the host's own time columns are read
     */
    public static DiagnosisTables read(Connection c, Dialect dialect, AdoptionSettings settings,
                                       List<String> stageStatus, HostTimes times) throws SQLException {
        Reading r = new Reading(dialect, times);
        List<LegacyAdoption.PendingConstraint> pending = LegacyAdoption.pending(c, dialect);
        StringBuilder extra = new StringBuilder();
        settings.attributeColumns().values().forEach(col -> extra.append(", ").append(col));
        stageStatus.forEach(col -> extra.append(", ").append(col));
        HostMeaning meaning = HostMeaning.of(settings); // the precise status, the host's rollback column
        Map<Long, Diagnosis.Row> rows = new LinkedHashMap<>();
        Map<Long, Map<String, String>> stageColumns = new HashMap<>();
        SqlRunner.query(c, "SELECT id, github_owner, github_repo, "
                + settings.environmentColumnOrDefault() + " AS environment, github_commit_sha, is_rollback, "
                + meaning.selectRollback("") + ", idempotency_key, " + meaning.selectStatus("") + ", started_at, deployed_at, completed_at, total_duration, lease_owner, lease_until, "
                + "attributes" + extra + " FROM deployment_histories ORDER BY id", SqlRunner.ParameterSetter.NONE, rs -> {
                    Diagnosis.Row row = r.row(rs, settings);
                    rows.put(row.id(), row);
                    Map<String, String> stages = new HashMap<>();
                    for (String col : stageStatus) {
                        String v = rs.getString(col);
                        if (v != null) {
                            stages.put(col, v);
                        }
                    }
                    if (!stages.isEmpty()) {
                        stageColumns.put(row.id(), stages);
                    }
                    return row;
                });
        Map<Long, List<Diagnosis.Check>> checks = new HashMap<>();
        SqlRunner.query(c, "SELECT id, deployment_id, position, name, "
                + "source_type, source_ref, status, started_at, completed_at, deadline_at, last_source_status "
                + "FROM deployment_checks ORDER BY deployment_id, position, id", SqlRunner.ParameterSetter.NONE, rs -> {
                    Diagnosis.Check k = r.check(rs);
                    checks.computeIfAbsent(k.deploymentId(), x -> new ArrayList<>()).add(k);
                    return k;
                });
        Map<Long, Integer> eventCounts = new HashMap<>();
        SqlRunner.query(c, "SELECT deployment_id, COUNT(*) FROM deployment_events GROUP BY deployment_id",
                SqlRunner.ParameterSetter.NONE, rs -> eventCounts.put(rs.getLong(1), rs.getInt(2)));
        Map<Long, Instant> successEvents = new HashMap<>();
        SqlRunner.query(c, "SELECT deployment_id, at FROM "
                + "deployment_events WHERE type = 'completed' AND to_status = 'success' ORDER BY id",
                SqlRunner.ParameterSetter.NONE, rs -> {
                    long dep = rs.getLong(1);
                    Instant at = r.dialectTime(rs, dep, "at");
                    if (at != null) {
                        successEvents.put(dep, at);
                    }
                    return dep;
                });
        Set<Long> endedByPush = new HashSet<>(SqlRunner.query(c, "SELECT DISTINCT deployment_id FROM "
                + "deployment_events WHERE type = 'completed' AND message LIKE '%ended by push via %'",
                SqlRunner.ParameterSetter.NONE, rs -> rs.getLong(1)));
        return new DiagnosisTables(rows, checks, eventCounts, successEvents, endedByPush, stageColumns, r.unreadable,
                pending);
    }

    /** Maps rows, keeping aside what cannot be read. */
    private static final class Reading {
        private final Dialect dialect;
        private final HostTimes times;
        private final Map<Long, List<String>> unreadable = new TreeMap<>();

        Reading(Dialect dialect, HostTimes times) {
            this.dialect = dialect;
            this.times = times;
        }

        Diagnosis.Row row(ResultSet rs, AdoptionSettings settings) throws SQLException {
            long id = rs.getLong("id");
            long rb = rs.getLong("rollback_of");
            Long rollbackOf = rs.wasNull() ? null : rb;
            Map<String, String> attributes = new LinkedHashMap<>();
            try {
                attributes.putAll(KeyValues.decode(rs.getString("attributes")));
            } catch (RuntimeException e) {
                // attributes a host wrote in its own way: not needed to diagnose the row
            }
            for (Map.Entry<String, String> e : settings.attributeColumns().entrySet()) {
                String v = rs.getString(e.getValue());
                if (v != null && !v.isBlank()) {
                    attributes.put(e.getKey(), v.strip());
                }
            }
            return new Diagnosis.Row(id, rs.getString("github_owner"), rs.getString("github_repo"),
                    rs.getString("environment"), rs.getString("github_commit_sha"), rs.getBoolean("is_rollback"),
                    rollbackOf, rs.getString("idempotency_key"), rs.getString("status"),
                    time(rs, id, "started_at"), time(rs, id, "deployed_at"),
                    time(rs, id, "completed_at"), seconds(rs.getObject("total_duration")),
                    rs.getString("lease_owner"), dialectTime(rs, id, "lease_until"), attributes);
        }

        Diagnosis.Check check(ResultSet rs) throws SQLException {
            long dep = rs.getLong("deployment_id");
            return new Diagnosis.Check(rs.getLong("id"), dep,
                    rs.getInt("position"), rs.getString("name"), rs.getString("source_type"),
                    rs.getString("source_ref"), rs.getString("status"), dialectTime(rs, dep, "started_at"),
                    dialectTime(rs, dep, "completed_at"), dialectTime(rs, dep, "deadline_at"),
                    rs.getString("last_source_status"));
        }

        private Instant time(ResultSet rs, long id, String column) throws SQLException {
            try {
                return times.get(rs, column);
            } catch (RuntimeException | SQLException e) {
                unreadable.computeIfAbsent(id, k -> new ArrayList<>()).add(column + "='" + rs.getString(column) + "'");
                return null;
            }
        }

        Instant dialectTime(ResultSet rs, long id, String column) throws SQLException {
            try {
                return dialect.getInstant(rs, column);
            } catch (RuntimeException e) {
                unreadable.computeIfAbsent(id, k -> new ArrayList<>()).add(column + "='" + rs.getString(column) + "'");
                return null;
            }
        }

        private static Long seconds(Object v) {
            if (v == null) {
                return null;
            }
            if (v instanceof Number n) {
                return Math.round(n.doubleValue());
            }
            try {
                return Math.round(Double.parseDouble(v.toString().strip()));
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }
}
