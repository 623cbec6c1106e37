package io.deploytrack.notify;

import io.deploytrack.core.support.KeyValueLog;
import io.deploytrack.core.support.Backoff;
import io.deploytrack.jdbc.JdbcHistoryStore;
import io.deploytrack.notify.internal.DeliveryRounds;
import io.deploytrack.notify.internal.DeliveryTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Delivers notifications from the event log. {@code deployment_events} is written in the same transaction as every
 * transition, so it is the outbox: each channel reads the events after its position in the log, queues those its
 * filter accepts in {@code deployment_notifications} (unique per channel and event, so an event is queued once), and
 * delivers them. Deliveries are claimed with a lease (on PostgreSQL with {@code FOR UPDATE SKIP LOCKED}; on SQLite
 * through the store's single writer), so each is attempted by one instance at a time; failures are retried with
 * exponential backoff and jitter, honouring {@code Retry-After}, up to a maximum number of attempts, then marked
 * {@code failed}. Delivery runs on its own scheduler and the JDK HTTP client's asynchronous calls: it never holds up
 * tracking.
 *
 * <pre>{@code
 * Notifier notifier = Notifier.builder(store)
 *         .channel(SlackChannel.builder(URI.create(slackWebhookUrl)).build())
 *         .channel(WebhookChannel.builder(URI.create("https://ops.example.com/hooks/deploys"), secret).build())
 *         .build()
 *         .start();
 * }</pre>
 *
 * <p>Guarantee: every queued event is delivered to each channel that accepts it, at least once, and recorded as
 * delivered once. The one repeat possible: a process that dies after the receiver accepted a delivery but before it
 * recorded that; another process (or the next start) sends it again after its lease expires, with the same event id
 * (the CloudEvents {@code id} and {@code X-Deploytrack-Delivery} of a signed webhook), so a receiver can deduplicate.
 */
public final class Notifier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);

    private final JdbcHistoryStore store;
    private final DeliveryTable table;
    private final DeliveryRounds rounds;
    private final Map<String, NotificationChannel> channels;
    private final ScheduledExecutorService scheduler;
    private final boolean ownScheduler;
    private final NotifierSettings settings;
    private CompletableFuture<Integer> running = CompletableFuture.completedFuture(0);
    private ScheduledFuture<?> ticking;
    private volatile boolean closed;

    private Notifier(Builder b) {
        this.store = b.store;
        this.table = new DeliveryTable(b.store.transactions());
        this.channels = Map.copyOf(b.channels);
        this.ownScheduler = b.scheduler == null;
        this.scheduler = b.scheduler != null ? b.scheduler : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "deploytrack-notify");
            t.setDaemon(true);
            return t;
        });
        this.settings = b.settings();
        this.rounds = new DeliveryRounds(b.store, table, channels, b.clock, settings, b.random, b.listeners);
    }

    /** A builder over a JDBC store (SQLite or PostgreSQL); the delivery log lives in the same database. */
    public static Builder builder(JdbcHistoryStore store) {
        return new Builder(store);
    }

    /**
     * Registers the channels (a channel new to this database starts at the end of the event log) and delivers every
     * {@code pollInterval} on the scheduler until {@link #close()}.
     */
    public synchronized Notifier start() {
        ensureRegistered();
        if (ticking == null) {
            ticking = scheduler.scheduleWithFixedDelay(this::tick, 0, settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        }
        return this;
    }

    /**
     * Registers the channels without delivering yet: events written from now on will be delivered once the notifier
     * runs. Idempotent.
     */
    public void ensureRegistered() {
        rounds.ensureRegistered();
    }

    /** The settings this notifier runs with. */
    public NotifierSettings settings() {
        return settings;
    }

    /** This notifier's lease owner name in the delivery log. */
    public String instanceId() {
        return settings.instanceId();
    }

    /** The channels, by name. */
    public Map<String, NotificationChannel> channels() {
        return channels;
    }

    /** The delivery log of this notifier's database. */
    public NotificationLog log() {
        return NotificationLog.of(store);
    }

    private void tick() {
        synchronized (this) {
            if (!running.isDone() || closed) {
                return;
            }
        }
        runOnce();
    }

    /**
     * One round, after the previous one ended: queue what the event log holds for each channel, claim what is due, and
     * deliver it. The future completes, with the number of attempts made, once every attempt's outcome is recorded; it
     * completes exceptionally when the database could not be read or written (the next round tries again).
     */
    public synchronized CompletableFuture<Integer> runOnce() {
        CompletableFuture<Integer> next = running.handle((r, e) -> null).thenCompose(x -> round());
        running = next;
        return next;
    }

    private CompletableFuture<Integer> round() {
        return closed ? CompletableFuture.completedFuture(0) : rounds.run();
    }

    /**
     * Delivers until every notification of these deployments is out, or {@code max} passed (for a command that
     * exits): runs rounds until the event log has been read past their newest event and none of their deliveries is
     * pending. What is still pending then stays in the log for the next process. Returns whether all went out.
     */
    public boolean awaitDelivered(Collection<Long> deploymentIds, Duration max) {
        List<Long> ids = List.copyOf(deploymentIds);
        long deadline = System.nanoTime() + max.toNanos();
        long target = table.newestEventOf(ids);
        while (true) {
            try {
                runOnce().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // a failed round is logged; the loop below decides whether to go on
            }
            boolean scanned = rounds.scannedTo(target);
            if (scanned && table.pendingOf(ids) == 0) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            LockSupport.parkNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
        }
    }

    /** Stops delivering, waits briefly for the round in progress, and gives up this instance's leases. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (ticking != null) {
                ticking.cancel(false);
            }
        }
        try {
            running.get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            // what is not recorded stays leased until the lease expires
        }
        try {
            table.release(settings.instanceId());
        } catch (RuntimeException e) {
            KeyValueLog.event(LOG, Level.WARN, "notification_release_failed", "instance", settings.instanceId(),
                    "error", e);
        }
        if (ownScheduler) {
            scheduler.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return "Notifier[instance=" + settings.instanceId() + ", channels=" + channels.keySet() + "]";
    }

    /** Configuration of a {@link Notifier}. */
    public static final class Builder {
        private final JdbcHistoryStore store;
        private final Map<String, NotificationChannel> channels = new LinkedHashMap<>();
        private Clock clock = Clock.systemUTC();
        private ScheduledExecutorService scheduler;
        private String instanceId;
        private Duration pollInterval = Duration.ofSeconds(2);
        private int maxAttempts = 10;
        private Duration firstBackoff = Duration.ofSeconds(5);
        private Duration maxBackoff = Duration.ofMinutes(15);
        private double jitter = 0.2;
        private Duration leaseDuration = Duration.ofMinutes(2);
        private int batchSize = 50;
        private Random random = new Random();
        private final List<DeliveryListener> listeners = new ArrayList<>();

        private Builder(JdbcHistoryStore store) {
            this.store = Objects.requireNonNull(store, "store");
        }

        /**
         * Adds a channel.
         *
         * @throws IllegalArgumentException when another channel has the same name
         */
        public Builder channel(NotificationChannel channel) {
            Objects.requireNonNull(channel, "channel");
            if (channels.putIfAbsent(channel.name(), channel) != null) {
                throw new IllegalArgumentException("two channels are named '" + channel.name()
                        + "': give each channel a unique name (the delivery log is keyed by it)");
            }
            return this;
        }

        /** Adds channels. */
        public Builder channels(Collection<? extends NotificationChannel> all) {
            all.forEach(this::channel);
            return this;
        }

        /** The clock for due times and delivery times (default: the system clock); a manual clock in tests. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The scheduler that runs rounds (default: one daemon thread of its own, shut down at close). */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** The lease owner name (default: {@code notify-<uuid>}). */
        public Builder instanceId(String id) {
            this.instanceId = Objects.requireNonNull(id, "id");
            return this;
        }

        /** How often a round runs (default 2 s). */
        public Builder pollInterval(Duration interval) {
            this.pollInterval = positive("pollInterval", interval);
            return this;
        }

        /** Attempts before a delivery is {@code failed} (default 10). */
        public Builder maxAttempts(int attempts) {
            this.maxAttempts = NotifierSettings.maxAttempts(attempts);
            return this;
        }

        /** The first retry delay and the cap of the exponential backoff (defaults 5 s and 15 min). */
        public Builder backoff(Duration first, Duration max) {
            this.firstBackoff = positive("first backoff", first);
            this.maxBackoff = positive("max backoff", max);
            if (max.compareTo(first) < 0) {
                throw new IllegalArgumentException("max backoff " + max + " is shorter than the first " + first);
            }
            return this;
        }

        /** The random spread of each backoff, 0 to 1 (default 0.2: plus or minus 20 %). */
        public Builder jitter(double jitter) {
            if (jitter < 0 || jitter > 1) {
                throw new IllegalArgumentException("jitter " + jitter + " is not usable: expected 0 to 1");
            }
            this.jitter = jitter;
            return this;
        }

        /** How long a claimed delivery stays with this instance (default 2 min; far above an HTTP attempt). */
        public Builder leaseDuration(Duration lease) {
            this.leaseDuration = positive("leaseDuration", lease);
            return this;
        }

        /** How many deliveries one round claims at most (default 50). */
        public Builder batchSize(int size) {
            this.batchSize = NotifierSettings.batchSize(size);
            return this;
        }

        /** Adds a listener told about every recorded attempt (metrics: count the {@code FAILED} ones). */
        public Builder listener(DeliveryListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** The source of jitter (tests fix its seed). */
        public Builder random(Random random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * Builds the notifier (not started).
         *
         * @throws IllegalStateException when no channel was given
         */
        public Notifier build() {
            if (channels.isEmpty()) {
                throw new IllegalStateException("a notifier needs at least one channel: add SlackChannel, "
                        + "WebhookChannel, GitHubChannel or your own with channel(...)");
            }
            return new Notifier(this);
        }

        private NotifierSettings settings() {
            return new NotifierSettings(instanceId != null ? instanceId : "notify-" + UUID.randomUUID(), pollInterval,
                    maxAttempts, Backoff.of(firstBackoff, maxBackoff, jitter), leaseDuration, batchSize);
        }

        private static Duration positive(String what, Duration d) {
            return NotifierSettings.positive(what, d);
        }
    }
}
