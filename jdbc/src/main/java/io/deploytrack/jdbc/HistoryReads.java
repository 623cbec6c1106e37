package io.deploytrack.jdbc;

import io.deploytrack.core.DeliveryFacts;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentEvent;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.HistoryQuery;
import io.deploytrack.jdbc.internal.DeliveryQueries;
import io.deploytrack.jdbc.internal.Dialect;
import io.deploytrack.jdbc.internal.Events;
import io.deploytrack.jdbc.internal.HostMeaning;
import io.deploytrack.jdbc.internal.HostTimes;
import io.deploytrack.jdbc.internal.SqlRunner;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reading the history (a deployment, a page of it, the latest successes, delivery facts) and its events, which are
 * appended one at a time and pruned except those of running rows and of each environment's newest success.
 */
final class HistoryReads {
    private final StoreCalls calls;
    private final HistoryRows rows;
    private final Dialect dialect;
    private final HostMeaning meaning;
    private final HostTimes times;
    private final String env;
    private final DeliveryQueries delivery;

    HistoryReads(StoreCalls calls, HistoryRows rows) {
        this.calls = calls;
        this.rows = rows;
        this.dialect = rows.dialect();
        this.meaning = rows.meaning();
        this.times = rows.times();
        this.env = rows.env();
        this.delivery = new DeliveryQueries(dialect, times, env);
    }

    Optional<Deployment> find(long id) {
        return calls.read("read deployment " + id, c ->
                rows.withChecks(c, rows.selectRows(c, "WHERE id = ?", ps -> ps.setLong(1, id))).stream().findFirst());
    }

    Optional<Deployment> findByIdempotencyKey(String key) {
        return calls.read("read deployment by idempotency key", c ->
                rows.withChecks(c, rows.selectRows(c, "WHERE idempotency_key = ?", ps -> ps.setString(1, key))).stream().findFirst());
    }

    List<Deployment> list(HistoryQuery q) {
        StringBuilder where = new StringBuilder("WHERE 1 = 1");
        List<String> args = new ArrayList<>();
        if (q.owner() != null) {
            where.append(" AND github_owner = ?");
            args.add(q.owner());
        }
        if (q.repo() != null) {
            where.append(" AND github_repo = ?");
            args.add(q.repo());
        }
        if (q.environment() != null) {
            where.append(" AND ").append(env).append(" = ?");
            args.add(q.environment());
        }
        if (q.status() != null) {
            where.append(" AND ").append(meaning.status("")).append(" = ?");
            args.add(q.status().word());
        }
        where.append(" ORDER BY started_at DESC, id DESC LIMIT ? OFFSET ?");
        return calls.read("list history", c -> rows.withChecks(c, rows.selectRows(c, where.toString(), ps -> {
            int i = 1;
            for (String a : args) {
                ps.setString(i++, a);
            }
            ps.setInt(i++, q.limit());
            ps.setInt(i, q.offset());
        })));
    }

    Optional<Deployment> latestSuccess(String owner, String repo, String environment, Deployment before,
                                       String excludingCommit) {
        return successes(owner, repo, environment, before, excludingCommit, 1).stream().findFirst();
    }

    List<Deployment> successesBefore(String owner, String repo, String environment, Deployment before, int limit) {
        return successes(owner, repo, environment, before, null, limit);
    }

    private List<Deployment> successes(String owner, String repo, String environment, Deployment before,
                                       String excludingCommit, int limit) {
        StringBuilder where = new StringBuilder("WHERE github_owner = ? AND github_repo = ? AND " + env + " = ? "
                + "AND " + meaning.is("", DeploymentStatus.SUCCESS) + " AND deployed_at IS NOT NULL");
        if (excludingCommit != null) {
            where.append(" AND github_commit_sha <> ?");
        }
        if (before != null) {
            where.append(" AND (deployed_at < ? OR (deployed_at = ? AND id < ?))");
        }
        where.append(" ORDER BY deployed_at DESC, id DESC LIMIT ").append(Math.max(1, limit));
        return calls.read("find the latest success of " + owner + "/" + repo, c ->
                rows.withChecks(c, rows.selectRows(c, where.toString(), ps -> {
                    int i = 1;
                    ps.setString(i++, owner);
                    ps.setString(i++, repo);
                    ps.setString(i++, environment);
                    if (excludingCommit != null) {
                        ps.setString(i++, excludingCommit);
                    }
                    if (before != null) {
                        times.set(ps, i++, before.deployedAt());
                        times.set(ps, i++, before.deployedAt());
                        ps.setLong(i, before.id());
                    }
                })));
    }

    DeliveryFacts deliveryFacts(String owner, String repo, String environment, Instant from, Instant to) {
        return calls.read("work out the delivery facts of " + owner + "/" + repo + " in " + environment, c ->
                delivery.facts(c, owner, repo, environment, from, to));
    }

    List<DeploymentEvent> events(long deploymentId) {
        return calls.read("read events of deployment " + deploymentId, c ->
                SqlRunner.query(c, "SELECT id, deployment_id, at, type, check_name, from_status, "
                        + "to_status, source_status, message FROM deployment_events WHERE deployment_id = ? ORDER BY id",
                        ps -> ps.setLong(1, deploymentId), rs -> new DeploymentEvent(rs.getLong("id"),
                                rs.getLong("deployment_id"), dialect.getInstant(rs, "at"), rs.getString("type"),
                                rs.getString("check_name"), HistoryRows.status(rs.getString("from_status")),
                                HistoryRows.status(rs.getString("to_status")), rs.getString("source_status"),
                                rs.getString("message"))));
    }

    void appendEvent(DeploymentEvent event) {
        calls.write("append an event to deployment " + event.deploymentId(), c -> {
            Events.insert(c, dialect, event);
            return null;
        });
    }

    int pruneEvents(Instant olderThan) {
        String newestSuccess = "SELECT h.id FROM deployment_histories h WHERE " + meaning.is("h.", DeploymentStatus.SUCCESS)
                + " AND h.deployed_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM deployment_histories n WHERE "
                + "n.github_owner = h.github_owner AND n.github_repo = h.github_repo AND n." + env + " = h." + env
                + " AND " + meaning.is("n.", DeploymentStatus.SUCCESS) + " "
                + "AND n.deployed_at IS NOT NULL AND (n.deployed_at > h.deployed_at OR (n.deployed_at = h.deployed_at AND n.id > h.id)))";
        return calls.write("prune events", c -> {
            return SqlRunner.update(c, "DELETE FROM deployment_events WHERE at < ? AND deployment_id NOT IN "
                    + "(SELECT id FROM deployment_histories WHERE " + meaning.is("", DeploymentStatus.RUNNING)
                    + ") AND deployment_id NOT IN (" + newestSuccess + ")", ps -> dialect.setInstant(ps, 1, olderThan));
        });
    }
}
