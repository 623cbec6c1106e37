package io.deploytrack.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.deploytrack.core.support.CallbackSignature;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.jdbc.JdbcHistoryStore;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A child JVM delivering from a SQLite file is killed with SIGKILL while one delivery has reached the receiver but its
 * answer has not come back (so it is sent, not recorded) and others are still pending. Another process finishes them:
 * each event is delivered once, except that one, whose repeat carries the same CloudEvents id.
 */
class CrashSafetyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "crash-secret";

    @TempDir
    Path dir;

    @Test
    void aKilledProcessLeavesNothingUndeliveredAndRepeatsOnlyTheOneInFlight() throws Exception {
        Path db = dir.resolve("history.db");
        Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
        List<String> cloudEventIds = new CopyOnWriteArrayList<>();
        CountDownLatch inFlightArrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger distinct = new AtomicInteger();
        try (MockWebServer server = new MockWebServer(); JdbcHistoryStore store = JdbcHistoryStore.sqlite(db)) {
            server.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest r) throws InterruptedException {
                    String id = r.getHeader(CallbackSignature.DELIVERY_HEADER);
                    byte[] body = r.getBody().readByteArray();
                    try {
                        cloudEventIds.add(id + "=" + JSON.readTree(body).get("id").asText());
                    } catch (java.io.IOException e) {
                        return new MockResponse().setResponseCode(400);
                    }
                    boolean first = received.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet() == 1;
                    if (first && distinct.incrementAndGet() == 3) {
                        // the third delivery reaches us; its answer waits until the sender has been killed
                        inFlightArrived.countDown();
                        release.await(60, TimeUnit.SECONDS);
                    }
                    return new MockResponse().setBody("ok");
                }
            });
            server.start();
            String url = server.url("/hook").toString();
            NotificationChannel channel = WebhookChannel.builder(server.url("/hook").uri(), SECRET).endsOnly().build();
            try (Notifier registering = Notifier.builder(store).channel(channel).build()) {
                registering.ensureRegistered();
            }
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                Instant at = Instant.parse("2026-03-01T10:00:00Z").plusSeconds(60L * i);
                Deployment d = Rows.started(store, "acme", "web", "abcdef" + i, at);
                ids.add(Rows.end(store, d, DeploymentStatus.SUCCESS, at.plusSeconds(40)).id());
            }

            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-cp", System.getProperty("java.class.path"), NotifyChild.class.getName(), db.toString(), url, SECRET)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
            try {
                assertThat(inFlightArrived.await(60, TimeUnit.SECONDS)).as("the child sent its third delivery").isTrue();
                NotificationLog log = NotificationLog.of(store);
                assertThat(log.list(DeliveryStatus.DELIVERED, 10)).hasSize(2);
                assertThat(log.list(DeliveryStatus.PENDING, 10)).hasSize(3);
                child.destroyForcibly(); // SIGKILL
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(child.exitValue()).isEqualTo(137);
            } finally {
                child.destroyForcibly();
                release.countDown();
            }

            // this process takes over once the dead child's lease (2 s) has expired
            try (Notifier survivor = Notifier.builder(store).channel(channel).pollInterval(Duration.ofMillis(100)).build()) {
                assertThat(survivor.awaitDelivered(ids, Duration.ofSeconds(60))).isTrue();
            }
            List<Delivery> all = NotificationLog.of(store).list(null, 10);
            assertThat(all).hasSize(5).allSatisfy(d -> {
                assertThat(d.status()).isEqualTo(DeliveryStatus.DELIVERED);
                // the interrupted attempt was never recorded: each row counts one attempt
                assertThat(d.attempts()).isEqualTo(1);
            });
        }
        assertThat(received).hasSize(5);
        assertThat(received.values().stream().filter(n -> n.get() == 2).count()).as("the one in flight, repeated").isEqualTo(1);
        assertThat(received.values().stream().filter(n -> n.get() == 1).count()).isEqualTo(4);
        // the repeat carries the same CloudEvents id as the first send (the header and the body agree on it)
        assertThat(cloudEventIds).hasSize(6).allSatisfy(pair -> {
            String[] p = pair.split("=");
            assertThat(p[0]).isEqualTo(p[1]);
        });
    }
}
