package io.deploytrack.benchmarks.tracker;

import io.deploytrack.benchmarks.Figure;
import io.deploytrack.benchmarks.Probe;
import io.deploytrack.benchmarks.Work;
import io.deploytrack.benchmarks.store.SqliteFiles;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentHandle;
import io.deploytrack.core.DeploymentListener;
import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.jdbc.JdbcHistoryStore;
import io.deploytrack.ncp.NcpClient;
import io.deploytrack.ncp.NcpCredentials;
import io.deploytrack.ncp.NcpPollingSource;
import io.deploytrack.ncp.emulator.NcpEmulator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * {@code tracker.scale}: the workload in flight at once in this JVM, through the real tracker with the real
 * {@link NcpPollingSource} (defaults: list batching, page size 100) on the real {@link NcpClient} (defaults: the JDK
 * HttpClient it creates, 64 requests in flight at most) against the NCP emulator over HTTP, stored in SQLite
 * ({@link JdbcHistoryStore#sqlite}), poll interval 1 s. Threads counted: see {@link #THREADS}.
 */
public final class TrackerScale {
    /**
     * The thread name prefixes that count: the library's own ({@code deploytrack-}: the tracker's scheduler and
     * workers, the NCP client's senders and its HttpClient's executor), the JDK HttpClient's own
     * ({@code HttpClient-}: its selector), and unnamed threads ({@code Thread-}), which the JDK's {@code sendAsync}
     * would start per answer on two CPUs (the NCP client no longer uses it): nothing else in this JVM starts unnamed
     * threads, so any counted there are the library's.
     */
    public static final List<String> THREADS = List.of("deploytrack-", "HttpClient-", "Thread-");
    /** How many host threads register the deployments. */
    static final int HOST_THREADS = 4;
    /** How long after the last start the run waits for the slowest deployment, beyond its longest life. */
    static final Duration GRACE = Duration.ofSeconds(60);

    private final String name;
    private final ScaleWorkload workload;
    private final Consumer<String> log;

    public TrackerScale(ScaleWorkload workload, Consumer<String> log) {
        this("tracker.scale", workload, log);
    }

    /** @param name the figure's name ({@code tracker.scale}, {@code tracker.scale50k}) */
    public TrackerScale(String name, ScaleWorkload workload, Consumer<String> log) {
        this.name = name;
        this.workload = workload;
        this.log = log;
    }

    public Figure run() throws Exception {
        Path file = SqliteFiles.fresh(Work.file(name.replace('.', '-'), ".db"));
        Outcomes outcomes = new Outcomes();
        DeploymentListener listener = new DeploymentListener() {
            @Override
            public void onCompleted(Deployment d) {
                outcomes.committed(d.id(), System.currentTimeMillis());
            }
        };
        Probe.settle();
        GatedClock clock = new GatedClock();
        try (NcpEmulator emulator = NcpEmulator.builder().clock(clock).requestLogCapacity(16).backlog(4096).start();
             JdbcHistoryStore store = JdbcHistoryStore.sqlite(file)) {
            Probe probe = Probe.start(THREADS);
            NcpClient client = NcpClient.builder().baseUri(emulator.baseUri())
                    .credentials(NcpCredentials.of(emulator.accessKey(), emulator.secretKey())).build();
            DeploymentTracker tracker = DeploymentTracker.builder(store).source(NcpPollingSource.of(client))
                    .discoverSources(false).pollInterval(Duration.ofSeconds(1)).listener(listener).build().start();
            List<CompletableFuture<Deployment>> completions = new ArrayList<>(workload.deployments());
            long start = System.nanoTime();
            long released;
            double wall;
            // The host registers deployments from a few request threads at once, as a web application would.
            ExecutorService host = Executors.newFixedThreadPool(HOST_THREADS, r -> {
                Thread t = new Thread(r, "bench-host");
                t.setDaemon(true);
                return t;
            });
            try {
                emulator.clearRequests();
                List<Future<CompletableFuture<Deployment>>> tracked = new ArrayList<>(workload.deployments());
                for (ScaleWorkload.Item item : workload.items()) {
                    tracked.add(host.submit(() -> {
                        long historyId = emulator.createHistory(item.projectId(), item.script());
                        DeploymentHandle h = tracker.track(DeploymentRequest.builder("bench", item.repo(),
                                item.commitSha()).build(), NcpPollingSource.ref(item.projectId(), historyId));
                        outcomes.expect(h.id(), item);
                        return h.completion();
                    }));
                }
                for (Future<CompletableFuture<Deployment>> f : tracked) {
                    completions.add(f.get());
                }
                log.accept(String.format("%s: %,d deployments tracked in %.1f s", name, workload.deployments(),
                        (System.nanoTime() - start) / 1e9));
                outcomes.released(clock.release(), clock.heldAt());
                released = System.nanoTime();
                long waitMillis = Duration.ofSeconds(workload.maxSeconds()).plus(GRACE).toMillis();
                try {
                    CompletableFuture.allOf(completions.toArray(CompletableFuture[]::new)).get(waitMillis, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    log.accept(name + ": " + (workload.deployments() - outcomes.completions())
                            + " deployments still running " + waitMillis / 1000 + " s after the last start");
                }
                wall = (System.nanoTime() - released) / 1e9;
            } finally {
                host.shutdownNow();
                tracker.close();
                probe.close();
            }
            long calls = emulator.detailCalls() + emulator.listCalls();
            log.accept(String.format("%s: %,d detail calls, %,d list calls, %d duplicate completions, "
                    + "%d collections, threads peak by prefix %s", name, emulator.detailCalls(), emulator.listCalls(),
                    outcomes.duplicates(), probe.collections(), probe.peakByPrefix()));
            JdbcHistoryStore measured = store; // closed before the file is measured; the try's close is then a no-op
            measured.close();
            return outcomes.figure(name, file, probe, calls, wall);
        }
    }
}
