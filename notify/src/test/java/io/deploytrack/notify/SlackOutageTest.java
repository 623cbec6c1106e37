package io.deploytrack.notify;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.Observation;
import io.deploytrack.core.testkit.ManualClock;
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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slack down for a minute of a manual clock (503), then 429 with Retry-After, then up: one message delivered, every
 * attempt recorded, the backoff and the Retry-After kept, and tracking never waited for any of it.
 */
class SlackOutageTest {
    @TempDir
    Path dir;

    @Test
    void anOutageThenA429AreRetriedUntilOneMessageIsDelivered() throws Exception {
        Instant t0 = Instant.parse("2026-03-01T12:00:00Z");
        ManualClock clock = ManualClock.of(t0);
        List<Instant> attemptsAt = new CopyOnWriteArrayList<>();
        List<Integer> answers = new CopyOnWriteArrayList<>();
        List<Instant> webAt = new CopyOnWriteArrayList<>();
        List<Integer> webAnswers = new CopyOnWriteArrayList<>();
        AtomicBoolean tooManySent = new AtomicBoolean();
        try (MockWebServer slack = new MockWebServer();
             JdbcHistoryStore store = JdbcHistoryStore.sqlite(dir.resolve("history.db"))) {
            slack.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest r) {
                    Instant now = clock.instant();
                    attemptsAt.add(now);
                    MockResponse answer;
                    if (now.isBefore(t0.plusSeconds(60))) {
                        answer = new MockResponse().setResponseCode(503).setBody("service unavailable");
                    } else if (tooManySent.compareAndSet(false, true)) {
                        answer = new MockResponse().setResponseCode(429).setHeader("Retry-After", "30")
                                .setBody("rate_limited");
                    } else {
                        answer = new MockResponse().setBody("ok");
                    }
                    int code = answer.getStatus().contains("503") ? 503 : answer.getStatus().contains("429") ? 429 : 200;
                    answers.add(code);
                    if (r.getBody().readUtf8().contains("acme/web")) {
                        webAt.add(now);
                        webAnswers.add(code);
                    }
                    return answer;
                }
            });
            slack.start();
            SlackChannel channel = SlackChannel.builder(slack.url("/services/T0/B0/x").uri()).clock(clock).build();
            List<DeliveryStatus> outcomes = new CopyOnWriteArrayList<>();
            try (Notifier notifier = Notifier.builder(store).channel(channel).clock(clock).jitter(0)
                    .listener((ch, id, deployment, status, attempts, error) -> outcomes.add(status))
                    .backoff(Duration.ofSeconds(1), Duration.ofSeconds(20)).maxAttempts(20).build()) {
                notifier.ensureRegistered();
                Deployment first;
                Deployment second;
                try (Tracked t = new Tracked(store)) {
                    first = t.run(DeploymentRequest.builder("acme", "web", "3f2c1a9").build(), Observation.succeeded("success"), 45);
                    notifier.runOnce().get();
                    assertThat(answers).containsExactly(503);
                    // tracking goes on while Slack is down: the next deployment ends without waiting for any delivery
                    second = t.run(DeploymentRequest.builder("acme", "api", "aaaaaaa").build(),
                            Observation.failed("fail", "boom"), 3);
                }
                assertThat(second.status().word()).isEqualTo("failed");
                for (int s = 0; s < 200 && notifier.log().list(DeliveryStatus.PENDING, 10).size() > 0; s++) {
                    clock.advance(Duration.ofSeconds(1));
                    notifier.runOnce().get();
                }
                List<Delivery> log = notifier.log().list(null, 10);
                assertThat(log).hasSize(2).allSatisfy(d -> assertThat(d.status()).isEqualTo(DeliveryStatus.DELIVERED));
                assertThat(log.stream().mapToInt(Delivery::attempts).sum()).isEqualTo(attemptsAt.size());
                assertThat(answers.stream().filter(a -> a == 200).count()).as("one message per deployment").isEqualTo(2);
                assertThat(answers.stream().filter(a -> a == 429).count()).isEqualTo(1);
                assertThat(outcomes).hasSize(attemptsAt.size()).filteredOn(o -> o == DeliveryStatus.DELIVERED).hasSize(2);
                assertThat(outcomes).doesNotContain(DeliveryStatus.FAILED);
                Delivery firstDelivery = log.stream().filter(d -> d.deploymentId() == first.id()).findFirst().orElseThrow();
                assertThat(firstDelivery.lastError()).contains("429");
                // acme/web's attempts: exponential backoff (1, 2, 4, 8, 16, then capped at 20 s) while Slack answered
                // 503, then the 429, then success exactly Retry-After (30 s) later, not sooner
                List<Long> offsets = webAt.stream().map(a -> Duration.between(t0, a).toSeconds()).toList();
                assertThat(offsets).containsExactly(0L, 1L, 3L, 7L, 15L, 31L, 51L, 71L, 101L);
                assertThat(webAnswers).containsExactly(503, 503, 503, 503, 503, 503, 503, 429, 200);
                assertThat(firstDelivery.attempts()).isEqualTo(9);
            }
        }
    }
}
