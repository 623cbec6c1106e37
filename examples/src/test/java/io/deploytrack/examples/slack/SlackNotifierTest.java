package io.deploytrack.examples.slack;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.InMemoryHistoryStore;
import io.deploytrack.core.Observation;
import io.deploytrack.core.testkit.ScriptedSource;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class SlackNotifierTest {
    private MockWebServer slack;
    private final InMemoryHistoryStore store = new InMemoryHistoryStore();

    @BeforeEach
    void start() throws Exception {
        slack = new MockWebServer();
        slack.start();
    }

    @AfterEach
    void stop() throws Exception {
        slack.shutdown();
    }

    private SlackNotifier notifier() {
        return new SlackNotifier(slack.url("/services/T000/B000/secret-token").uri(), store, HttpClient.newHttpClient(), 4,
                Duration.ofMillis(20), Clock.systemUTC());
    }

    @Test
    void exactlyOneMessagePerDeploymentEvenWhenCalledAgainAfterARestart() throws Exception {
        slack.enqueue(new MockResponse().setResponseCode(503));
        slack.enqueue(new MockResponse().setResponseCode(200).setBody("ok"));
        slack.enqueue(new MockResponse().setResponseCode(200).setBody("ok"));
        ScriptedSource source = new ScriptedSource();
        SlackNotifier notifier = notifier();
        Deployment done;
        try (DeploymentTracker tracker = DeploymentTracker.builder(store).source(source).listener(notifier).build().start()) {
            var h = tracker.track(DeploymentRequest.builder("acme", "test01", "abc1234def").build(), source.ref("r"));
            source.emit(source.ref("r"), Observation.succeeded("success")
                    .withTimes(Instant.parse("2026-01-01T10:00:00Z"), Instant.parse("2026-01-01T10:00:45Z")));
            done = h.completion().get(10, TimeUnit.SECONDS);
        }
        RecordedRequest first = slack.takeRequest(10, TimeUnit.SECONDS);
        RecordedRequest retried = slack.takeRequest(10, TimeUnit.SECONDS);
        assertThat(first).isNotNull();
        assertThat(retried.getBody().readUtf8()).isEqualTo("{\"text\":\"test01: deployed abc1234 to production in 45 s\"}");
        awaitSentEvent(done.id());
        // a restarted process repeats onCompleted: nothing more is posted
        assertThat(notifier().send(done).get(10, TimeUnit.SECONDS)).isFalse();
        notifier().onCompleted(done);
        assertThat(slack.takeRequest(300, TimeUnit.MILLISECONDS)).isNull();
        assertThat(slack.getRequestCount()).isEqualTo(2);
        assertThat(notifier().toString()).doesNotContain("secret-token");
    }

    @Test
    void aFailureNamesItsStageAndMessage() throws Exception {
        slack.enqueue(new MockResponse().setResponseCode(200));
        ScriptedSource source = new ScriptedSource();
        try (DeploymentTracker tracker = DeploymentTracker.builder(store).source(source).listener(notifier()).build().start()) {
            var h = tracker.track(DeploymentRequest.builder("acme", "test01", "abc1234").build(), source.ref("r"));
            source.emit(source.ref("r"), Observation.failed("fail", "NCP status fail"));
            assertThat(h.completion().get(10, TimeUnit.SECONDS).status()).isEqualTo(DeploymentStatus.FAILED);
        }
        RecordedRequest req = slack.takeRequest(10, TimeUnit.SECONDS);
        assertThat(req.getBody().readUtf8())
                .isEqualTo("{\"text\":\"test01: deployment of abc1234 to production failed at scripted: NCP status fail\"}");
    }

    private void awaitSentEvent(long id) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (store.events(id).stream().noneMatch(e -> e.type().equals(SlackNotifier.SENT_EVENT))) {
            assertThat(System.nanoTime()).as("the sent event is recorded").isLessThan(deadline);
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }
}
