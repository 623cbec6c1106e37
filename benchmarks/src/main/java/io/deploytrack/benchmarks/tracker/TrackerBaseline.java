package io.deploytrack.benchmarks.tracker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deploytrack.benchmarks.Figure;
import io.deploytrack.benchmarks.Probe;
import io.deploytrack.benchmarks.Work;
import io.deploytrack.benchmarks.store.SqliteFiles;
import io.deploytrack.jdbc.StoredText;
import io.deploytrack.ncp.NcpSignature;
import io.deploytrack.ncp.emulator.NcpEmulator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * {@code tracker.baseline}: the same workload done the way a host does it by hand: for each deployment, insert a
 * row (plain JDBC, one shared SQLite connection with the store's pragmas, the store's schema), then start a thread
 * that asks the detail endpoint every second until a terminal word, and updates the row. HTTP: one shared JDK
 * HttpClient, signed requests, at most {@value #MAX_CONNECTIONS} at once (as a host's pooled HTTP client allows, and
 * as many as {@code NcpClient} sends at most): unbounded, ten thousand pollers open a connection each and run this
 * process out of file descriptors. The pollers start asking when the emulator's clock is released (all registered).
 */
public final class TrackerBaseline {
    /** The thread name prefixes that count as the host's threads (as {@link TrackerScale#THREADS} counts). */
    public static final List<String> THREADS = List.of("baseline-", "HttpClient-", "Thread-");
    private static final Set<String> TERMINAL = Set.of("success", "fail", "error", "reject", "canary_reject",
            "canary_waiting_timeout", "canceled");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The most requests in flight at once: a connection pool's size. */
    static final int MAX_CONNECTIONS = 64;

    private final ScaleWorkload workload;
    private final Consumer<String> log;

    public TrackerBaseline(ScaleWorkload workload, Consumer<String> log) {
        this.workload = workload;
        this.log = log;
    }

    public Figure run() throws Exception {
        Path file = SqliteFiles.fresh(Work.file("tracker-baseline", ".db"));
        Outcomes outcomes = new Outcomes();
        AtomicLong errors = new AtomicLong();
        Probe.settle();
        GatedClock clock = new GatedClock();
        try (NcpEmulator emulator = NcpEmulator.builder().clock(clock).requestLogCapacity(16).backlog(4096).start();
             Connection db = SqliteFiles.connect(file)) {
            Probe probe = Probe.start(THREADS);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            Host host = new Host(emulator, http, db, outcomes, errors);
            CountDownLatch go = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(workload.deployments());
            List<Thread> pollers = new ArrayList<>(workload.deployments());
            long start = System.nanoTime();
            double wall;
            try {
                emulator.clearRequests();
                for (ScaleWorkload.Item item : workload.items()) {
                    long historyId = emulator.createHistory(item.projectId(), item.script());
                    long id = host.insert(item, historyId);
                    outcomes.expect(id, item);
                    Thread t = new Thread(() -> {
                        try {
                            go.await();
                            host.follow(id, item.projectId(), historyId);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        } finally {
                            done.countDown();
                        }
                    }, "baseline-poller-" + id);
                    t.setDaemon(true);
                    pollers.add(t);
                    t.start();
                }
                log.accept(String.format("tracker.baseline: %,d deployments started in %.1f s",
                        workload.deployments(), (System.nanoTime() - start) / 1e9));
                outcomes.released(clock.release(), clock.heldAt());
                long released = System.nanoTime();
                go.countDown();
                long waitMillis = Duration.ofSeconds(workload.maxSeconds()).plus(TrackerScale.GRACE).toMillis();
                if (!done.await(waitMillis, TimeUnit.MILLISECONDS)) {
                    log.accept("tracker.baseline: " + done.getCount() + " pollers still running " + waitMillis / 1000
                            + " s after the last start");
                }
                wall = (System.nanoTime() - released) / 1e9;
            } finally {
                long t0 = System.nanoTime();
                pollers.forEach(Thread::interrupt);
                probe.close();
                for (Thread t : pollers) {
                    t.join(TimeUnit.SECONDS.toMillis(10));
                }
                log.accept(String.format("tracker.baseline: pollers stopped in %.1f s", (System.nanoTime() - t0) / 1e9));
            }
            long calls = emulator.detailCalls() + emulator.listCalls();
            log.accept(String.format("tracker.baseline: %,d detail calls, %,d failed polls, %d collections, threads "
                    + "peak by prefix %s", emulator.detailCalls(), errors.get(), probe.collections(), probe.peakByPrefix()));
            synchronized (db) {
                return outcomes.figure("tracker.baseline", file, probe, calls, wall);
            }
        }
    }

    /** The hand-written host: a row per deployment and a blocking poll loop per deployment. */
    private static final class Host {
        private final NcpEmulator emulator;
        private final HttpClient http;
        private final Connection db;
        private final Outcomes outcomes;
        private final AtomicLong errors;
        private final Semaphore connections = new Semaphore(MAX_CONNECTIONS);

        Host(NcpEmulator emulator, HttpClient http, Connection db, Outcomes outcomes, AtomicLong errors) {
            this.emulator = emulator;
            this.http = http;
            this.db = db;
            this.outcomes = outcomes;
            this.errors = errors;
        }

        long insert(ScaleWorkload.Item item, long historyId) throws SQLException {
            String now = StoredText.time(Instant.now());
            synchronized (db) {
                try (PreparedStatement ps = db.prepareStatement("INSERT INTO deployment_histories (github_owner, "
                        + "github_repo, environment, github_commit_sha, is_rollback, idempotency_key, status, started_at, "
                        + "created_at, updated_at) VALUES (?, ?, 'production', ?, 0, ?, 'running', ?, ?, ?) RETURNING id")) {
                    ps.setString(1, "bench");
                    ps.setString(2, item.repo());
                    ps.setString(3, item.commitSha());
                    ps.setString(4, "ncp:" + item.projectId() + ":" + historyId);
                    ps.setString(5, now);
                    ps.setString(6, now);
                    ps.setString(7, now);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getLong(1);
                    }
                }
            }
        }

        void follow(long id, long projectId, long historyId) {
            String path = "/api/v1/project/" + projectId + "/history/" + historyId;
            URI uri = emulator.baseUri().resolve(path);
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    long ts = System.currentTimeMillis();
                    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET()
                            .header("x-ncp-apigw-timestamp", Long.toString(ts))
                            .header("x-ncp-iam-access-key", emulator.accessKey())
                            .header("x-ncp-apigw-signature-v2",
                                    NcpSignature.sign("GET", path, ts, emulator.accessKey(), emulator.secretKey()))
                            .build();
                    HttpResponse<byte[]> response;
                    connections.acquire();
                    try {
                        response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                    } finally {
                        connections.release();
                    }
                    if (response.statusCode() == 200) {
                        JsonNode result = JSON.readTree(response.body()).path("result");
                        String word = result.path("status").asText();
                        if (TERMINAL.contains(word)) {
                            complete(id, word, Instant.ofEpochMilli(result.path("endTime").asLong()));
                            return;
                        }
                    } else {
                        errors.incrementAndGet();
                    }
                } catch (IOException e) {
                    errors.incrementAndGet();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (SQLException e) {
                    throw new IllegalStateException("baseline could not record deployment " + id, e);
                }
                try {
                    // The hand-written way: a thread per deployment that sleeps between polls.
                    TimeUnit.SECONDS.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        private void complete(long id, String word, Instant end) throws SQLException {
            String status = switch (word) {
                case "success" -> "success";
                case "canceled" -> "cancelled";
                default -> "failed";
            };
            synchronized (db) {
                try (PreparedStatement ps = db.prepareStatement("UPDATE deployment_histories SET status = ?, "
                        + "completed_at = ?, deployed_at = ?, updated_at = ? WHERE id = ? AND status = 'running'")) {
                    ps.setString(1, status);
                    ps.setString(2, StoredText.time(end));
                    ps.setString(3, status.equals("success") ? StoredText.time(end) : null);
                    ps.setString(4, StoredText.time(Instant.now()));
                    ps.setLong(5, id);
                    ps.executeUpdate();
                }
                outcomes.committed(id, System.currentTimeMillis());
            }
        }
    }
}
