package io.deploytrack.notify.internal;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.support.KeyValueLog;
import io.deploytrack.jdbc.JdbcHistoryStore;
import io.deploytrack.notify.DeliveryListener;
import io.deploytrack.notify.DeliveryResult;
import io.deploytrack.notify.DeliveryStatus;
import io.deploytrack.notify.Notification;
import io.deploytrack.notify.NotificationChannel;
import io.deploytrack.notify.Notifier;
import io.deploytrack.notify.NotifierSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The delivery rounds of one {@link Notifier}: queue what the event log holds for each channel, claim what is due,
 * deliver it, and record each outcome (delivered, failed, or pending again after a backoff). The notifier decides when
 * a round runs (one at a time) and owns the scheduler and the lifecycle; this class owns what happens in a round.
 */
public final class DeliveryRounds {
    /** The notifier's logger: the events keep the logger name they had before the round moved here. */
    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);
    /** PostgreSQL assigns event ids before commit: a read position only passes ids seen at least this long ago. */
    private static final long SETTLE_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final JdbcHistoryStore store;
    private final DeliveryTable table;
    private final Map<String, NotificationChannel> channels;
    private final Clock clock;
    private final NotifierSettings settings;
    private final Random random;
    private final List<DeliveryListener> listeners;
    private final boolean commitOrderedIds;
    private final Map<String, Deque<long[]>> scans = new ConcurrentHashMap<>();
    private final Map<String, Long> newestScanned = new ConcurrentHashMap<>();
    private volatile boolean registered;

    /** Rounds over these channels (by name) of a notifier with these settings and collaborators. */
    public DeliveryRounds(JdbcHistoryStore store, DeliveryTable table, Map<String, NotificationChannel> channels,
                          Clock clock, NotifierSettings settings, Random random, List<DeliveryListener> listeners) {
        this.store = store;
        this.table = table;
        this.channels = Map.copyOf(channels);
        this.clock = clock;
        this.settings = settings;
        this.random = random;
        this.listeners = List.copyOf(listeners);
        // SQLite: one writer at a time, so event ids are committed in order and a position can pass them at once.
        this.commitOrderedIds = store.databaseType().equals("sqlite");
    }

    /** Registers the channels in the delivery log once (a channel new to it starts at the end of the event log). */
    public void ensureRegistered() {
        if (!registered) {
            table.register(new ArrayList<>(channels.keySet()), clock.instant());
            registered = true;
        }
    }

    /** Whether every channel has read the event log up to event {@code eventId}. */
    public boolean scannedTo(long eventId) {
        return channels.keySet().stream().allMatch(ch -> newestScanned.getOrDefault(ch, 0L) >= eventId);
    }

    /**
     * One round. The future completes, with the number of attempts made, once every attempt's outcome is recorded; it
     * completes exceptionally when the database could not be read or written.
     */
    public CompletableFuture<Integer> run() {
        List<DeliveryTable.Claimed> claimed;
        try {
            ensureRegistered();
            Instant now = clock.instant();
            for (NotificationChannel ch : channels.values()) {
                long newest = table.enqueue(ch.name(), ch.filter(), now, settledTo(ch.name()));
                newestScanned.merge(ch.name(), newest, Math::max);
                if (!commitOrderedIds) {
                    scans.computeIfAbsent(ch.name(), k -> new ArrayDeque<>()).addLast(new long[]{System.nanoTime(), newest});
                }
            }
            claimed = table.claim(new ArrayList<>(channels.keySet()), settings.instanceId(), now,
                    settings.leaseDuration().toMillis(), settings.batchSize());
        } catch (RuntimeException e) {
            KeyValueLog.event(LOG, Level.WARN, "notification_round_failed", "instance", settings.instanceId(), "error", e);
            return CompletableFuture.failedFuture(e);
        }
        Map<Long, Optional<Deployment>> deployments = new HashMap<>();
        List<CompletableFuture<Void>> attempts = new ArrayList<>();
        for (DeliveryTable.Claimed c : claimed) {
            Optional<Deployment> d;
            try {
                d = deployments.computeIfAbsent(c.deploymentId(), store::find);
            } catch (RuntimeException e) {
                d = null;
            }
            attempts.add(attempt(c, d));
        }
        return CompletableFuture.allOf(attempts.toArray(CompletableFuture[]::new)).thenApply(x -> claimed.size());
    }

    /** The read position a channel may move to: everything on SQLite; ids seen at least 10 s ago on PostgreSQL. */
    private long settledTo(String channel) {
        if (commitOrderedIds) {
            return -1;
        }
        Deque<long[]> seen = scans.computeIfAbsent(channel, k -> new ArrayDeque<>());
        long now = System.nanoTime();
        long settled = 0;
        while (!seen.isEmpty() && now - seen.peekFirst()[0] >= SETTLE_NANOS) {
            settled = seen.pollFirst()[1];
        }
        return settled;
    }

    /** {@code deployment} is null when it could not be read (retried), empty when it no longer exists (failed). */
    private CompletableFuture<Void> attempt(DeliveryTable.Claimed c, Optional<Deployment> deployment) {
        NotificationChannel channel = channels.get(c.channel());
        int attempt = c.attempts() + 1;
        CompletableFuture<DeliveryResult> result;
        if (deployment == null) {
            result = CompletableFuture.completedFuture(DeliveryResult.retry("the deployment could not be read", null));
        } else if (deployment.isEmpty()) {
            result = CompletableFuture.completedFuture(DeliveryResult.failed("deployment #" + c.deploymentId()
                    + " no longer exists"));
        } else {
            Notification n = new Notification(c.id(), c.eventId(), c.eventType(), c.eventStatus(), c.eventAt(),
                    c.eventMessage(), attempt, deployment.get());
            try {
                result = channel.deliver(n).toCompletableFuture();
            } catch (RuntimeException e) {
                result = CompletableFuture.failedFuture(e);
            }
        }
        return result.handle((r, e) -> {
            DeliveryResult outcome = e != null ? DeliveryResult.retry(describe(e), null)
                    : r == null ? DeliveryResult.retry("the channel returned no result", null) : r;
            record(c, attempt, outcome);
            return null;
        });
    }

    private void record(DeliveryTable.Claimed c, int attempt, DeliveryResult r) {
        Instant now = clock.instant();
        DeliveryStatus status;
        Instant next = now;
        switch (r.outcome()) {
            case DELIVERED -> status = DeliveryStatus.DELIVERED;
            case FAILED -> status = DeliveryStatus.FAILED;
            default -> {
                if (attempt >= settings.maxAttempts()) {
                    status = DeliveryStatus.FAILED;
                } else {
                    status = DeliveryStatus.PENDING;
                    next = now.plus(delay(attempt, r.retryAfter()));
                }
            }
        }
        boolean held;
        try {
            held = table.record(c.id(), settings.instanceId(), status, next, r.error(), now, c.deploymentId(), r.attributes());
        } catch (RuntimeException e) {
            // not recorded: the lease expires and the delivery is attempted again (the at-least-once edge)
            KeyValueLog.event(LOG, Level.WARN, "notification_record_failed", "delivery_id", c.id(), "channel", c.channel(),
                    "error", e);
            return;
        }
        if (!held) {
            KeyValueLog.event(LOG, Level.WARN, "notification_lease_lost", "delivery_id", c.id(), "channel", c.channel(),
                    "event_id", c.eventId());
            return;
        }
        switch (status) {
            case DELIVERED -> KeyValueLog.event(LOG, Level.INFO, "notification_delivered", "delivery_id", c.id(), "channel",
                    c.channel(), "deployment_id", c.deploymentId(), "event_id", c.eventId(), "attempts", attempt);
            case FAILED -> KeyValueLog.event(LOG, Level.WARN, "notification_failed", "delivery_id", c.id(), "channel",
                    c.channel(), "deployment_id", c.deploymentId(), "event_id", c.eventId(), "attempts", attempt,
                    "error", r.error());
            default -> KeyValueLog.event(LOG, Level.INFO, "notification_retry_scheduled", "delivery_id", c.id(), "channel",
                    c.channel(), "deployment_id", c.deploymentId(), "attempts", attempt, "next_attempt_at", next,
                    "error", r.error());
        }
        for (DeliveryListener l : listeners) {
            try {
                l.onAttempt(c.channel(), c.id(), c.deploymentId(), status, attempt, r.error());
            } catch (RuntimeException e) {
                KeyValueLog.event(LOG, Level.WARN, "notification_listener_failed", "delivery_id", c.id(), "error", e);
            }
        }
    }

    /** Backoff after {@code attempt} failures: the receiver's Retry-After when given, else exponential with jitter. */
    Duration delay(int attempt, Duration retryAfter) {
        if (retryAfter != null && !retryAfter.isNegative()) {
            return retryAfter;
        }
        synchronized (random) {
            return settings.backoff().delay(attempt, random::nextDouble);
        }
    }

    private static String describe(Throwable e) {
        Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
