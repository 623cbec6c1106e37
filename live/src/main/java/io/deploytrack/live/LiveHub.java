package io.deploytrack.live;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentEvent;
import io.deploytrack.core.DeploymentProgress;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.ExpectedDuration;
import io.deploytrack.core.HistoryQuery;
import io.deploytrack.core.HistoryStore;
import io.deploytrack.core.ProgressEstimator;
import io.deploytrack.core.StageProgress;
import io.deploytrack.live.internal.Story;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Turns the store into the live message set for any number of clients, whatever carries them (WebSocket, SSE): on
 * each tick (default 1 s) it reads the event log of every deployment in flight (and of the newest ones, so that one
 * that ran between two ticks is told too), sends the messages of each new event once, and a {@code stage_progress}
 * per running stage whose percentage never falls and stays below 100 until the stage's real end. On subscribe a
 * client is first replayed its deployment's story from the event log. Everything is read from the store, so a
 * process that only reads the database serves the same stream as the instance that follows the deployments.
 */
public final class LiveHub implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveHub.class);
    private static final int NEWEST = 50;
    private static final int RUNNING_PAGE = 1000;
    private static final int USER_SCAN = 500;

    private final HistoryStore store;
    private final LiveCodec codec;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final Duration interval;
    private final ProgressEstimator estimator;
    private final List<LiveSession> sessions = new CopyOnWriteArrayList<>();
    private final Map<Long, Story> stories = new HashMap<>();
    private final Map<List<Object>, Integer> shownPercent = new ConcurrentHashMap<>();
    private final Map<List<String>, Optional<ExpectedDuration>> expected = new ConcurrentHashMap<>();
    private volatile Instant expectedReadAt = Instant.MIN;
    private boolean caughtUp;
    private Instant startedAt = Instant.MIN;
    private ScheduledFuture<?> ticking;

    private LiveHub(Builder b) {
        this.store = b.store;
        this.codec = b.codec;
        this.clock = b.clock;
        this.scheduler = Objects.requireNonNull(b.scheduler, "scheduler");
        this.interval = b.interval;
        this.estimator = ProgressEstimator.of(store, clock);
    }

    /** A builder over {@code store}. */
    public static Builder builder(HistoryStore store) {
        return new Builder(store);
    }

    /** The codec the messages are written with. */
    public LiveCodec codec() {
        return codec;
    }

    /**
     * Starts ticking; the first tick (at once) catches up with what the log held before the start without sending it
     * (a client gets it replayed when it subscribes).
     */
    public synchronized LiveHub start() {
        if (ticking == null) {
            startedAt = clock.instant();
            ticking = scheduler.scheduleAtFixedRate(this::tickSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
        return this;
    }

    /** A new client: {@code sender} gets each message as one JSON text; {@code connection_established} first. */
    public LiveSession connect(Consumer<String> sender) {
        LiveSession s = new LiveSession(this, Objects.requireNonNull(sender, "sender"));
        sessions.add(s);
        s.send(codec.connectionEstablished(clock.instant()).json());
        return s;
    }

    /** How many clients are connected. */
    public int sessions() {
        return sessions.size();
    }

    void remove(LiveSession s) {
        sessions.remove(s);
    }

    void receive(LiveSession s, String text) {
        ClientMessage m = codec.parse(text);
        if (m instanceof ClientMessage.Ping) {
            s.send(codec.pong(clock.instant()).json());
        } else if (m instanceof ClientMessage.Subscribe sub) {
            subscribe(s, sub);
        } else if (m instanceof ClientMessage.Invalid bad) {
            s.send(codec.error(bad.reason(), clock.instant()).json());
        }
    }

    /** Subscribes and replays: the story so far from the event log, then the running stages' progress. */
    void subscribe(LiveSession s, ClientMessage.Subscribe sub) {
        List<Deployment> told = new ArrayList<>();
        if (sub.deploymentId() != null) {
            Optional<Deployment> d = store.find(sub.deploymentId());
            if (d.isEmpty()) {
                s.send(codec.error("deployment_id " + sub.deploymentId() + " is not a deployment of this history",
                        clock.instant()).json());
                return;
            }
            told.add(d.get());
        } else {
            for (Deployment d : store.list(HistoryQuery.all(USER_SCAN))) {
                if (sub.userId().equals(codec.userOf(d))) {
                    told.add(d);
                }
            }
        }
        synchronized (s) {
            s.addSubscription(sub);
            for (Deployment d : told) {
                Deployment full = d.checks().isEmpty() ? store.find(d.id()).orElse(d) : d;
                replay(s, full);
            }
        }
    }

    private void replay(LiveSession s, Deployment d) {
        Story story = new Story(codec);
        for (DeploymentEvent e : store.events(d.id())) {
            List<LiveMessage> messages = story.apply(d, e);
            if (!messages.isEmpty()) {
                s.deliver(d.id(), e.id(), messages);
            }
        }
        if (!d.isTerminal()) {
            progress(d, story).forEach(m -> s.deliver(d.id(), 0, List.of(m)));
        }
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            // The store may be briefly unreachable; the next tick reads on from where this one stopped.
            LOG.warn("live_tick_failed error={}", e.toString());
        }
    }

    /** Reads what is new in the store and sends it to the clients that want it. */
    public synchronized void tick() {
        Map<Long, Deployment> rows = new LinkedHashMap<>();
        HistoryQuery page = HistoryQuery.all(RUNNING_PAGE).withStatus(DeploymentStatus.RUNNING);
        while (true) {
            List<Deployment> running = store.list(page);
            running.forEach(d -> rows.put(d.id(), d));
            if (running.size() < page.limit()) {
                break;
            }
            page = page.next();
        }
        store.list(HistoryQuery.all(NEWEST)).forEach(d -> rows.putIfAbsent(d.id(), d));
        for (Deployment d : rows.values()) {
            Story story = stories.get(d.id());
            if (story != null && story.ended() && d.isTerminal()) {
                continue;
            }
            if (story == null) {
                story = new Story(codec);
                stories.put(d.id(), story);
            }
            Deployment full = d.checks().isEmpty() ? store.find(d.id()).orElse(d) : d;
            for (DeploymentEvent e : store.events(d.id())) {
                List<LiveMessage> messages = story.apply(full, e);
                if ((caughtUp || !e.at().isBefore(startedAt)) && !messages.isEmpty()) {
                    broadcast(full, e.id(), messages);
                }
                if (messages.stream().anyMatch(m -> m.type().equals("deployment_completed"))) {
                    expected.clear();
                }
            }
            if (!full.isTerminal() && caughtUp) {
                for (LiveMessage m : progress(full, story)) {
                    broadcast(full, 0, List.of(m));
                }
            }
        }
        stories.keySet().removeIf(id -> !rows.containsKey(id));
        shownPercent.keySet().removeIf(k -> !rows.containsKey((Long) k.get(0)));
        caughtUp = true;
    }

    private void broadcast(Deployment d, long eventId, List<LiveMessage> messages) {
        for (LiveSession s : sessions) {
            if (s.wants(d, codec)) {
                s.deliver(d.id(), eventId, messages);
            }
        }
    }

    /** {@code stage_progress} of each stage the story says runs, its percentage never below one shown before. */
    private List<LiveMessage> progress(Deployment d, Story story) {
        Instant now = clock.instant();
        if (!now.isBefore(expectedReadAt.plus(Duration.ofMinutes(1)))) {
            expected.clear();
            expectedReadAt = now;
        }
        DeploymentProgress p = estimator.progress(d, (dep, stage) -> expected.computeIfAbsent(
                List.of(dep.owner(), dep.repo(), dep.environment(), stage), k -> estimator.expected(dep, stage)));
        List<LiveMessage> out = new ArrayList<>();
        for (StageProgress s : p.stages()) {
            boolean runs = s.phase() == StageProgress.Phase.RUNNING || s.phase() == StageProgress.Phase.OVERRUN;
            if (runs && story.isRunning(s.name())) {
                int percent = shownPercent.merge(List.of(d.id(), s.name()), Math.min(99, s.percent()), Math::max);
                out.add(codec.stageProgress(d, s, percent, now, 0));
            }
        }
        return out;
    }

    /** Stops ticking; the clients stay connected (close them with their transport). */
    @Override
    public synchronized void close() {
        if (ticking != null) {
            ticking.cancel(false);
        }
        sessions.clear();
    }

    /** Configures a {@link LiveHub}. */
    public static final class Builder {
        private final HistoryStore store;
        private LiveCodec codec = LiveCodec.standard();
        private Clock clock = Clock.systemUTC();
        private ScheduledExecutorService scheduler;
        private Duration interval = Duration.ofSeconds(1);

        private Builder(HistoryStore store) {
            this.store = Objects.requireNonNull(store, "store");
        }

        /** The codec (status words, user attribute, zone); default {@link LiveCodec#standard()}. */
        public Builder codec(LiveCodec codec) {
            this.codec = Objects.requireNonNull(codec, "codec");
            return this;
        }

        /** The clock of timestamps and progress; default UTC system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Where the ticks run (required). */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** How often the store is read: at most one {@code stage_progress} per stage per interval; default 1 s. */
        public Builder interval(Duration interval) {
            if (interval == null || interval.isZero() || interval.isNegative()) {
                throw new IllegalArgumentException("interval " + interval + " is not usable: expected a positive duration");
            }
            this.interval = interval;
            return this;
        }

        /** Builds the hub; call {@link LiveHub#start()} next. */
        public LiveHub build() {
            return new LiveHub(this);
        }
    }
}
