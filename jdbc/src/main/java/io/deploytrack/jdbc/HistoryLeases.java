package io.deploytrack.jdbc;

import io.deploytrack.jdbc.support.JdbcDialect;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentEvent;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.LeaseInfo;
import io.deploytrack.jdbc.internal.Dialect;
import io.deploytrack.jdbc.internal.Events;
import io.deploytrack.jdbc.internal.HostMeaning;
import io.deploytrack.jdbc.internal.HostTimes;
import io.deploytrack.jdbc.internal.SqlRunner;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The lease protocol: a tracker claims the rows it will follow (running rows with something to follow, and ended rows
 * whose listeners were not told yet) for a while, renews and releases them, and marks them notified; a running row with
 * no check ends {@code timed_out} at its deadline when a claim finds it. A lease is a {@code lease_owner} and a
 * {@code lease_until} on the row, measured by the dialect's clock.
 */
final class HistoryLeases {
    private final StoreCalls calls;
    private final HistoryRows rows;
    private final Dialect dialect;
    private final HostMeaning meaning;
    private final HostTimes times;
    private final Clock clock;
    private final Duration checklessTimeout;

    HistoryLeases(StoreCalls calls, HistoryRows rows, Clock clock, Duration checklessTimeout) {
        this.calls = calls;
        this.rows = rows;
        this.dialect = rows.dialect();
        this.meaning = rows.meaning();
        this.times = rows.times();
        this.clock = clock;
        this.checklessTimeout = checklessTimeout;
    }

    List<Deployment> claim(String owner, Duration leaseDuration, int limit, Set<String> sourceTypes) {
        return calls.write("claim deployments", c -> {
            Instant now = clock.instant();
            endChecklessPastDeadline(c, now);
            // A running row without checks (a host's own code wrote it) has nothing to follow: it is not claimed, and
            // ends at its deadline above.
            String running = meaning.is("h.", DeploymentStatus.RUNNING);
            String notRunning = meaning.isNot("h.", DeploymentStatus.RUNNING);
            StringBuilder sql = new StringBuilder("SELECT h.id FROM deployment_histories h WHERE (" + running + " "
                    + "OR h.completion_notified = ?) AND (h.lease_owner IS NULL OR h.lease_until IS NULL OR h.lease_until <= "
                    + dialect.nowExpression() + ") AND (" + notRunning + " OR EXISTS (SELECT 1 FROM deployment_checks k0 "
                    + "WHERE k0.deployment_id = h.id)) AND (" + notRunning + " OR NOT EXISTS (SELECT 1 FROM deployment_checks k "
                    + "WHERE k.deployment_id = h.id AND k.status = 'running'");
            List<String> types = new ArrayList<>(sourceTypes);
            if (!types.isEmpty()) {
                sql.append(" AND k.source_type NOT IN (").append(JdbcDialect.placeholders(types.size())).append(")");
            }
            sql.append(")) ORDER BY h.id LIMIT ?").append(dialect.claimLockClause());
            List<Long> ids = SqlRunner.query(c, sql.toString(), ps -> {
                int i = 1;
                dialect.setBoolean(ps, i++, false);
                i = dialect.bindNow(ps, i, now);
                for (String t : types) {
                    ps.setString(i++, t);
                }
                ps.setInt(i, limit);
            }, rs -> rs.getLong(1));
            if (ids.isEmpty()) {
                return List.of();
            }
            dialect.lease(c, "deployment_histories", ids, owner, now, leaseDuration.toMillis());
            return rows.withChecks(c, rows.selectRows(c, "WHERE id IN (" + JdbcDialect.placeholders(ids.size()) + ") ORDER BY id",
                    HistoryRows.ids(ids)));
        });
    }

    /**
     * Ends the running rows that have no check, no live lease, and a deadline ({@code started_at} plus the checkless
     * timeout) in the past: {@code timed_out} at that deadline, recorded in an {@code expired} event, and counted as
     * notified (a listener is not woken for a row no tracker ever followed).
     */
    private void endChecklessPastDeadline(Connection c, Instant now) throws SQLException {
        Map<Long, Instant> due = SqlRunner.read(c, "SELECT h.id, h.started_at FROM deployment_histories h WHERE "
                + meaning.is("h.", DeploymentStatus.RUNNING) + " AND (h.lease_owner IS NULL OR h.lease_until IS NULL OR h.lease_until <= "
                + dialect.nowExpression() + ") AND NOT EXISTS (SELECT 1 FROM deployment_checks k WHERE k.deployment_id = h.id)",
                ps -> dialect.bindNow(ps, 1, now), rs -> {
                    Map<Long, Instant> out = new LinkedHashMap<>();
                    while (rs.next()) {
                        Instant started = times.get(rs, "started_at");
                        if (started != null && !started.plus(checklessTimeout).isAfter(now)) {
                            out.put(rs.getLong("id"), started.plus(checklessTimeout));
                        }
                    }
                    return out;
                });
        for (Map.Entry<Long, Instant> e : due.entrySet()) {
            String message = "timed out: it had nothing to follow (no check; written before deploytrack followed this "
                    + "table) and was still running at its deadline, started_at + " + checklessTimeout.toMinutes() + " min";
            int ended = SqlRunner.update(c, "UPDATE deployment_histories SET "
                    + meaning.setStatus(DeploymentStatus.TIMED_OUT) + ", completed_at = ?, total_duration = ?, error_message = ?, updated_at = ?, completion_notified = ?, "
                    + "lease_owner = NULL, lease_until = NULL WHERE id = ? AND " + meaning.is("", DeploymentStatus.RUNNING), ps -> {
                times.set(ps, 1, e.getValue());
                ps.setLong(2, checklessTimeout.toSeconds());
                ps.setString(3, message);
                times.set(ps, 4, now);
                dialect.setBoolean(ps, 5, true);
                ps.setLong(6, e.getKey());
            });
            if (ended == 1) {
                Events.insert(c, dialect, DeploymentEvent.of(e.getKey(), now, DeploymentEvent.Type.EXPIRED.word(), null, DeploymentStatus.RUNNING,
                        DeploymentStatus.TIMED_OUT, null, message));
            }
        }
    }

    Set<Long> renew(String owner, Collection<Long> ids, Duration leaseDuration) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        return calls.write("renew leases", c -> {
            Set<Long> held = new HashSet<>();
            Instant now = clock.instant();
            for (List<Long> chunk : HistoryRows.chunks(ids)) {
                held.addAll(SqlRunner.query(c, "UPDATE deployment_histories SET lease_until = "
                        + dialect.nowPlusMillisExpression() + " WHERE lease_owner = ? AND id IN ("
                        + JdbcDialect.placeholders(chunk.size()) + ") RETURNING id", ps -> {
                    int i = dialect.bindNowPlusMillis(ps, 1, now, leaseDuration.toMillis());
                    ps.setString(i++, owner);
                    for (Long id : chunk) {
                        ps.setLong(i++, id);
                    }
                }, rs -> rs.getLong(1)));
            }
            return held;
        });
    }

    void release(String owner, Collection<Long> ids) {
        calls.write("release leases", c -> {
            if (ids == null) {
                SqlRunner.update(c, "UPDATE deployment_histories SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ?",
                        ps -> ps.setString(1, owner));
                return null;
            }
            for (List<Long> chunk : HistoryRows.chunks(ids)) {
                SqlRunner.update(c, "UPDATE deployment_histories SET lease_owner = NULL, "
                        + "lease_until = NULL WHERE lease_owner = ? AND id IN (" + JdbcDialect.placeholders(chunk.size()) + ")", ps -> {
                    ps.setString(1, owner);
                    int i = 2;
                    for (Long id : chunk) {
                        ps.setLong(i++, id);
                    }
                });
            }
            return null;
        });
    }

    Optional<LeaseInfo> lease(long id) {
        return calls.read("read the lease of deployment " + id, c -> SqlRunner.queryOne(c,
                "SELECT lease_owner, lease_until FROM deployment_histories WHERE id = ?", ps -> ps.setLong(1, id),
                rs -> rs.getString("lease_owner") == null ? null
                        : new LeaseInfo(rs.getString("lease_owner"), dialect.getInstant(rs, "lease_until"))));
    }

    /** One transaction for all of them. */
    void markAllNotified(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return;
        }
        calls.write("mark " + ids.size() + " deployments notified", c -> {
            for (List<Long> chunk : HistoryRows.chunks(ids)) {
                SqlRunner.update(c, "UPDATE deployment_histories SET completion_notified = ?, "
                        + "lease_owner = NULL, lease_until = NULL WHERE id IN (" + JdbcDialect.placeholders(chunk.size()) + ")", ps -> {
                    dialect.setBoolean(ps, 1, true);
                    int i = 2;
                    for (Long id : chunk) {
                        ps.setLong(i++, id);
                    }
                });
            }
            return null;
        });
    }

    void markNotified(long id) {
        calls.write("mark deployment " + id + " notified", c -> {
            SqlRunner.update(c, "UPDATE deployment_histories SET completion_notified = ?, "
                    + "lease_owner = NULL, lease_until = NULL WHERE id = ?", ps -> {
                dialect.setBoolean(ps, 1, true);
                ps.setLong(2, id);
            });
            return null;
        });
    }
}
