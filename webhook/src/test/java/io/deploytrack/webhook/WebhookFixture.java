package io.deploytrack.webhook;

import io.deploytrack.core.support.CallbackSignature;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentEvent;
import io.deploytrack.core.DeploymentListener;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.HistoryQuery;
import io.deploytrack.core.HistoryStore;
import io.deploytrack.core.StatusSource;
import io.deploytrack.core.testkit.ManualClock;
import io.deploytrack.core.testkit.ManualScheduler;
import io.deploytrack.webhook.internal.GithubSignature;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Real HTTP requests to a {@link WebhookServer}, signed as a sender signs them, and a snapshot of a store. */
final class WebhookFixture {
    static final String SECRET = "s3cr3t-for-tests-only";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private WebhookFixture() {
    }

    /**
     * A started tracker on the manual {@code clock} and {@code scheduler} over {@code store}: {@code ncp} polled every
     * 5 s without jitter, {@code webhook} its push source, a 30 s lease; {@code completions} counts the ends.
     */
    static DeploymentTracker countingTracker(HistoryStore store, ManualClock clock, ManualScheduler scheduler,
                                             StatusSource ncp, WebhookPushSource webhook, AtomicInteger completions) {
        return DeploymentTracker.builder(store).clock(clock).scheduler(scheduler).executor(scheduler)
                .discoverSources(false).pollInterval(Duration.ofSeconds(5)).pollJitter(0)
                .leaseDuration(Duration.ofSeconds(30)).source(ncp).source(webhook)
                .listener(new DeploymentListener() {
                    @Override
                    public void onCompleted(Deployment d) {
                        completions.incrementAndGet();
                    }
                }).build().start();
    }

    static URI url(WebhookServer server) {
        return URI.create("http://127.0.0.1:" + server.port() + server.path());
    }

    /** A deploytrack callback signed with {@code secret} at {@code signedAt}. */
    static HttpResponse<String> callback(WebhookServer server, String secret, Instant signedAt, String delivery,
                                         String body) throws IOException, InterruptedException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        long ts = signedAt.getEpochSecond();
        HttpRequest req = HttpRequest.newBuilder(url(server)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header(CallbackSignature.DELIVERY_HEADER, delivery)
                .header(CallbackSignature.TIMESTAMP_HEADER, Long.toString(ts))
                .header(CallbackSignature.SIGNATURE_HEADER, CallbackSignature.sign(secret, ts, bytes))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
        return HTTP.send(req, HttpResponse.BodyHandlers.ofString());
    }

    /** A GitHub delivery signed with {@code secret} as GitHub signs it. */
    static HttpResponse<String> github(WebhookServer server, String secret, String event, String delivery, String body)
            throws IOException, InterruptedException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpRequest req = HttpRequest.newBuilder(url(server)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("User-Agent", "GitHub-Hookshot/test")
                .header("X-GitHub-Event", event)
                .header("X-GitHub-Delivery", delivery)
                .header("X-Hub-Signature-256", GithubSignature.sign(secret, bytes))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
        return HTTP.send(req, HttpResponse.BodyHandlers.ofString());
    }

    /** deploytrack's callback body. */
    static String callbackBody(String refJson, String status, String extra) {
        return "{\"ref\": " + refJson + ", \"status\": \"" + status + "\"" + (extra == null ? "" : ", " + extra) + "}";
    }

    /**
     * A GitHub {@code deployment_status} event as GitHub documents it (action, deployment_status, deployment,
     * repository, sender), trimmed of URLs that play no part here.
     */
    static String githubDeploymentStatus(long deploymentId, String state, String description) {
        return """
                {
                  "action": "created",
                  "deployment_status": {
                    "url": "https://api.github.com/repos/acme/web/deployments/%1$d/statuses/9001",
                    "id": 9001,
                    "node_id": "DES_kwDOAAAAAc4AAAAB",
                    "state": "%2$s",
                    "creator": {"login": "deploy-bot", "id": 42, "type": "Bot"},
                    "description": "%3$s",
                    "environment": "production",
                    "target_url": "",
                    "log_url": "https://ci.example.com/run/7",
                    "created_at": "2026-03-01T10:01:30Z",
                    "updated_at": "2026-03-01T10:01:30Z",
                    "deployment_url": "https://api.github.com/repos/acme/web/deployments/%1$d",
                    "repository_url": "https://api.github.com/repos/acme/web"
                  },
                  "deployment": {
                    "url": "https://api.github.com/repos/acme/web/deployments/%1$d",
                    "id": %1$d,
                    "node_id": "DE_kwDOAAAAAc4AAAAB",
                    "sha": "abc1234def5678abc1234def5678abc1234def56",
                    "ref": "main",
                    "task": "deploy",
                    "payload": {},
                    "original_environment": "production",
                    "environment": "production",
                    "description": null,
                    "creator": {"login": "deploy-bot", "id": 42, "type": "Bot"},
                    "created_at": "2026-03-01T10:00:00Z",
                    "updated_at": "2026-03-01T10:01:30Z",
                    "statuses_url": "https://api.github.com/repos/acme/web/deployments/%1$d/statuses",
                    "repository_url": "https://api.github.com/repos/acme/web",
                    "transient_environment": false,
                    "production_environment": true
                  },
                  "repository": {"id": 1296269, "name": "web", "full_name": "acme/web", "private": true},
                  "sender": {"login": "deploy-bot", "id": 42, "type": "Bot"}
                }
                """.formatted(deploymentId, state, description);
    }

    /** Everything a refusal must leave unchanged: every row with its checks, and every event. */
    static List<Object> snapshot(HistoryStore store) {
        List<Object> out = new ArrayList<>();
        for (Deployment d : store.list(HistoryQuery.all(1000))) {
            out.add(d);
            List<DeploymentEvent> events = store.events(d.id());
            out.addAll(events);
        }
        return out;
    }
}
