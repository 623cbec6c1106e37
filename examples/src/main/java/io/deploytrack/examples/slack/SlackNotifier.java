package io.deploytrack.examples.slack;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentEvent;
import io.deploytrack.core.DeploymentListener;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.HistoryStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Posts one message per finished deployment to a Slack incoming webhook: {@code "web: deployed abc1234 to production
 * in 45 s"}, or the failure with its stage and message.
 *
 * <p>It never blocks tracking: the post is asynchronous, retried with backoff on the JDK client's own threads. It
 * sends once per deployment even when {@code onCompleted} runs again (after a crash, the instance that takes the row
 * over repeats it): a {@code slack_notified} event in the deployment's log records each message sent.
 */
public final class SlackNotifier implements DeploymentListener {
    private static final Logger LOG = LoggerFactory.getLogger(SlackNotifier.class);
    static final String SENT_EVENT = "slack_notified";

    private final URI webhook;
    private final HistoryStore store;
    private final HttpClient http;
    private final int maxAttempts;
    private final Duration firstBackoff;
    private final Clock clock;
    private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();

    /**
     * A notifier posting to {@code webhook} (a secret: it is never logged), recording what it sent in {@code store}.
     */
    public SlackNotifier(URI webhook, HistoryStore store) {
        this(webhook, store, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), 5,
                Duration.ofSeconds(1), Clock.systemUTC());
    }

    /** A notifier with its retry policy spelled out. */
    public SlackNotifier(URI webhook, HistoryStore store, HttpClient http, int maxAttempts, Duration firstBackoff, Clock clock) {
        this.webhook = Objects.requireNonNull(webhook, "webhook");
        this.store = Objects.requireNonNull(store, "store");
        this.http = http;
        this.maxAttempts = maxAttempts;
        this.firstBackoff = firstBackoff;
        this.clock = clock;
    }

    /** The text posted for a finished deployment. */
    public static String message(Deployment d) {
        String who = d.repo() + ": ";
        if (d.status() == DeploymentStatus.SUCCESS) {
            long seconds = d.totalDuration() == null ? 0 : Math.round(d.totalDuration().toMillis() / 1000.0);
            return who + (d.rollback() ? "rolled back to " : "deployed ") + d.shortSha() + " to " + d.environment()
                    + " in " + seconds + " s";
        }
        return who + "deployment of " + d.shortSha() + " to " + d.environment() + " " + d.status().word()
                + (d.errorStage() == null ? "" : " at " + d.errorStage())
                + (d.errorMessage() == null ? "" : ": " + d.errorMessage());
    }

    /** Sends the message unless it was sent before; returns when the attempt is started, never when it ends. */
    @Override
    public void onCompleted(Deployment d) {
        send(d);
    }

    /** Sends (or skips) asynchronously; the future ends when the message is delivered, skipped, or given up on. */
    public CompletableFuture<Boolean> send(Deployment d) {
        if (!inFlight.add(d.id())) {
            return CompletableFuture.completedFuture(false);
        }
        boolean sent = store.events(d.id()).stream().anyMatch(e -> SENT_EVENT.equals(e.type()));
        if (sent) {
            inFlight.remove(d.id());
            return CompletableFuture.completedFuture(false);
        }
        String body = "{\"text\":" + json(message(d)) + "}";
        return attempt(d, body, 1).whenComplete((ok, e) -> inFlight.remove(d.id()));
    }

    private CompletableFuture<Boolean> attempt(Deployment d, String body, int n) {
        HttpRequest req = HttpRequest.newBuilder(webhook).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.sendAsync(req, HttpResponse.BodyHandlers.discarding()).handle((resp, err) -> {
            if (err == null && resp.statusCode() / 100 == 2) {
                store.appendEvent(DeploymentEvent.of(d.id(), clock.instant(), SENT_EVENT, null, null, null, null, "slack"));
                return CompletableFuture.completedFuture(true);
            }
            String why = err != null ? err.getClass().getSimpleName() : "HTTP " + resp.statusCode();
            boolean retryable = err != null || resp.statusCode() >= 500 || resp.statusCode() == 429;
            if (!retryable || n >= maxAttempts) {
                LOG.warn("slack_notification_failed deployment_id={} attempts={} error={}", d.id(), n, why);
                return CompletableFuture.completedFuture(false);
            }
            long delay = firstBackoff.toMillis() << (n - 1);
            LOG.info("slack_notification_retry deployment_id={} attempt={} retry_in_ms={} error={}", d.id(), n, delay, why);
            return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS))
                    .thenCompose(x -> attempt(d, body, n + 1));
        }).thenCompose(f -> f);
    }

    static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    @Override
    public String toString() {
        return "SlackNotifier[webhook=" + webhook.getHost() + "/***]";
    }
}
