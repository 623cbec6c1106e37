package io.deploytrack.benchmarks.webhook;

import io.deploytrack.benchmarks.Figure;
import io.deploytrack.benchmarks.Percentiles;
import io.deploytrack.benchmarks.Work;
import io.deploytrack.benchmarks.store.SqliteFiles;
import io.deploytrack.core.CallbackSignature;
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
import io.deploytrack.webhook.WebhookSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * pushed by a {@link WebhookSource} listening on the JDK's HTTP server and polled (interval {@code pollInterval}) as
 * the safety net. Signed callbacks ending them are POSTed over HTTP at {@code pushesPerSecond}; measured: from just
 * before the POST to the moment {@code onCompleted} ran (after the terminal row was committed).
 *
 * <p>Beside it, the polling figure on the same tracker: as many more deployments, not pushed; at one instant the
 * source starts answering "success" for all of them; measured: from that instant to each {@code onCompleted}.
 */
public final class WebhookDetect {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String SECRET = "benchmark-secret";

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

    /** A polling source that answers "in progress" until {@link #flip()}, then "success". */
    private static final class FlippingSource implements PollingSource {
        private volatile boolean done;

        void flip() {
            done = true;
        }

        @Override
        public String type() {
            return "bench-poll";
        }

        @Override
        public CompletionStage<Observation> poll(CheckRef ref) {
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
        WebhookSource webhook = WebhookSource.builder().secret(SECRET).build();
        ExecutorService clientThreads = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "bench-webhook-client");
            t.setDaemon(true);
            return t;
        });
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(clientThreads)
                .connectTimeout(Duration.ofSeconds(5)).build();
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(file);
             DeploymentTracker tracker = DeploymentTracker.builder(store).source(polled).source(webhook)
                     .discoverSources(false).pollInterval(pollInterval).defaultTimeout(Duration.ofMinutes(30))
                     .listener(listener).build().start();
             WebhookServer server = webhook.listen(0, "/hooks")) {
            URI url = URI.create("http://127.0.0.1:" + server.port() + "/hooks");
            List<DeploymentHandle> pushed = track(tracker, webhook, "pushed", true);
            long[] pushMs = push(http, url, pushed, completedNanos);
            List<DeploymentHandle> onlyPolled = track(tracker, webhook, "polled", false);
            long flipped = System.nanoTime();
            polled.flip();
            long[] pollMs = new long[onlyPolled.size()];
            for (int i = 0; i < onlyPolled.size(); i++) {
                DeploymentHandle h = onlyPolled.get(i);
                expectSuccess(h.completion().get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
                pollMs[i] = TimeUnit.NANOSECONDS.toMillis(completedNanos.get(h.id()) - flipped);
            }
            return new Figure("webhook.detect").put("deployments", deployments)
                    .put("pushes_per_s", pushesPerSecond)
                    .put("detect_p50_ms", Percentiles.of(pushMs, 50))
                    .put("detect_p99_ms", Percentiles.of(pushMs, 99))
                    .put("poll_interval_s", pollInterval.toMillis() / 1000.0, 1)
                    .put("poll_detect_p50_ms", Percentiles.of(pollMs, 50))
                    .put("poll_detect_p99_ms", Percentiles.of(pollMs, 99));
        } finally {
            clientThreads.shutdownNow();
        }
    }

    private List<DeploymentHandle> track(DeploymentTracker tracker, WebhookSource webhook, String prefix, boolean push) {
        List<DeploymentHandle> handles = new ArrayList<>(deployments);
        for (int i = 0; i < deployments; i++) {
            CheckSpec spec = CheckSpec.of(CheckRef.of("bench-poll", "id", prefix + "-" + i));
            handles.add(tracker.track(DeploymentRequest.builder("bench", prefix + "-" + i, String.format("%040x", i)).build(),
                    push ? spec.pushedBy(webhook) : spec));
        }
        log.accept("webhook.detect: " + deployments + " " + prefix + " deployments followed at once");
        return handles;
    }

    /** POSTs one success callback per deployment at the fixed rate; returns each one's POST-to-committed time. */
    private long[] push(HttpClient http, URI url, List<DeploymentHandle> handles, Map<Long, Long> completedNanos)
            throws Exception {
        long[] sentNanos = new long[handles.size()];
        long[] answeredNanos = new long[handles.size()];
        Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        AtomicInteger refused = new AtomicInteger();
        long periodNanos = TimeUnit.SECONDS.toNanos(1) / pushesPerSecond;
        long start = System.nanoTime();
        for (int i = 0; i < handles.size(); i++) {
            long due = start + i * periodNanos;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            byte[] body = ("{\"ref\": {\"type\": \"bench-poll\", \"id\": \"pushed-" + i + "\"}, \"status\": \"success\"}")
                    .getBytes(StandardCharsets.UTF_8);
            long ts = System.currentTimeMillis() / 1000;
            HttpRequest req = HttpRequest.newBuilder(url).timeout(WAIT)
                    .header(CallbackSignature.DELIVERY_HEADER, "bench-" + i)
                    .header(CallbackSignature.TIMESTAMP_HEADER, Long.toString(ts))
                    .header(CallbackSignature.SIGNATURE_HEADER, CallbackSignature.sign(SECRET, ts, body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            sentNanos[i] = System.nanoTime();
            int n = i;
            answers.add(http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
                answeredNanos[n] = System.nanoTime();
                if (e != null || r.statusCode() != 200) {
                    refused.incrementAndGet();
                } else {
                    String outcome = r.body().replaceAll(".*\\{\"status\":\"([a-z_]+)\".*", "$1");
                    outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
                }
            }));
        }
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (refused.get() > 0) {
            throw new IllegalStateException(refused.get() + " callbacks were not answered 200");
        }
        long[] ms = new long[handles.size()];
        for (int i = 0; i < handles.size(); i++) {
            DeploymentHandle h = handles.get(i);
            expectSuccess(h.completion().get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            ms[i] = Math.max(0, TimeUnit.NANOSECONDS.toMillis(completedNanos.get(h.id()) - sentNanos[i]));
        }
        long[] answerMs = new long[handles.size()];
        for (int i = 0; i < handles.size(); i++) {
            answerMs[i] = TimeUnit.NANOSECONDS.toMillis(answeredNanos[i] - sentNanos[i]);
        }
        log.accept("webhook.detect: " + handles.size() + " pushes sent at " + pushesPerSecond + "/s, all ended; "
                + "answered " + outcomes + ", HTTP answer p50 " + Percentiles.of(answerMs, 50) + " ms, p99 "
                + Percentiles.of(answerMs, 99) + " ms");
        return ms;
    }

    private static void expectSuccess(Deployment d) {
        if (d.status() != DeploymentStatus.SUCCESS) {
            throw new IllegalStateException("deployment " + d.id() + " ended " + d.status() + ": " + d.errorMessage());
        }
    }
}
