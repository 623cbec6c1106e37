package io.deploytrack.core;

import io.deploytrack.core.internal.TrackerEngine;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Records deployments and follows each to a terminal state.
 *
 * <pre>{@code
 * DeploymentTracker tracker = DeploymentTracker.builder(JdbcHistoryStore.sqlite(Path.of("deploytrack.db")))
 *         .source(ncpSource)
 *         .listener(myListener)
 *         .build();
 * tracker.start();                                     // resumes every running row this instance can claim
 * DeploymentHandle h = tracker.track(request, CheckSpec.of(ref));
 * Deployment done = h.completion().join();
 * }</pre>
 *
 * <p>One small scheduler drives all polling and deadlines; store writes and listeners run on a few worker threads;
 * there is no thread per deployment. Each running row is leased to one instance; leases are renewed well before they
 * expire, and rows whose lease expired (a crashed instance) are claimed by the others.
 */
public final class DeploymentTracker implements AutoCloseable {

    private final TrackerEngine engine;
    private final DeploymentHistory history;
    private final ProgressEstimator progress;

    private DeploymentTracker(Builder b, Map<String, StatusSource> sources) {
        TrackerSettings settings = new TrackerSettings(b.instanceId, b.pollInterval, b.pollJitter, b.defaultTimeout,
                b.defaultApprovalTimeout, b.leaseDuration, b.maxBackoff, b.notFoundRetries, b.claimBatch);
        Ticker ticker = b.ticker != null ? b.ticker : b.clock instanceof Ticker t ? t : Ticker.system();
        this.engine = new TrackerEngine(b.store, sources, List.copyOf(b.listeners), settings, b.clock, ticker,
                b.scheduler, b.executor);
        engine.enablePushes(b.pushPollInterval);
        for (StatusSource s : sources.values()) {
            if (s instanceof PushSource ps) {
                ps.connect(this::push);
            }
        }
        this.history = DeploymentHistory.of(b.store, b.clock);
        this.progress = ProgressEstimator.of(b.store, b.clock);
    }

    /** A builder over {@code store}. */
    public static Builder builder(HistoryStore store) {
        return new Builder(store);
    }

    /**
     * Starts the scheduler and resumes every running row this instance can claim (free or expired leases). Returns
     * once the claimed rows are being followed again.
     */
    public DeploymentTracker start() {
        engine.start();
        return this;
    }

    /**
     * Records a deployment (idempotently) and follows its checks.
     *
     * <p>Tracking the same idempotency key again, or the same (owner, repo, environment, commit, rollback) while one
     * is running, returns the existing record: never a second row.
     *
     * @throws InvalidRequestException when a check names an unknown source type or a source refuses its reference;
     *                                 nothing is written then
     */
    public DeploymentHandle track(DeploymentRequest request, CheckSpec... checks) {
        return track(request, Arrays.asList(checks));
    }

    /** As {@link #track(DeploymentRequest, CheckSpec...)}, each check named after its source type. */
    public DeploymentHandle track(DeploymentRequest request, CheckRef... refs) {
        return track(request, Arrays.stream(refs).map(CheckSpec::of).toList());
    }

    /** As {@link #track(DeploymentRequest, CheckSpec...)}. */
    public DeploymentHandle track(DeploymentRequest request, List<CheckSpec> checks) {
        return engine.track(request, checks);
    }

    /**
     * Gives a declared stage ({@link CheckSpec#pendingStage}) its reference once it is known (e.g. the deploy a host
     * started after the build succeeded): written to the store with a {@code stage_started} event, and followed by its
     * source from now on, its deadline counted from now. Giving the same reference again does nothing.
     *
     * @param id        the deployment, followed by this tracker
     * @param stageName the stage's name, e.g. {@code sourcedeploy}
     * @param ref       the stage's reference, of the source type it was declared with
     * @return the deployment as it is now
     * @throws InvalidRequestException when there is no such stage, it already follows another reference, or the
     *                                 source refuses the reference
     * @throws IllegalStateException   when the deployment has ended or this tracker does not follow it
     */
    public Deployment startStage(long id, String stageName, CheckRef ref) {
        return engine.startStage(id, stageName, ref);
    }

    /**
     * Applies an observation of the host's own to a declared stage, as if its source had reported it: e.g.
     * {@code Observation.failed("not_started", "NCP refused to start the deploy: ...")} ends the deployment failed at
     * that stage at once.
     *
     * @throws InvalidRequestException when there is no such stage
     * @throws IllegalStateException   when the deployment has ended or this tracker does not follow it
     */
    public void observeStage(long id, String stageName, Observation observation) {
        engine.observeStage(id, stageName, java.util.Objects.requireNonNull(observation, "observation"));
    }

    /**
     * A future of the end of one declared stage: its final state once the store has it (cancelled when the deployment
     * ended at another stage first). Completes for ends seen by this tracker; combine it with
     * {@link #awaitCompletion} for a deployment another instance may end.
     *
     * @throws DeploymentNotFoundException when there is no such deployment
     * @throws InvalidRequestException     when it has no such stage
     */
    public java.util.concurrent.CompletableFuture<DeploymentCheck> awaitStage(long id, String stageName) {
        return engine.awaitStage(id, stageName);
    }

    /**
     * A future of the end of a deployment this or another instance follows.
     *
     * @throws DeploymentNotFoundException when there is no such id
     */
    public java.util.concurrent.CompletableFuture<Deployment> awaitCompletion(long id) {
        return engine.awaitCompletion(id);
    }

    /**
     * Routes an observation pushed from outside (a webhook) to the running check it names. It is recorded in the store
     * first, so that when this returns the push is durable; then the instance holding the deployment applies it: this
     * one at once ({@link PushResult.Outcome#APPLIED}), another at its next tick, or, for a row nobody holds, the next
     * instance to claim it, before it asks the row's source ({@link PushResult.Outcome#RECORDED_FOR_HOLDER}). Every
     * tracker takes the pushes recorded for the rows it holds, whether or not a push source is registered with it.
     * {@link PushSource}s registered with the builder are connected to this method; call it yourself for a push path
     * of your own.
     *
     * @throws HistoryStoreException when the store cannot record it: nothing is acknowledged, send it again
     * @throws TrackerClosedException when this tracker is closed
     */
    public PushResult push(Push push) {
        return engine.push(push);
    }

    /** How many deployments this instance follows now. */
    public int inFlight() {
        return engine.inFlight();
    }

    /** This instance's id, written as {@code lease_owner}. */
    public String instanceId() {
        return engine.instanceId();
    }

    /** The settings this tracker runs with (the builder's, defaults filled in). */
    public TrackerSettings settings() {
        return engine.settings();
    }

    /**
     * How far deployment {@code id} is now, stage by stage, with the expected durations from history; read from the
     * store, so every instance (and {@link ProgressEstimator} in a process that only reads it) gives the same answer.
     *
     * @throws DeploymentNotFoundException when there is no such id
     */
    public DeploymentProgress progress(long id) {
        return progress.progress(id);
    }

    /** Queries over the same store. */
    public DeploymentHistory history() {
        return history;
    }

    /**
     * Stops following, gives up this instance's leases (so another instance or the next start resumes at once) and
     * stops the threads the tracker created. Futures still open complete with {@link TrackerClosedException}.
     */
    @Override
    public void close() {
        engine.close();
    }

    /** Configures a {@link DeploymentTracker}; every setting has a sensible default. */
    public static final class Builder {
        private final HistoryStore store;
        private final Map<String, StatusSource> sources = new LinkedHashMap<>();
        private final List<DeploymentListener> listeners = new ArrayList<>();
        private boolean discoverSources = true;
        private Clock clock = Clock.systemUTC();
        private Ticker ticker;
        private ScheduledExecutorService scheduler;
        private Executor executor;
        private String instanceId;
        private Duration pollInterval = Duration.ofSeconds(10);
        private double pollJitter = 0.1;
        private Duration defaultTimeout = Duration.ofMinutes(5);
        private Duration defaultApprovalTimeout = Duration.ofHours(24);
        private Duration leaseDuration = Duration.ofSeconds(60);
        private Duration maxBackoff = Duration.ofMinutes(2);
        private int notFoundRetries = 5;
        private int claimBatch = 500;
        private Duration pushPollInterval = Duration.ofSeconds(60);

        private Builder(HistoryStore store) {
            this.store = Objects.requireNonNull(store, "store");
        }

        /** Adds a status source; it replaces a discovered one of the same type. */
        public Builder source(StatusSource source) {
            Objects.requireNonNull(source, "source");
            sources.put(source.type(), source);
            return this;
        }

        /** Whether to add the sources listed in {@code META-INF/services/io.deploytrack.core.StatusSource}; default true. */
        public Builder discoverSources(boolean discover) {
            this.discoverSources = discover;
            return this;
        }

        /** Adds a listener. */
        public Builder listener(DeploymentListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * The clock for every time the tracker stamps or compares (deadlines, poll times, events); default UTC system
         * clock. A clock that is also a {@link Ticker} (the testkit's {@code ManualClock}) is the tracker's ticker
         * too, unless {@link #ticker(Ticker)} sets another.
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The monotonic time on which the tracker measures how long a lease stays safe to act on; default the clock
         * when it is a {@link Ticker}, else {@link Ticker#system()}.
         */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /** The scheduler for polls, deadlines and lease renewal; default one daemon thread, shut down on close. */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** Where store writes and listeners run; default two daemon threads, shut down on close. */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** This instance's id (lease owner); default host name, process id and a random suffix. */
        public Builder instanceId(String id) {
            this.instanceId = TrackerSettings.instanceId(id);
            return this;
        }

        /** The default poll interval for polling sources; default 10 s. */
        public Builder pollInterval(Duration interval) {
            this.pollInterval = positive("pollInterval", interval);
            return this;
        }

        /**
         * The jitter of the poll interval, 0 to 0.5 (a fraction of the interval); default 0.1. It applies to each
         * check polled on its own and to backoffs; the shared timer of a poll group (an NCP project) is spread once
         * instead, its first period anywhere from half an interval to one and a half, then exactly the interval. With
         * 0, no poll is spread.
         */
        public Builder pollJitter(double jitter) {
            this.pollJitter = TrackerSettings.jitter(jitter);
            return this;
        }

        /** The rollout deadline of a check that sets none; default 5 minutes. */
        public Builder defaultTimeout(Duration timeout) {
            this.defaultTimeout = positive("defaultTimeout", timeout);
            return this;
        }

        /** How long a check may wait for a human's approval; default 24 hours. */
        public Builder defaultApprovalTimeout(Duration timeout) {
            this.defaultApprovalTimeout = positive("defaultApprovalTimeout", timeout);
            return this;
        }

        /**
         * How long a lease lasts without renewal; default 60 s. Leases are renewed every third of it; a crashed
         * instance's rows are taken over after at most this long.
         */
        public Builder leaseDuration(Duration lease) {
            this.leaseDuration = positive("leaseDuration", lease);
            return this;
        }

        /** The cap of the exponential backoff after transient source errors; default 2 minutes. */
        public Builder maxBackoff(Duration max) {
            this.maxBackoff = positive("maxBackoff", max);
            return this;
        }

        /** How often "not found" is retried before a check fails (eventual consistency at the source); default 5. */
        public Builder notFoundRetries(int retries) {
            this.notFoundRetries = TrackerSettings.notFoundRetries(retries);
            return this;
        }

        /**
         * The poll interval of a check while pushes arrive for it: each push puts its next poll off by this much, so
         * polling is the safety net, not the main path; default 60 s.
         */
        public Builder pushPollInterval(Duration interval) {
            this.pushPollInterval = TrackerSettings.positive("pushPollInterval", interval);
            return this;
        }

        /** How many rows one claim takes at most; default 500. */
        public Builder claimBatch(int batch) {
            this.claimBatch = TrackerSettings.claimBatch(batch);
            return this;
        }

        /** Builds the tracker; call {@link DeploymentTracker#start()} next. */
        public DeploymentTracker build() {
            Map<String, StatusSource> all = new LinkedHashMap<>();
            if (discoverSources) {
                ServiceLoader<StatusSource> loader = ServiceLoader.load(StatusSource.class);
                var it = loader.iterator();
                while (true) {
                    try {
                        if (!it.hasNext()) {
                            break;
                        }
                        StatusSource s = it.next();
                        all.putIfAbsent(s.type(), s);
                    } catch (ServiceConfigurationError e) {
                        TrackerEngine.logDiscoveryFailure(e);
                    }
                }
            }
            all.putAll(sources);
            if (instanceId == null) {
                instanceId = defaultInstanceId();
            }
            return new DeploymentTracker(this, all);
        }

        private static Duration positive(String field, Duration d) {
            return TrackerSettings.positive(field, d);
        }

        private static String defaultInstanceId() {
            String host;
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException | SecurityException e) {
                host = "localhost";
            }
            return host + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
        }
    }
}
