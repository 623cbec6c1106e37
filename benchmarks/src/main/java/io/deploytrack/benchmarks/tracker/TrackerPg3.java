package io.deploytrack.benchmarks.tracker;

import io.deploytrack.benchmarks.Figure;
import io.deploytrack.benchmarks.Probe;
import io.deploytrack.benchmarks.store.PostgresServer;
import io.deploytrack.core.CheckRef;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentHandle;
import io.deploytrack.core.DeploymentListener;
import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.Observation;
import io.deploytrack.core.PollingSource;
import io.deploytrack.jdbc.JdbcHistoryStore;
import io.deploytrack.ncp.NcpClient;
import io.deploytrack.ncp.NcpCredentials;
import io.deploytrack.ncp.NcpPollingSource;
import io.deploytrack.ncp.emulator.NcpEmulator;

import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * {@code tracker.pg3}: three trackers (three stores with their own connection pools, as three processes would have)
 * on one embedded PostgreSQL, the {@link ScaleWorkload#pg3()} workload in flight at once, registered round robin
 * through the three, each polling the NCP emulator through its own client every second. Each instance's polls are
 * recorded as it hands them to its source: {@code double_polled} counts deployments polled by two instances less
 * than a lease apart (the lease must keep that at 0); {@code share_X} is instance X's part of all polls.
 */
public final class TrackerPg3 {
    private static final String[] INSTANCES = {"a", "b", "c"};
    private static final Duration LEASE = Duration.ofSeconds(30);

    private final ScaleWorkload workload;
    private final Consumer<String> log;

    public TrackerPg3(ScaleWorkload workload, Consumer<String> log) {
        this.workload = workload;
        this.log = log;
    }

    /** Records every poll an instance asks its source for, then asks the real source. */
    private static final class Recorded implements PollingSource {
        private final NcpPollingSource source;
        private final int instance;
        private final Map<CheckRef, long[]> lastPoll;
        private final Set<CheckRef> doubled;
        private final AtomicLong polls = new AtomicLong();

        Recorded(NcpPollingSource source, int instance, Map<CheckRef, long[]> lastPoll, Set<CheckRef> doubled) {
            this.source = source;
            this.instance = instance;
            this.lastPoll = lastPoll;
            this.doubled = doubled;
        }

        private void note(CheckRef ref) {
            polls.incrementAndGet();
            long now = System.nanoTime();
            long[] last = lastPoll.computeIfAbsent(ref, r -> {
                long[] never = new long[INSTANCES.length];
                java.util.Arrays.fill(never, Long.MIN_VALUE);
                return never;
            });
            synchronized (last) {
                for (int i = 0; i < last.length; i++) {
                    if (i != instance && last[i] != Long.MIN_VALUE && now - last[i] < LEASE.toNanos()) {
                        doubled.add(ref);
                    }
                }
                last[instance] = now;
            }
        }

        @Override
        public String type() {
            return source.type();
        }

        @Override
        public void validate(CheckRef ref) {
            source.validate(ref);
        }

        @Override
        public String idempotencyKey(CheckRef ref) {
            return source.idempotencyKey(ref);
        }

        @Override
        public String pollGroup(CheckRef ref) {
            return source.pollGroup(ref);
        }

        @Override
        public Duration pollInterval() {
            return source.pollInterval();
        }

        @Override
        public CompletionStage<Observation> poll(CheckRef ref) {
            note(ref);
            return source.poll(ref);
        }

        @Override
        public Map<CheckRef, CompletionStage<Observation>> pollAll(Collection<CheckRef> refs) {
            refs.forEach(this::note);
            return source.pollAll(refs);
        }
    }

    public Figure run() throws Exception {
        Outcomes outcomes = new Outcomes();
        Map<CheckRef, long[]> lastPoll = new ConcurrentHashMap<>();
        Set<CheckRef> doubled = ConcurrentHashMap.newKeySet();
        Probe.settle();
        GatedClock clock = new GatedClock();
        log.accept("tracker.pg3: starting embedded PostgreSQL");
        try (PostgresServer pg = PostgresServer.start();
             NcpEmulator emulator = NcpEmulator.builder().clock(clock).requestLogCapacity(16).backlog(4096).start()) {
            PostgresServer.Database db = pg.createDatabase();
            Probe probe = Probe.start(TrackerScale.THREADS);
            List<DeploymentTracker> trackers = new ArrayList<>();
            List<JdbcHistoryStore> stores = new ArrayList<>();
            List<Recorded> sources = new ArrayList<>();
            List<AutoCloseable> pools = new ArrayList<>();
            DeploymentListener listener = new DeploymentListener() {
                @Override
                public void onCompleted(Deployment d) {
                    outcomes.committed(d.id(), System.currentTimeMillis());
                }
            };
            double wall;
            try {
                for (int i = 0; i < INSTANCES.length; i++) {
                    var pool = db.pool("pg3-" + INSTANCES[i]);
                    pools.add(pool);
                    JdbcHistoryStore store = JdbcHistoryStore.builder().dataSource(pool).build();
                    stores.add(store);
                    NcpClient client = NcpClient.builder().baseUri(emulator.baseUri())
                            .credentials(NcpCredentials.of(emulator.accessKey(), emulator.secretKey())).build();
                    Recorded source = new Recorded(NcpPollingSource.of(client), i, lastPoll, doubled);
                    sources.add(source);
                    trackers.add(DeploymentTracker.builder(store).source(source).discoverSources(false)
                            .instanceId("pg3-" + INSTANCES[i]).pollInterval(Duration.ofSeconds(1))
                            .leaseDuration(LEASE).listener(listener).build().start());
                }
                List<CompletableFuture<Deployment>> completions = new ArrayList<>();
                long start = System.nanoTime();
                for (ScaleWorkload.Item item : workload.items()) {
                    long historyId = emulator.createHistory(item.projectId(), item.script());
                    DeploymentTracker tracker = trackers.get(item.index() % trackers.size());
                    DeploymentHandle h = tracker.track(DeploymentRequest.builder("bench", item.repo(),
                            item.commitSha()).build(), NcpPollingSource.ref(item.projectId(), historyId));
                    outcomes.expect(h.id(), item);
                    completions.add(h.completion());
                }
                log.accept(String.format("tracker.pg3: %,d deployments tracked in %.1f s", workload.deployments(),
                        (System.nanoTime() - start) / 1e9));
                outcomes.released(clock.release(), clock.heldAt());
                long released = System.nanoTime();
                long waitMillis = Duration.ofSeconds(workload.maxSeconds()).plus(TrackerScale.GRACE).toMillis();
                try {
                    CompletableFuture.allOf(completions.toArray(CompletableFuture[]::new))
                            .get(waitMillis, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    log.accept("tracker.pg3: " + (workload.deployments() - outcomes.completions())
                            + " deployments still running " + waitMillis / 1000 + " s after the release");
                }
                wall = (System.nanoTime() - released) / 1e9;
            } finally {
                for (DeploymentTracker t : trackers) {
                    t.close();
                }
                probe.close();
            }
            long calls = emulator.detailCalls() + emulator.listCalls();
            long polls = sources.stream().mapToLong(s -> s.polls.get()).sum();
            Figure f;
            try (Connection c = DriverManager.getConnection(db.url())) {
                f = outcomes.figure("tracker.pg3", c, probe, calls, wall);
            }
            stores.forEach(JdbcHistoryStore::close);
            for (AutoCloseable p : pools) {
                p.close();
            }
            Figure out = new Figure("tracker.pg3");
            for (String k : List.of("deployments", "completed", "lost", "wrong_status")) {
                out.put(k, (long) f.number(k));
            }
            out.put("double_polled", doubled.size()).put("duplicate_completions", outcomes.duplicates());
            StringBuilder shares = new StringBuilder();
            for (int i = 0; i < INSTANCES.length; i++) {
                double share = polls == 0 ? 0 : (double) sources.get(i).polls.get() / polls;
                out.put("share_" + INSTANCES[i], share, 3);
                shares.append(String.format(Locale.ROOT, " %s=%,d", INSTANCES[i], sources.get(i).polls.get()));
            }
            out.put("api_calls_per_deployment", f.number("api_calls_per_deployment"), 3)
                    .put("detect_p99_ms", (long) f.number("detect_p99_ms")).put("wall_s", wall, 1);
            log.accept("tracker.pg3: polls by instance" + shares + ", duplicate completions " + outcomes.duplicates());
            db.drop();
            return out;
        }
    }
}
