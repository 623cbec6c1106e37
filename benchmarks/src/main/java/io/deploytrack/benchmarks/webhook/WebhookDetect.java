package io.deploytrack.benchmarks.webhook;

import io.deploytrack.benchmarks.Figure;
import io.deploytrack.benchmarks.Percentiles;
import io.deploytrack.benchmarks.Work;
import io.deploytrack.benchmarks.store.SqliteFiles;
import io.deploytrack.core.support.CallbackSignature;
import io.deploytrack.core.CheckRef;
import io.deploytrack.core.CheckSpec;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentHandle;
import io.deploytrack.core.DeploymentListener;
import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.Observation;
import io.deploytrack.core.PollingSource;
import io.deploytrack.jdbc.JdbcHistoryStore;
import io.deploytrack.webhook.WebhookServer;
import io.deploytrack.webhook.WebhookPushSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * {@code webhook.detect}: {@code deployments} deployments tracked at once into SQLite by the real tracker, each check
 * pushed by a {@link WebhookPushSource} listening on its standalone server and polled (interval {@code pollInterval}) as
 * the safety net. Signed callbacks ending them are POSTed over HTTP at {@code pushesPerSecond}, from 8 senders
 * (a new connection per callback: the receiver answers each with {@code Connection: close}); measured: from just
 * before the POST to the moment {@code onCompleted} ran (after the terminal row was committed). A fifth as many pushed deployments go first as a warm-up and are not counted.
 *
 * <p>Beside it, the polling figure on the same tracker: as many more deployments, not pushed; one poll interval after
 * they were tracked, each ends at the source at its own moment, spread at random over one interval; measured: from
 * that moment to its {@code onCompleted}.
 */
public final class WebhookDetect {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String SECRET = "benchmark-secret";
    private static final int SENDERS = 8;

    private final int deployments;
    private final int pushesPerSecond;
    private final Duration pollInterval;
    private final Consumer<String> log;

    public WebhookDetect(int deployments, int pushesPerSecond, Duration pollInterval, Consumer<String> log) {
        this.deployments = deployments;
        this.pushesPerSecond = pushesPerSecond;
        this.pollInterval = pollInterval;
        this.log = log;
    }

    /** A polling source that answers "in progress" for a ref until the moment set for it, then "success". */
    private static final class FlippingSource implements PollingSource {
        private final Map<CheckRef, Long> endsAtNanos = new ConcurrentHashMap<>();

        void endAt(CheckRef ref, long nanos) {
            endsAtNanos.put(ref, nanos);
        }

        @Override
        public String type() {
            return "bench-poll";
        }

        @Override
        public CompletionStage<Observation> poll(CheckRef ref) {
            Long end = endsAtNanos.get(ref);
            boolean done = end != null && System.nanoTime() - end >= 0;
            return CompletableFuture.completedFuture(done ? Observation.succeeded("success") : Observation.inProgress("running"));
        }
    }

    public Figure run() throws Exception {
        Path file = SqliteFiles.fresh(Work.file("webhook", ".db"));
        Map<Long, Long> completedNanos = new ConcurrentHashMap<>();
        DeploymentListener listener = new DeploymentListener() {
            @Override
            public void onCompleted(Deployment d) {
                completedNanos.putIfAbsent(d.id(), System.nanoTime());
            }
        };
        FlippingSource polled = new FlippingSource();
        WebhookPushSource webhook = WebhookPushSource.builder().secret(SECRET).build();
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(file);
             DeploymentTracker tracker = DeploymentTracker.builder(store).source(polled).source(webhook)
                     .discoverSources(false).pollInterval(pollInterval).defaultTimeout(Duration.ofMinutes(30))
                     .listener(listener).build().start();
             WebhookServer server = webhook.listen(0, "/hooks")) {
            // Warm-up, not counted: a fifth as many pushes first, so the JIT has compiled the receiver's path.
            List<DeploymentHandle> warm = track(tracker, webhook, "warmup", true, Math.max(1, deployments / 5));
            push(server.port(), "warmup", warm, completedNanos);
            List<DeploymentHandle> pushed = track(tracker, webhook, "pushed", true, deployments);
            long[] pushMs = push(server.port(), "pushed", pushed, completedNanos);
            List<DeploymentHandle> onlyPolled = track(tracker, webhook, "polled", false, deployments);
            // One poll interval in steady state first: the first polls that tracking starts are behind them.
            long steady = System.nanoTime() + pollInterval.toNanos();
            long left;
            while ((left = steady - System.nanoTime()) > 0) {
                LockSupport.parkNanos(left);
            }
            // Each one ends at its own moment, spread over one interval, as real ends fall anywhere in a poll cycle.
            java.util.Random random = new java.util.Random(1);
            long base = System.nanoTime();
            long[] endsAt = new long[onlyPolled.size()];
            for (int i = 0; i < onlyPolled.size(); i++) {
                endsAt[i] = base + (long) (random.nextDouble() * pollInterval.toNanos());
                polled.endAt(onlyPolled.get(i).deployment().checks().get(0).ref(), endsAt[i]);
            }
            long[] pollMs = new long[onlyPolled.size()];
            for (int i = 0; i < onlyPolled.size(); i++) {
                DeploymentHandle h = onlyPolled.get(i);
                expectSuccess(h.completion().get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
                pollMs[i] = Math.max(0, TimeUnit.NANOSECONDS.toMillis(completedNanos.get(h.id()) - endsAt[i]));
            }
            return new Figure("webhook.detect").put("deployments", deployments)
                    .put("pushes_per_s", pushesPerSecond)
                    .put("detect_p50_ms", Percentiles.of(pushMs, 50))
                    .put("detect_p99_ms", Percentiles.of(pushMs, 99))
                    .put("poll_interval_s", pollInterval.toMillis() / 1000.0, 1)
                    .put("poll_detect_p50_ms", Percentiles.of(pollMs, 50))
                    .put("poll_detect_p99_ms", Percentiles.of(pollMs, 99));
        }
    }

    private List<DeploymentHandle> track(DeploymentTracker tracker, WebhookPushSource webhook, String prefix, boolean push,
                                         int count) {
        List<DeploymentHandle> handles = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            CheckSpec spec = CheckSpec.of(CheckRef.of("bench-poll", "id", prefix + "-" + i));
            handles.add(tracker.track(DeploymentRequest.builder("bench", prefix + "-" + i, String.format("%040x", i)).build(),
                    push ? spec.pushedBy(webhook) : spec));
        }
        log.accept("webhook.detect: " + count + " " + prefix + " deployments followed at once");
        return handles;
    }

    /** POSTs one success callback per deployment at the fixed rate; returns each one's POST-to-committed time. */
    private long[] push(int port, String prefix, List<DeploymentHandle> handles, Map<Long, Long> completedNanos)
            throws Exception {
        int n = handles.size();
        long[] sentNanos = new long[n];
        long[] answeredNanos = new long[n];
        Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        AtomicInteger refused = new AtomicInteger();
        // Senders, each with its own connection (reopened after every answer's Connection: close), as a provider's
        // delivery workers would be.
        ThreadLocal<RawHttpSender> connection = ThreadLocal.withInitial(() -> new RawHttpSender("127.0.0.1", port));
        List<RawHttpSender> opened = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS, r -> {
            Thread t = new Thread(r, "bench-webhook-sender");
            t.setDaemon(true);
            return t;
        });
        List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
        long periodNanos = TimeUnit.SECONDS.toNanos(1) / pushesPerSecond;
        long start = System.nanoTime();
        try {
            for (int i = 0; i < n; i++) {
                long due = start + i * periodNanos;
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                int k = i;
                sent.add(senders.submit(() -> {
                    byte[] body = ("{\"ref\": {\"type\": \"bench-poll\", \"id\": \"" + prefix + "-" + k
                            + "\"}, \"status\": \"success\"}").getBytes(StandardCharsets.UTF_8);
                    long ts = System.currentTimeMillis() / 1000;
                    Map<String, String> headers = Map.of(CallbackSignature.DELIVERY_HEADER, prefix + "-" + k,
                            CallbackSignature.TIMESTAMP_HEADER, Long.toString(ts),
                            CallbackSignature.SIGNATURE_HEADER, CallbackSignature.sign(SECRET, ts, body));
                    RawHttpSender c = connection.get();
                    opened.add(c);
                    try {
                        sentNanos[k] = System.nanoTime();
                        RawHttpSender.Answer a = c.post("/hooks", headers, body);
                        answeredNanos[k] = System.nanoTime();
                        if (a.status() != 200) {
                            refused.incrementAndGet();
                        } else {
                            String outcome = a.body().replaceAll(".*\\{\"status\":\"([a-z_]+)\".*", "$1");
                            outcomes.computeIfAbsent(outcome, x -> new AtomicInteger()).incrementAndGet();
                        }
                    } catch (java.io.IOException e) {
                        c.close();
                        refused.incrementAndGet();
                    }
                }));
            }
            for (java.util.concurrent.Future<?> f : sent) {
                f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } finally {
            senders.shutdownNow();
            opened.forEach(RawHttpSender::close);
        }
        if (refused.get() > 0) {
            throw new IllegalStateException(refused.get() + " callbacks were not answered 200");
        }
        long[] ms = new long[n];
        long[] answerMs = new long[n];
        for (int i = 0; i < n; i++) {
            DeploymentHandle h = handles.get(i);
            expectSuccess(h.completion().get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            ms[i] = Math.max(0, TimeUnit.NANOSECONDS.toMillis(completedNanos.get(h.id()) - sentNanos[i]));
            answerMs[i] = TimeUnit.NANOSECONDS.toMillis(answeredNanos[i] - sentNanos[i]);
        }
        log.accept("webhook.detect: " + n + " " + prefix + " pushes sent at " + pushesPerSecond + "/s from " + SENDERS
                + " connections, all ended; answered " + outcomes + ", HTTP answer p50 " + Percentiles.of(answerMs, 50)
                + " ms, p99 " + Percentiles.of(answerMs, 99) + " ms; to the commit p90 " + Percentiles.of(ms, 90)
                + " ms, max " + Percentiles.of(ms, 100) + " ms");
        return ms;
    }

    private static void expectSuccess(Deployment d) {
        if (d.status() != DeploymentStatus.SUCCESS) {
            throw new IllegalStateException("deployment " + d.id() + " ended " + d.status() + ": " + d.errorMessage());
        }
    }
}
