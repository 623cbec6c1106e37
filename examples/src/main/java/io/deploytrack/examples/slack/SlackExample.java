package io.deploytrack.examples.slack;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentHandle;
import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.Observation;
import io.deploytrack.core.testkit.ScriptedWatchingSource;
import io.deploytrack.jdbc.JdbcHistoryStore;
import io.deploytrack.notify.Delivery;
import io.deploytrack.notify.Notifier;
import io.deploytrack.notify.SlackChannel;
import io.deploytrack.notify.SlackTemplates;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Slack notifications with deploytrack-notify: {@code SLACK_WEBHOOK_URL=https://hooks.slack.com/services/... java ...
 * SlackExample} posts to your channel ({@code SLACK_LANGUAGE=ko} in Korean). Without the variable it posts to an
 * in-process stand-in for Slack and prints what that received.
 *
 * <p>The whole wiring is the {@link Notifier} below: a channel, the store, {@code start()}. Messages are delivered from
 * the event log, once per deployment end, retried with backoff without ever holding up tracking, and logged in
 * {@code deployment_notifications} ({@code deploytrack notifications} shows them).
 */
public final class SlackExample {
    private SlackExample() {
    }

    /** Tracks two scripted deployments (one succeeds, one fails) and announces both. */
    public static void main(String[] args) throws Exception {
        String url = System.getenv("SLACK_WEBHOOK_URL");
        boolean korean = "ko".equalsIgnoreCase(System.getenv("SLACK_LANGUAGE"));
        Path dir = Files.createTempDirectory("deploytrack-slack-example");
        if (url != null) {
            run(URI.create(url), korean, dir, System.out, Duration.ofSeconds(5));
            return;
        }
        try (MockWebServer standIn = new MockWebServer()) {
            standIn.enqueue(new MockResponse().setBody("ok"));
            standIn.enqueue(new MockResponse().setBody("ok"));
            standIn.start();
            run(standIn.url("/services/T000/B000/example").uri(), korean, dir, System.out, Duration.ofSeconds(5));
            for (int i = 0; i < 2; i++) {
                System.out.println("Slack received: " + standIn.takeRequest(10, TimeUnit.SECONDS).getBody().readUtf8());
            }
        }
    }

    /** Tracks and announces (retrying after {@code firstBackoff}, doubling); returns the delivery log. */
    static List<Delivery> run(URI webhook, boolean korean, Path dir, PrintStream out, Duration firstBackoff)
            throws Exception {
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(dir.resolve("deploytrack.db"))) {
            ScriptedWatchingSource source = ScriptedWatchingSource.of();
            try (Notifier notifier = Notifier.builder(store).backoff(firstBackoff, Duration.ofMinutes(5))
                    .channel(SlackChannel.builder(webhook)
                            .templates(korean ? SlackTemplates.KOREAN : SlackTemplates.ENGLISH).build())
                    .build().start();
                 DeploymentTracker tracker = DeploymentTracker.builder(store).discoverSources(false).source(source)
                         .build().start()) {
                Instant t0 = Instant.now().minusSeconds(60);
                DeploymentHandle web = tracker.track(DeploymentRequest.builder("acme", "web", "3f2c1a9").build(), source.ref("web"));
                DeploymentHandle api = tracker.track(DeploymentRequest.builder("acme", "api", "b7e01d4").build(), source.ref("api"));
                source.emit(source.ref("web"), Observation.succeeded("success").withTimes(t0, t0.plusSeconds(45)));
                source.emit(source.ref("api"), Observation.failed("fail", "stage 'build' failed").withTimes(t0, t0.plusSeconds(12)));
                Deployment w = web.completion().get(10, TimeUnit.SECONDS);
                Deployment a = api.completion().get(10, TimeUnit.SECONDS);
                out.println("tracked: #" + w.id() + " " + w.status().word() + ", #" + a.id() + " " + a.status().word());
                // a command-line tool waits for its deliveries before it exits; a service just keeps running
                boolean all = notifier.awaitDelivered(List.of(w.id(), a.id()), Duration.ofSeconds(30));
                out.println(all ? "announced both" : "some announcements are still pending (they stay queued)");
                return notifier.log().list(null, 10);
            }
        }
    }
}
