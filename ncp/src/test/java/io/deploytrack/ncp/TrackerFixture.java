package io.deploytrack.ncp;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.jdbc.JdbcHistoryStore;
import io.deploytrack.core.testkit.ManualClock;
import io.deploytrack.ncp.emulator.NcpEmulator;
import io.deploytrack.ncp.emulator.NcpScript;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.fail;

/**
 * The real thing, wired for tests: an emulator on a real port, a client and the status source over HTTP, a real
 * tracker (its own scheduler and workers, 50 ms polls without jitter) on a real SQLite file.
 */
abstract class TrackerFixture {

    static final Duration POLL = Duration.ofMillis(50);
    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    /** The emulator's clock: a minute in the past, so NCP's times come before the tracker's own. */
    final ManualClock ncpClock = ManualClock.of(Instant.now().minus(Duration.ofMinutes(1)).truncatedTo(ChronoUnit.MILLIS));
    final Instant t0 = ncpClock.instant();

    private final List<AutoCloseable> closing = new ArrayList<>();
    private final AtomicInteger commits = new AtomicInteger();

    /**
     * Loads the HTTP client, Jackson and the emulator's classes once per JVM, so that a test's first poll is not
     * slowed by class loading: several tests give a check a deadline of a few hundred milliseconds.
     */
    @BeforeAll
    static void warmUp() {
        try (NcpEmulator warm = NcpEmulator.start()) {
            long id = warm.createHistory(1, NcpScript.of(NcpScript.end("success")));
            NcpPollingSource.of(client(warm, warm.secretKey())).poll(NcpPollingSource.ref(1, id)).toCompletableFuture()
                    .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
        }
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    <T extends AutoCloseable> T closeLater(T resource) {
        closing.add(resource);
        return resource;
    }

    NcpEmulator emulator(Clock clock) {
        return closeLater(NcpEmulator.builder().clock(clock).credentials("TRACKERTESTKEY", "tracker-test-secret-4d2").start());
    }

    NcpEmulator emulator() {
        return emulator(ncpClock);
    }

    static NcpClient client(NcpEmulator emulator, String secret) {
        return NcpClient.builder().endpoint(NcpEndpoint.of(emulator.baseUri().toString(),
                        emulator.sourceBuildUri().toString(), emulator.sourcePipelineUri().toString()))
                .credentials(NcpCredentials.of(emulator.accessKey(), secret)).clock(emulator.clock())
                .requestTimeout(Duration.ofSeconds(5)).build();
    }

    static NcpPollingSource source(NcpEmulator emulator) {
        return NcpPollingSource.of(client(emulator, emulator.secretKey()));
    }

    JdbcHistoryStore store(String name) {
        return closeLater(JdbcHistoryStore.sqlite(dir.resolve(name)));
    }

    static DeploymentTracker.Builder trackerBuilder(JdbcHistoryStore store, NcpPollingSource source) {
        return DeploymentTracker.builder(store).discoverSources(false).source(source).pollInterval(POLL)
                .pollJitter(0).maxBackoff(Duration.ofMillis(200));
    }

    /**
     * A tracker on a manual clock (real scheduler and workers): deadlines pass when the test moves the clock. Its
     * lease is long, so that moving the clock by minutes does not make it stop polling until its next renewal.
     */
    DeploymentTracker tracker(NcpPollingSource source, io.deploytrack.core.testkit.ManualClock clock, String file) {
        return closeLater(trackerBuilder(store(file), source).clock(clock).leaseDuration(Duration.ofDays(1))
                .build().start());
    }

    DeploymentTracker tracker(NcpPollingSource source) {
        return closeLater(trackerBuilder(store("history.db"), source).build().start());
    }

    /** A request for a new commit each time. */
    DeploymentRequest request() {
        String sha = String.format("%07x", 0xabc0000 + commits.incrementAndGet());
        return DeploymentRequest.builder("acme", "web", sha).build();
    }

    static Deployment done(CompletableFuture<Deployment> completion) {
        return completion.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    /**
     * Bounded polling on a manual tracker clock: moves the clock one poll interval per check, so that polls keep
     * coming whenever their answers were handled, until the condition holds (or fails after {@link #WAIT}).
     */
    static void eventuallyAdvancing(io.deploytrack.core.testkit.ManualClock clock, String what, BooleanSupplier condition) {
        eventually(what, () -> {
            if (condition.getAsBoolean()) {
                return true;
            }
            clock.advance(POLL);
            return false;
        });
    }

    /** Bounded polling: waits until the condition holds, or fails after {@link #WAIT}. */
    static void eventually(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("waited " + WAIT.toSeconds() + " s for: " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }
}
