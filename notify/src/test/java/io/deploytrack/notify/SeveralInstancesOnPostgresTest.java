package io.deploytrack.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.deploytrack.core.support.CallbackSignature;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.jdbc.JdbcHistoryStore;
import io.deploytrack.jdbc.PostgresDatabase;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three instances on one PostgreSQL deliver 300 deployments' notifications to two channels while the deployments are
 * being written: every event reaches each channel's receiver once, none twice (counted at the MockWebServer).
 */
class SeveralInstancesOnPostgresTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DeploymentStatus[] ENDS = {DeploymentStatus.SUCCESS, DeploymentStatus.FAILED,
            DeploymentStatus.CANCELLED, DeploymentStatus.TIMED_OUT};

    @RegisterExtension
    final PostgresDatabase pg = new PostgresDatabase();

    @Test
    void threeInstancesDeliverEveryTransitionOncePerChannel() throws Exception {
        Map<String, AtomicInteger> slackTexts = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> webhookIds = new ConcurrentHashMap<>();
        AtomicInteger unsigned = new AtomicInteger();
        WebhookVerifier verifier = WebhookVerifier.of("shared-secret");
        List<JdbcHistoryStore> stores = new ArrayList<>();
        List<Notifier> notifiers = new ArrayList<>();
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest r) {
                    byte[] body = r.getBody().readByteArray();
                    try {
                        if (r.getPath().equals("/slack")) {
                            String text = JSON.readTree(body).get("text").asText();
                            slackTexts.computeIfAbsent(text, k -> new AtomicInteger()).incrementAndGet();
                        } else {
                            if (!verifier.isValid(r::getHeader, body)) {
                                unsigned.incrementAndGet();
                            }
                            webhookIds.computeIfAbsent(r.getHeader(CallbackSignature.DELIVERY_HEADER),
                                    k -> new AtomicInteger()).incrementAndGet();
                        }
                    } catch (java.io.IOException e) {
                        return new MockResponse().setResponseCode(400);
                    }
                    return new MockResponse().setBody("ok");
                }
            });
            server.start();
            for (int i = 0; i < 3; i++) {
                JdbcHistoryStore store = JdbcHistoryStore.builder().dataSource(pg.hikari("instance-" + i, 4)).build();
                stores.add(store);
                notifiers.add(Notifier.builder(store).instanceId("instance-" + i).pollInterval(Duration.ofMillis(100))
                        .channel(SlackChannel.builder(server.url("/slack").uri()).build())
                        .channel(WebhookChannel.builder(server.url("/hook").uri(), "shared-secret").build())
                        .build().start());
            }
            notifiers.forEach(Notifier::ensureRegistered);

            // 300 deployments start and end, written by the three instances at once
            ExecutorService writers = Executors.newFixedThreadPool(3);
            List<Future<List<Long>>> written = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                int writer = w;
                written.add(writers.submit(() -> {
                    List<Long> ids = new ArrayList<>();
                    for (int i = writer; i < 300; i += 3) {
                        Instant at = Instant.parse("2026-03-01T10:00:00Z").plusSeconds(i);
                        Deployment d = Rows.started(stores.get(writer), "acme", "svc-" + i, String.format("%07x", 0xa000000 + i), at);
                        Rows.end(stores.get(writer), d, ENDS[i % ENDS.length], at.plusSeconds(30 + i % 7));
                        ids.add(d.id());
                    }
                    return ids;
                }));
            }
            List<Long> ids = new ArrayList<>();
            for (Future<List<Long>> f : written) {
                ids.addAll(f.get(60, TimeUnit.SECONDS));
            }
            writers.shutdown();
            assertThat(ids).hasSize(300).doesNotHaveDuplicates();

            NotificationLog log = NotificationLog.of(stores.get(0));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (log.list(DeliveryStatus.DELIVERED, 2000).size() < 900 && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
            // a few more rounds of every instance: nothing is sent again
            for (Notifier n : notifiers) {
                n.runOnce().get(30, TimeUnit.SECONDS);
                n.runOnce().get(30, TimeUnit.SECONDS);
            }
            List<Delivery> all = log.list(null, 2000);
            assertThat(all).hasSize(900).allSatisfy(d -> {
                assertThat(d.status()).isEqualTo(DeliveryStatus.DELIVERED);
                assertThat(d.attempts()).isEqualTo(1);
            });
            assertThat(all.stream().filter(d -> d.channel().equals("slack")).count()).isEqualTo(300);
            assertThat(all.stream().filter(d -> d.channel().equals("webhook")).count()).isEqualTo(600);
        } finally {
            notifiers.forEach(Notifier::close);
            stores.forEach(JdbcHistoryStore::close);
        }
        // counted at the receiver: 300 ends to Slack (one text per deployment), 300 starts and 300 ends to the webhook
        assertThat(slackTexts).hasSize(300).allSatisfy((text, n) -> assertThat(n.get()).as(text).isEqualTo(1));
        assertThat(webhookIds).hasSize(600).allSatisfy((id, n) -> assertThat(n.get()).as("delivery " + id).isEqualTo(1));
        assertThat(unsigned.get()).isZero();
    }
}
