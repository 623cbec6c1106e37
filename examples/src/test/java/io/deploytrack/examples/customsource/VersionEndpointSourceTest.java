package io.deploytrack.examples.customsource;

import com.sun.net.httpserver.HttpServer;
import io.deploytrack.core.CheckRef;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentHandle;
import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.InvalidRequestException;
import io.deploytrack.jdbc.JdbcHistoryStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SPI extension path end to end: discovered through ServiceLoader, persisted, resumed. */
class VersionEndpointSourceTest {
    @TempDir
    Path dir;
    private HttpServer service;
    private final AtomicReference<String> running = new AtomicReference<>("0000000");
    private final AtomicInteger hits = new AtomicInteger();
    private URI version;

    @BeforeEach
    void startService() throws Exception {
        service = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        service.createContext("/version", ex -> {
            hits.incrementAndGet();
            byte[] body = running.get().getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        service.start();
        version = URI.create("http://127.0.0.1:" + service.getAddress().getPort() + "/version");
    }

    @AfterEach
    void stopService() {
        service.stop(0);
    }

    private DeploymentTracker tracker(JdbcHistoryStore store) {
        // No .source(...): the tracker finds VersionEndpointSource in META-INF/services.
        return DeploymentTracker.builder(store).pollInterval(Duration.ofMillis(50)).build().start();
    }

    @Test
    void theTrackerDiscoversTheSourceAndSucceedsOnceOurVersionServes() throws Exception {
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(dir.resolve("h.db")); DeploymentTracker tracker = tracker(store)) {
            DeploymentHandle h = tracker.track(DeploymentRequest.builder("acme", "shop", "c0ffee1").build(),
                    VersionEndpointSource.ref(version, "c0ffee1"));
            awaitHits(3);
            assertThat(h.completion()).isNotDone();
            running.set("c0ffee1d2e3f");
            Deployment d = h.completion().get(10, TimeUnit.SECONDS);
            assertThat(d.status()).isEqualTo(DeploymentStatus.SUCCESS);
            assertThat(d.checks().get(0).sourceType()).isEqualTo("http-version");
            assertThat(d.checks().get(0).lastSourceStatus()).isEqualTo("serving c0ffee1");
            assertThat(store.find(d.id()).orElseThrow().checks().get(0).ref())
                    .isEqualTo(VersionEndpointSource.ref(version, "c0ffee1"));
        }
    }

    @Test
    void aNewTrackerResumesTheStoredCheck() throws Exception {
        long id;
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(dir.resolve("h.db")); DeploymentTracker first = tracker(store)) {
            id = first.track(DeploymentRequest.builder("acme", "shop", "beef123").build(),
                    VersionEndpointSource.ref(version, "beef123")).id();
            awaitHits(2);
        }
        running.set("beef123");
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(dir.resolve("h.db")); DeploymentTracker second = tracker(store)) {
            assertThat(second.inFlight()).isEqualTo(1);
            Deployment d = second.awaitCompletion(id).get(10, TimeUnit.SECONDS);
            assertThat(d.status()).isEqualTo(DeploymentStatus.SUCCESS);
        }
    }

    @Test
    void aBadReferenceIsRefusedBeforeAnythingIsWritten() {
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(dir.resolve("h.db")); DeploymentTracker tracker = tracker(store)) {
            assertThatThrownBy(() -> tracker.track(DeploymentRequest.builder("acme", "shop", "beef123").build(),
                    CheckRef.of("http-version", "url", "ftp://x/version", "sha", "beef123")))
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("ftp://x/version");
            assertThat(tracker.history().list(io.deploytrack.core.HistoryQuery.all(10))).isEmpty();
        }
    }

    private void awaitHits(int n) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (hits.get() < n) {
            assertThat(System.nanoTime()).as("waiting for %d polls", n).isLessThan(deadline);
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }
}
