package io.deploytrack.notify.internal;

import io.deploytrack.core.DeploymentEvent.Type;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.jdbc.support.JdbcDialect;
import io.deploytrack.jdbc.StoreTransaction;
import io.deploytrack.jdbc.StoreTransactions;
import io.deploytrack.notify.Delivery;
import io.deploytrack.notify.DeliveryStatus;
import io.deploytrack.notify.NotificationFilter;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SQL of the delivery log ({@code deployment_notifications}) and of each channel's read position in the event log
 * ({@code deployment_notification_channels}). Every write goes through the store's own write path. Not public API.
 */
public final class DeliveryTable {
    /** The event types channels deliver: a tracked start, the tracker's end, an end by hand. */
    public static final List<String> DELIVERED_TYPES = List.of(Type.STARTED.word(), Type.COMPLETED.word(),
            Type.MARKED.word());
    /** The event written when an operator queues a delivery again. */
    public static final String REDELIVERY_EVENT = Type.NOTIFICATION_REDELIVERY.word();

    private static final String COLUMNS = "id, channel, event_id, deployment_id, event_type, event_status, event_at, "
            + "event_message, status, attempts, next_attempt_at, last_error, delivered_at, created_at";
    private static final int SCAN_BATCH = 1000;

    private final StoreTransactions tx;

    /** The delivery log of the database behind these transactions. */
    public DeliveryTable(StoreTransactions tx) {
        this.tx = tx;
    }

    /** One claimed row, with what a channel needs: the event's fields as queued, and the attempts made so far. */
    public record Claimed(long id, String channel, long eventId, long deploymentId, String eventType,
                          DeploymentStatus eventStatus, Instant eventAt, String eventMessage, int attempts) {
    }

    /** An event read from the log. */
    private record LoggedEvent(long id, long deploymentId, String type, String toStatus, Instant at, String message,
                               String owner, String repo, String environment) {
    }

    /**
     * Registers channels not seen before at the end of the event log (a new channel announces what happens from now
     * on, not the whole history). Returns the channels' read positions.
     */
    public Map<String, Long> register(List<String> channels, Instant now) {
        return tx.write("register notification channels", t -> {
            Map<String, Long> out = new HashMap<>();
            for (String channel : channels) {
                out.put(channel, position(t, channel, now));
            }
            return out;
        });
    }

    private static long position(StoreTransaction t, String channel, Instant now) throws SQLException {
        JdbcDialect d = t.dialect();
        String lock = d.name().equals("postgresql") ? " FOR UPDATE" : "";
        String read = "SELECT scanned_to FROM deployment_notification_channels WHERE channel = ?" + lock;
        Optional<Long> known = t.queryOne(read, ps -> ps.setString(1, channel), rs -> rs.getLong(1));
        if (known.isPresent()) {
            return known.get();
        }
        long end = eventsEnd(t);
        t.update("INSERT INTO deployment_notification_channels (channel, "
                + "scanned_to, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", ps -> {
                    ps.setString(1, channel);
                    ps.setLong(2, end);
                    d.setInstant(ps, 3, now);
                });
        // another instance may have registered it first: read what won
        return t.queryOne(read, ps -> ps.setString(1, channel), rs -> rs.getLong(1)).orElseThrow();
    }

    private static long eventsEnd(StoreTransaction t) throws SQLException {
        return t.queryOne("SELECT COALESCE(MAX(id), 0) FROM deployment_events", StoreTransaction.Parameters.NONE,
                rs -> rs.getLong(1)).orElseThrow();
    }

    /**
     * Queues, for one channel, the events after its read position that its filter accepts (once: unique per channel
     * and event), and moves the position to {@code settledTo} (never backwards), or to the newest event read when
     * {@code settledTo} is negative. Returns the newest event id read: the end of the log when the scan reached it.
     */
    public long enqueue(String channel, NotificationFilter filter, Instant now, long settledTo) {
        return tx.write("queue notifications of channel " + channel, t -> {
            JdbcDialect d = t.dialect();
            long from = position(t, channel, now);
            long end = eventsEnd(t);
            List<LoggedEvent> events = t.query("SELECT e.id, e.deployment_id, e.type, e.to_status, e.at, "
                    + "e.message, h.github_owner, h.github_repo, h.environment FROM deployment_events e JOIN "
                    + "deployment_histories h ON h.id = e.deployment_id WHERE e.id > ? AND e.type IN ("
                    + JdbcDialect.placeholders(DELIVERED_TYPES.size()) + ") AND NOT EXISTS (SELECT 1 FROM deployment_notifications n "
                    + "WHERE n.channel = ? AND n.event_id = e.id) ORDER BY e.id LIMIT " + SCAN_BATCH, ps -> {
                        int i = 1;
                        ps.setLong(i++, from);
                        for (String type : DELIVERED_TYPES) {
                            ps.setString(i++, type);
                        }
                        ps.setString(i, channel);
                    }, rs -> new LoggedEvent(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                            d.getInstant(rs, "at"), rs.getString(6), rs.getString(7), rs.getString(8),
                            rs.getString(9)));
            long newest = from;
            for (LoggedEvent e : events) {
                newest = Math.max(newest, e.id);
                DeploymentStatus status = e.toStatus == null ? null : DeploymentStatus.fromWord(e.toStatus);
                if (status == null || (e.type.equals(Type.STARTED.word()) != (status == DeploymentStatus.RUNNING))
                        || !filter.accepts(status, e.owner, e.repo, e.environment)) {
                    continue;
                }
                t.update("INSERT INTO deployment_notifications (channel, "
                        + "event_id, deployment_id, event_type, event_status, event_at, event_message, status, attempts, "
                        + "next_attempt_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?) "
                        + "ON CONFLICT DO NOTHING", ps -> {
                            ps.setString(1, channel);
                            ps.setLong(2, e.id);
                            ps.setLong(3, e.deploymentId);
                            ps.setString(4, e.type);
                            ps.setString(5, status.word());
                            d.setInstant(ps, 6, e.at);
                            ps.setString(7, e.type.equals(Type.MARKED.word()) ? e.message : null);
                            d.setInstant(ps, 8, now);
                            d.setInstant(ps, 9, now);
                            d.setInstant(ps, 10, now);
                        });
            }
            if (events.size() < SCAN_BATCH) {
                // everything up to the end read before the scan has been seen
                newest = Math.max(newest, end);
            }
            long moveTo = settledTo < 0 ? newest : Math.min(settledTo, newest);
            if (moveTo > from) {
                t.update("UPDATE deployment_notification_channels SET scanned_to = ? WHERE channel = ? AND scanned_to < ?",
                        ps -> {
                            ps.setLong(1, moveTo);
                            ps.setString(2, channel);
                            ps.setLong(3, moveTo);
                        });
            }
            return newest;
        });
    }

    /**
     * Claims up to {@code limit} due deliveries of these channels for {@code owner} for {@code leaseMillis}: pending,
     * due, not leased by another live instance, and not behind an earlier pending delivery of the same deployment to
     * the same channel (a start goes out before the end). PostgreSQL: {@code FOR UPDATE SKIP LOCKED}.
     */
    public List<Claimed> claim(List<String> channels, String owner, Instant now, long leaseMillis, int limit) {
        if (channels.isEmpty()) {
            return List.of();
        }
        return tx.write("claim notifications", t -> {
            JdbcDialect d = t.dialect();
            List<Long> ids = t.query("SELECT n.id FROM deployment_notifications n WHERE "
                    + "n.status = 'pending' AND n.channel IN (" + JdbcDialect.placeholders(channels.size()) + ") AND "
                    + "n.next_attempt_at <= ? AND (n.lease_owner IS NULL OR n.lease_until IS NULL OR n.lease_until <= "
                    + d.nowExpression() + ") AND NOT EXISTS (SELECT 1 FROM deployment_notifications p WHERE "
                    + "p.channel = n.channel AND p.deployment_id = n.deployment_id AND p.event_id < n.event_id AND "
                    + "p.status = 'pending') ORDER BY n.id LIMIT ?"
                    + (d.name().equals("postgresql") ? " FOR UPDATE OF n SKIP LOCKED" : ""), ps -> {
                        int i = 1;
                        for (String ch : channels) {
                            ps.setString(i++, ch);
                        }
                        d.setInstant(ps, i++, now);
                        i = d.bindNow(ps, i, now);
                        ps.setInt(i, limit);
                    }, rs -> rs.getLong(1));
            if (ids.isEmpty()) {
                return List.of();
            }
            t.lease("deployment_notifications", ids, owner, now, leaseMillis);
            return t.query("SELECT " + COLUMNS + " FROM deployment_notifications WHERE "
                    + "id IN (" + JdbcDialect.placeholders(ids.size()) + ") ORDER BY id", ps -> {
                        int i = 1;
                        for (Long id : ids) {
                            ps.setLong(i++, id);
                        }
                    }, rs -> {
                        String st = rs.getString("event_status");
                        return new Claimed(rs.getLong("id"), rs.getString("channel"), rs.getLong("event_id"),
                                rs.getLong("deployment_id"), rs.getString("event_type"),
                                st == null ? null : DeploymentStatus.fromWord(st), d.getInstant(rs, "event_at"),
                                rs.getString("event_message"), rs.getInt("attempts"));
                    });
        });
    }

    /**
     * Records one attempt's outcome, if {@code owner} still holds the delivery: the new status, the attempt counted,
     * the next attempt time (pending), the error, the delivery time, and attributes for the deployment. Returns false
     * when the lease was lost (another instance claimed it meanwhile).
     */
    public boolean record(long id, String owner, DeliveryStatus status, Instant nextAttemptAt, String error,
                          Instant now, long deploymentId, Map<String, String> attributes) {
        return tx.write("record notification " + id, t -> {
            JdbcDialect d = t.dialect();
            int changed = t.update("UPDATE deployment_notifications SET status = ?, "
                    + "attempts = attempts + 1, next_attempt_at = ?, last_error = COALESCE(?, last_error), "
                    + "delivered_at = ?, lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE id = ? AND "
                    + "lease_owner = ?", ps -> {
                        ps.setString(1, status.word());
                        d.setInstant(ps, 2, nextAttemptAt);
                        ps.setString(3, error == null ? null : truncate(error, 2000));
                        d.setInstant(ps, 4, status == DeliveryStatus.DELIVERED ? now : null);
                        d.setInstant(ps, 5, now);
                        ps.setLong(6, id);
                        ps.setString(7, owner);
                    });
            if (changed != 1) {
                return false;
            }
            for (Map.Entry<String, String> a : attributes.entrySet()) {
                t.putAttribute(deploymentId, a.getKey(), a.getValue());
            }
            return true;
        });
    }

    /** Gives up the leases {@code owner} still holds (at close), so other instances take them at once. */
    public void release(String owner) {
        tx.write("release notification leases", t -> t.update("UPDATE deployment_notifications SET lease_owner = NULL, "
                + "lease_until = NULL WHERE lease_owner = ? AND status = 'pending'", ps -> ps.setString(1, owner)));
    }

    /** Deliveries, newest first, optionally of one status, one deployment. */
    public List<Delivery> list(DeliveryStatus status, Long deploymentId, int limit) {
        return tx.read("list notifications", t -> {
            StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM deployment_notifications WHERE 1 = 1");
            if (status != null) {
                sql.append(" AND status = ?");
            }
            if (deploymentId != null) {
                sql.append(" AND deployment_id = ?");
            }
            sql.append(" ORDER BY id DESC LIMIT ?");
            return t.query(sql.toString(), ps -> {
                int i = 1;
                if (status != null) {
                    ps.setString(i++, status.word());
                }
                if (deploymentId != null) {
                    ps.setLong(i++, deploymentId);
                }
                ps.setInt(i, limit);
            }, rs -> delivery(rs, t.dialect()));
        });
    }

    /** Counts pending deliveries of these deployments. */
    public int pendingOf(List<Long> deploymentIds) {
        if (deploymentIds.isEmpty()) {
            return 0;
        }
        return tx.read("count pending notifications", t -> t.queryOne("SELECT COUNT(*) FROM deployment_notifications "
                + "WHERE status = 'pending' AND deployment_id IN (" + JdbcDialect.placeholders(deploymentIds.size()) + ")",
                ps -> {
                    int i = 1;
                    for (Long id : deploymentIds) {
                        ps.setLong(i++, id);
                    }
                }, rs -> rs.getInt(1)).orElseThrow());
    }

    /** The newest event id of these deployments of the delivered types (0 when none). */
    public long newestEventOf(List<Long> deploymentIds) {
        if (deploymentIds.isEmpty()) {
            return 0;
        }
        return tx.read("read the newest event", t -> t.queryOne("SELECT COALESCE(MAX(id), 0) FROM deployment_events WHERE "
                + "deployment_id IN (" + JdbcDialect.placeholders(deploymentIds.size()) + ") AND type IN ("
                + JdbcDialect.placeholders(DELIVERED_TYPES.size()) + ")", ps -> {
                    int i = 1;
                    for (Long id : deploymentIds) {
                        ps.setLong(i++, id);
                    }
                    for (String type : DELIVERED_TYPES) {
                        ps.setString(i++, type);
                    }
                }, rs -> rs.getLong(1)).orElseThrow());
    }

    /**
     * Queues deliveries again (due now, attempts reset), each recorded as a {@value #REDELIVERY_EVENT} event of its
     * deployment, in one transaction. {@code id} null: every failed delivery. Returns the deliveries queued.
     */
    public List<Delivery> redeliver(Long id, Instant now, String requestedBy) {
        return tx.write("queue notifications again", t -> {
            JdbcDialect d = t.dialect();
            List<Delivery> targets = t.query("SELECT " + COLUMNS + " FROM deployment_notifications WHERE "
                    + (id == null ? "status = 'failed'" : "id = ?") + " ORDER BY id", ps -> {
                        if (id != null) {
                            ps.setLong(1, id);
                        }
                    }, rs -> delivery(rs, d));
            for (Delivery target : targets) {
                t.update("UPDATE deployment_notifications SET status = 'pending', "
                        + "attempts = 0, next_attempt_at = ?, lease_owner = NULL, lease_until = NULL, updated_at = ? "
                        + "WHERE id = ?", ps -> {
                            d.setInstant(ps, 1, now);
                            d.setInstant(ps, 2, now);
                            ps.setLong(3, target.id());
                        });
                t.update("INSERT INTO deployment_events (deployment_id, at, type, "
                        + "check_name, from_status, to_status, source_status, message) VALUES (?, ?, ?, NULL, NULL, NULL, "
                        + "NULL, ?)", ps -> {
                            ps.setLong(1, target.deploymentId());
                            d.setInstant(ps, 2, now);
                            ps.setString(3, REDELIVERY_EVENT);
                            ps.setString(4, "notification #" + target.id() + " (channel " + target.channel() + ", event "
                                    + target.eventId() + ") queued again by " + requestedBy + "; it was "
                                    + target.status().word() + " after " + target.attempts()
                                    + (target.attempts() == 1 ? " attempt" : " attempts")
                                    + (target.lastError() == null ? "" : ", last error: " + truncate(target.lastError(), 300)));
                        });
            }
            return targets;
        });
    }

    private static Delivery delivery(ResultSet rs, JdbcDialect d) throws SQLException {
        String st = rs.getString("event_status");
        return new Delivery(rs.getLong("id"), rs.getString("channel"), rs.getLong("event_id"),
                rs.getLong("deployment_id"), rs.getString("event_type"),
                st == null ? null : DeploymentStatus.fromWord(st), d.getInstant(rs, "event_at"),
                DeliveryStatus.fromWord(rs.getString("status")), rs.getInt("attempts"),
                d.getInstant(rs, "next_attempt_at"), rs.getString("last_error"),
                d.getInstant(rs, "delivered_at"), d.getInstant(rs, "created_at"));
    }

    static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
