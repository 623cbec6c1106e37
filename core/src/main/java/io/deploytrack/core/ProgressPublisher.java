package io.deploytrack.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;

/**
 * Publishes the {@link DeploymentProgress} of every deployment in flight, read from the store: on each tick of its
 * interval (default 1 s) one update per running deployment, skipped for a deployment updated less than an interval ago
 * when nothing of it changed; an update at once when a stage or status changed (seen by a tick, or reported by a
 * tracker this publisher listens to: register it with {@link DeploymentTracker.Builder#listener}); and one final update
 * when a deployment ends. It needs no tracker: a process that only reads the database publishes the same updates.
 *
 * <p>A subscriber too slow to keep up loses updates (logged), never slowing the others; expected durations are read
 * from history at most once per {@link Builder#estimateRefresh} per stage, and again whenever a deployment ends.
 */
public final class ProgressPublisher implements Flow.Publisher<DeploymentProgress>, DeploymentListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProgressPublisher.class);
    private static final int RUNNING_PAGE = 1000;

    private final HistoryStore store;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final Duration interval;
    private final Duration estimateRefresh;
    private final ProgressEstimator estimator;
    private final SubmissionPublisher<DeploymentProgress> publisher;
    private final Map<Long, Published> published = new HashMap<>();
    private final Map<List<String>, Estimate> estimates = new HashMap<>();
    private ScheduledFuture<?> ticking;

    private record Published(Instant at, List<Object> key) {
    }

    private record Estimate(Instant readAt, Optional<ExpectedDuration> expected) {
    }

    private ProgressPublisher(Builder b) {
        this.store = b.store;
        this.clock = b.clock;
        this.scheduler = Objects.requireNonNull(b.scheduler, "scheduler");
        this.interval = b.interval;
        this.estimateRefresh = b.estimateRefresh;
        this.estimator = ProgressEstimator.of(store, clock);
        this.publisher = new SubmissionPublisher<>(b.executor != null ? b.executor : scheduler, b.buffer);
    }

    /** A builder over {@code store}. */
    public static Builder builder(HistoryStore store) {
        return new Builder(store);
    }

    /** Starts ticking on the scheduler; the first tick runs at once. */
    public synchronized ProgressPublisher start() {
        if (ticking == null) {
            ticking = scheduler.scheduleAtFixedRate(this::tickSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
        return this;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super DeploymentProgress> subscriber) {
        publisher.subscribe(subscriber);
    }

    /** How many subscribers are connected. */
    public int subscribers() {
        return publisher.getNumberOfSubscribers();
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            // A store that is briefly unreachable must not stop the ticks (a scheduled task that throws is cancelled).
            LOG.warn("live_progress_tick_failed error={}", e.toString());
        }
    }

    /** Publishes what changed, and an update per running deployment not updated for an interval. */
    public synchronized void tick() {
        Instant now = clock.instant();
        Set<Long> running = new HashSet<>();
        HistoryQuery page = HistoryQuery.all(RUNNING_PAGE).withStatus(DeploymentStatus.RUNNING);
        while (true) {
            List<Deployment> rows = store.list(page);
            for (Deployment d : rows) {
                running.add(d.id());
                Deployment full = d.checks().isEmpty() ? store.find(d.id()).orElse(d) : d;
                offer(estimator.progress(full, this::cachedExpected), now, false);
            }
            if (rows.size() < page.limit()) {
                break;
            }
            page = page.next();
        }
        for (Long gone : new HashSet<>(published.keySet())) {
            if (!running.contains(gone)) {
                store.find(gone).ifPresent(this::changed);
                published.remove(gone);
            }
        }
    }

    /** A change of one deployment (its final state included): published at once if anything shown changed. */
    private synchronized void changed(Deployment d) {
        if (d.isTerminal()) {
            estimates.clear();
        }
        Deployment full = d.checks().isEmpty() ? store.find(d.id()).orElse(d) : d;
        offer(estimator.progress(full, this::cachedExpected), clock.instant(), true);
        if (d.isTerminal()) {
            published.remove(d.id());
        }
    }

    private void offer(DeploymentProgress p, Instant now, boolean onlyIfChanged) {
        Published last = published.get(p.id());
        List<Object> key = p.changeKey();
        boolean changed = last == null || !last.key().equals(key);
        boolean due = last == null || !now.isBefore(last.at().plus(interval));
        if (!changed && (onlyIfChanged || !due)) {
            return;
        }
        published.put(p.id(), new Published(now, key));
        publisher.offer(p, (subscriber, dropped) -> {
            LOG.warn("live_progress_update_dropped deployment_id={}", dropped.id());
            return false;
        });
    }

    private Optional<ExpectedDuration> cachedExpected(Deployment d, String stage) {
        List<String> key = List.of(d.owner(), d.repo(), d.environment(), stage);
        Instant now = clock.instant();
        Estimate e = estimates.get(key);
        if (e == null || !now.isBefore(e.readAt().plus(estimateRefresh))) {
            e = new Estimate(now, estimator.expected(d, stage));
            estimates.put(key, e);
        }
        return e.expected();
    }

    @Override
    public void onStarted(Deployment deployment) {
        changed(deployment);
    }

    @Override
    public void onStatusChanged(Deployment deployment, DeploymentCheck check) {
        changed(deployment);
    }

    @Override
    public void onCompleted(Deployment deployment) {
        changed(deployment);
    }

    /** Stops ticking and completes every subscription. */
    @Override
    public synchronized void close() {
        if (ticking != null) {
            ticking.cancel(false);
        }
        publisher.close();
    }

    /** Configures a {@link ProgressPublisher}. */
    public static final class Builder {
        private final HistoryStore store;
        private Clock clock = Clock.systemUTC();
        private ScheduledExecutorService scheduler;
        private Executor executor;
        private Duration interval = Duration.ofSeconds(1);
        private Duration estimateRefresh = Duration.ofMinutes(1);
        private int buffer = 256;

        private Builder(HistoryStore store) {
            this.store = Objects.requireNonNull(store, "store");
        }

        /** The clock progress is computed for; default UTC system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Where the ticks run (required; the tracker's or the testkit's {@code ManualScheduler}). */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** Where updates are delivered to subscribers; default the scheduler. */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** The tick: at most one update per deployment per interval while nothing changes; default 1 s. */
        public Builder interval(Duration interval) {
            this.interval = TrackerSettings.positive("interval", interval);
            return this;
        }

        /** How long an expected duration read from history is reused; default 1 minute. */
        public Builder estimateRefresh(Duration refresh) {
            this.estimateRefresh = TrackerSettings.positive("estimateRefresh", refresh);
            return this;
        }

        /** How many updates each subscriber may have waiting before it loses some; default 256. */
        public Builder buffer(int buffer) {
            if (buffer < 1) {
                throw new InvalidRequestException("buffer", "buffer " + buffer + " is not usable: expected 1 or more");
            }
            this.buffer = buffer;
            return this;
        }

        /** Builds the publisher; call {@link ProgressPublisher#start()} next. */
        public ProgressPublisher build() {
            return new ProgressPublisher(this);
        }
    }
}
