package io.deploytrack.jdbc;

import io.deploytrack.jdbc.support.JdbcDialect;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.Observation;
import io.deploytrack.core.PendingPush;
import io.deploytrack.core.Push;
import io.deploytrack.jdbc.internal.Dialect;
import io.deploytrack.jdbc.internal.HostMeaning;
import io.deploytrack.jdbc.internal.KeyValues;
import io.deploytrack.jdbc.internal.SqlRunner;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Pushed observations (a webhook's): recorded for the deployment whose lease holder applies them, read by that holder,
 * forgotten once what they changed is committed; and the running checks a push may concern.
 */
final class HistoryPushes {
    private final StoreCalls calls;
    private final HistoryRows rows;
    private final Dialect dialect;
    private final HostMeaning meaning;

    HistoryPushes(StoreCalls calls, HistoryRows rows) {
        this.calls = calls;
        this.rows = rows;
        this.dialect = rows.dialect();
        this.meaning = rows.meaning();
    }

    void recordPush(PendingPush p) {
        calls.write("record a pushed observation for deployment " + p.deploymentId(), c -> {
            SqlRunner.update(c, "INSERT INTO deployment_pushes (deployment_id, check_name, "
                    + "via, delivery_id, state, source_status, started_at, finished_at, message, received_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", ps -> {
                Observation o = p.observation();
                ps.setLong(1, p.deploymentId());
                ps.setString(2, p.checkName());
                ps.setString(3, p.via());
                ps.setString(4, p.deliveryId());
                ps.setString(5, o.state().name());
                ps.setString(6, o.sourceStatus());
                dialect.setInstant(ps, 7, o.startedAt());
                dialect.setInstant(ps, 8, o.finishedAt());
                ps.setString(9, HistoryRows.truncate(o.message(), 4000));
                dialect.setInstant(ps, 10, p.receivedAt());
            });
            return null;
        });
    }

    List<PendingPush> pendingPushes(String leaseOwner, int limit) {
        // A read, outside a write transaction: usually there is nothing, and the holder asks on every tick. The rows
        // stay until forgetPushes, after what they changed is committed.
        return calls.read("read pushed observations", c -> SqlRunner.query(c,
                "SELECT p.id, p.deployment_id, p.check_name, p.via, "
                + "p.delivery_id, p.state, p.source_status, p.started_at, p.finished_at, p.message, p.received_at "
                + "FROM deployment_pushes p JOIN deployment_histories h ON h.id = p.deployment_id "
                + "WHERE h.lease_owner = ? ORDER BY p.id LIMIT ?", ps -> {
                    ps.setString(1, leaseOwner);
                    ps.setInt(2, limit);
                }, rs -> {
                    Observation o = new Observation(Observation.State.valueOf(rs.getString("state")),
                            rs.getString("source_status"), dialect.getInstant(rs, "started_at"),
                            dialect.getInstant(rs, "finished_at"), rs.getString("message"));
                    return new PendingPush(rs.getLong("id"), rs.getLong("deployment_id"), rs.getString("check_name"),
                            rs.getString("via"), rs.getString("delivery_id"), o, dialect.getInstant(rs, "received_at"));
                }));
    }

    void forgetPushes(Collection<Long> ids) {
        List<Long> all = List.copyOf(ids);
        for (int from = 0; from < all.size(); from += 500) {
            List<Long> chunk = all.subList(from, Math.min(all.size(), from + 500));
            calls.write("forget applied pushed observations", c -> {
                SqlRunner.update(c, "DELETE FROM deployment_pushes WHERE id IN ("
                        + JdbcDialect.placeholders(chunk.size()) + ")", HistoryRows.ids(chunk));
                return null;
            });
        }
    }

    List<Deployment> findRunning(Push push, int limit) {
        // The LIKE on the stored k=v&k=v text narrows; push.selects decides exactly.
        StringBuilder sql = new StringBuilder("SELECT DISTINCT h.id FROM deployment_histories h JOIN deployment_checks k "
                + "ON k.deployment_id = h.id WHERE " + meaning.is("h.", DeploymentStatus.RUNNING) + " AND k.status = 'running'");
        List<String> args = new ArrayList<>();
        if (push.ref() != null) {
            sql.append(" AND k.source_type = ?");
            args.add(push.ref().type());
            for (var f : push.ref().fields().entrySet()) {
                sql.append(" AND ('&' || k.source_ref || '&') LIKE ? ESCAPE '!'");
                args.add("%&" + likeEscaped(KeyValues.encode(Map.of(f.getKey(), f.getValue()))) + "&%");
            }
        } else {
            sql.append(" AND ('&' || h.attributes || '&') LIKE ? ESCAPE '!'");
            args.add("%&" + likeEscaped(KeyValues.encode(Map.of(push.attributeKey(), push.attributeValue()))) + "&%");
        }
        sql.append(" ORDER BY h.id LIMIT ?");
        return calls.read("find running checks for a push", c -> {
            List<Long> ids = SqlRunner.query(c, sql.toString(), ps -> {
                int i = 1;
                for (String a : args) {
                    ps.setString(i++, a);
                }
                ps.setInt(i, limit);
            }, rs -> rs.getLong(1));
            if (ids.isEmpty()) {
                return List.<Deployment>of();
            }
            List<Deployment> found = rows.withChecks(c, rows.selectRows(c, "WHERE id IN (" + JdbcDialect.placeholders(ids.size()) + ") ORDER BY id",
                    HistoryRows.ids(ids)));
            return found.stream().filter(d -> d.checks().stream()
                    .anyMatch(ch -> !ch.status().isTerminal() && push.selects(d, ch))).toList();
        });
    }

    private static String likeEscaped(String s) {
        return s.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }
}
