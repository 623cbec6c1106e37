package io.deploytrack.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.Observation;
import io.deploytrack.core.testkit.ScriptedWatchingSource;
import io.deploytrack.jdbc.JdbcHistoryStore;
import io.deploytrack.notify.Notifier;
import io.deploytrack.notify.SlackChannel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The notification counters, from a real Notifier delivering to a Slack stand-in over HTTP from a SQLite store. */
class NotificationMetricsTest {

    @TempDir
    Path dir;

    @Test
    void countsDeliveredAndGivenUpDeliveriesByChannel() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (MockWebServer slack = new MockWebServer();
             JdbcHistoryStore store = JdbcHistoryStore.sqlite(dir.resolve("history.db"))) {
            slack.enqueue(new MockResponse().setBody("ok"));
            slack.enqueue(new MockResponse().setResponseCode(400).setBody("invalid_payload")); // permanent: given up at once
            slack.start();
            ScriptedWatchingSource source = ScriptedWatchingSource.of();
            try (Notifier notifier = Notifier.builder(store)
                    .channel(SlackChannel.builder(slack.url("/services/T0/B0/x").uri()).name("ops-slack").build())
                    .listener(NotificationMetrics.of(registry)).build();
                 DeploymentTracker tracker = DeploymentTracker.builder(store).discoverSources(false).source(source)
                         .build().start()) {
                notifier.ensureRegistered();
                for (String sha : List.of("aaaaaaa", "bbbbbbb")) {
                    var handle = tracker.track(DeploymentRequest.builder("acme", "web", sha).build(), source.ref(sha));
                    source.emit(source.ref(sha), Observation.succeeded("success"));
                    Deployment d = handle.completion().get(20, TimeUnit.SECONDS);
                    notifier.awaitDelivered(List.of(d.id()), Duration.ofSeconds(20));
                }
            }
        }
        assertThat(registry.get(DeploytrackMeterNames.NOTIFICATIONS_DELIVERED).tag("channel", "ops-slack").counter().count())
                .isEqualTo(1.0);
        assertThat(registry.get(DeploytrackMeterNames.NOTIFICATIONS_FAILED).tag("channel", "ops-slack").counter().count())
                .isEqualTo(1.0);
    }
}
