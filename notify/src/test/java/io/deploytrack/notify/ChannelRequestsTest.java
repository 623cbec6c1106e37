package io.deploytrack.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deploytrack.core.support.CallbackSignature;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentEvent;
import io.deploytrack.core.DeploymentHandle;
import io.deploytrack.core.DeploymentHistory;
import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.DeploymentUpdate;
import io.deploytrack.core.Observation;
import io.deploytrack.jdbc.JdbcHistoryStore;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Each channel's exact requests, from deployments tracked by the real tracker into a real SQLite file. */
class ChannelRequestsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "s3cret-for-tests";

    @TempDir
    Path dir;
    private MockWebServer server;
    private JdbcHistoryStore store;

    @BeforeEach
    void open() throws Exception {
        server = new MockWebServer();
        server.start();
        store = JdbcHistoryStore.sqlite(dir.resolve("history.db"));
    }

    @AfterEach
    void close() throws Exception {
        store.close();
        server.shutdown();
    }

    private Notifier notifier(NotificationChannel channel) {
        Notifier n = Notifier.builder(store).channel(channel).backoff(Duration.ofMillis(50), Duration.ofMillis(200)).build();
        n.ensureRegistered();
        return n;
    }

    private List<RecordedRequest> take(int n) throws InterruptedException {
        List<RecordedRequest> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            RecordedRequest r = server.takeRequest(10, TimeUnit.SECONDS);
            assertThat(r).as("request " + (i + 1) + " of " + n).isNotNull();
            out.add(r);
        }
        return out;
    }

    @Test
    void slackPostsOneTextPerEndAndStartsWhenAsked() throws Exception {
        for (int i = 0; i < 4; i++) {
            server.enqueue(new MockResponse().setBody("ok"));
        }
        SlackChannel slack = SlackChannel.builder(server.url("/services/T0/B0/secret-path").uri()).startedMessages(true).build();
        try (Notifier notifier = notifier(slack); Tracked t = new Tracked(store)) {
            Deployment ok = t.run(DeploymentRequest.builder("acme", "web", "3f2c1a9e").build(), Observation.succeeded("success"), 45);
            Deployment failed = t.run(DeploymentRequest.builder("acme", "api", "bbbbbbb").environment("staging").build(),
                    Observation.failed("fail", "stage 2 (build) failed"), 125);
            // rollbacks say so; starts come before their ends
            assertThat(notifier.awaitDelivered(List.of(ok.id(), failed.id()), Duration.ofSeconds(20))).isTrue();
            List<String> texts = new ArrayList<>();
            for (RecordedRequest r : take(4)) {
                assertThat(r.getMethod()).isEqualTo("POST");
                assertThat(r.getPath()).isEqualTo("/services/T0/B0/secret-path");
                assertThat(r.getHeader("Content-Type")).startsWith("application/json");
                texts.add(JSON.readTree(r.getBody().readUtf8()).get("text").asText());
            }
            assertThat(texts).containsExactlyInAnyOrder(
                    "acme/web: deploying 3f2c1a9 to production",
                    "acme/web deployed to production in 45 s",
                    "acme/api: deploying bbbbbbb to staging",
                    "acme/api deployment of bbbbbbb to staging failed after 2 min 5 s: scripted: stage 2 (build) failed");
            // a deployment's start goes out before its end (deliveries of different deployments run in parallel)
            assertThat(texts.indexOf("acme/web: deploying 3f2c1a9 to production"))
                    .isLessThan(texts.indexOf("acme/web deployed to production in 45 s"));
            assertThat(texts.indexOf("acme/api: deploying bbbbbbb to staging")).isLessThan(texts.indexOf(
                    "acme/api deployment of bbbbbbb to staging failed after 2 min 5 s: scripted: stage 2 (build) failed"));
            assertThat(notifier.log().list(DeliveryStatus.DELIVERED, 10)).hasSize(4)
                    .allSatisfy(d -> assertThat(d.attempts()).isEqualTo(1));
        }
        assertThat(slack.toString()).doesNotContain("secret-path");
    }

    @Test
    void slackSpeaksKoreanAndNamesRollbacks() throws Exception {
        server.enqueue(new MockResponse().setBody("ok"));
        server.enqueue(new MockResponse().setBody("ok"));
        SlackChannel slack = SlackChannel.builder(server.url("/hook").uri()).templates(SlackTemplates.KOREAN).build();
        try (Notifier notifier = notifier(slack); Tracked t = new Tracked(store)) {
            Deployment ok = t.run(DeploymentRequest.builder("acme", "web", "3f2c1a9").build(), Observation.succeeded("success"), 45);
            Deployment back = t.run(DeploymentRequest.builder("acme", "web", "1111111").rollback(true).build(),
                    Observation.succeeded("success"), 30);
            assertThat(notifier.awaitDelivered(List.of(ok.id(), back.id()), Duration.ofSeconds(20))).isTrue();
        }
        List<String> texts = new ArrayList<>();
        for (RecordedRequest r : take(2)) {
            texts.add(JSON.readTree(r.getBody().readUtf8()).get("text").asText());
        }
        assertThat(texts).containsExactlyInAnyOrder("acme/web 배포 완료 (45초 소요)",
                "acme/web production 롤백 완료 (1111111, 30초 소요)");
    }

    @Test
    void signedWebhookSendsCloudEventsWithAVerifiableSignature() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(202));
        server.enqueue(new MockResponse().setResponseCode(202));
        WebhookChannel webhook = WebhookChannel.builder(server.url("/deploys").uri(), SECRET).build();
        Deployment done;
        try (Notifier notifier = notifier(webhook); Tracked t = new Tracked(store)) {
            done = t.run(DeploymentRequest.builder("acme", "web", "3f2c1a9e").environment("production").build(),
                    Observation.failed("fail", "health check failed"), 61);
            assertThat(notifier.awaitDelivered(List.of(done.id()), Duration.ofSeconds(20))).isTrue();
        }
        List<DeploymentEvent> events = store.events(done.id());
        long startedId = events.stream().filter(e -> e.type().equals("started")).findFirst().orElseThrow().id();
        long completedId = events.stream().filter(e -> e.type().equals("completed")).findFirst().orElseThrow().id();
        List<RecordedRequest> rs = take(2);
        WebhookVerifier verifier = WebhookVerifier.of(SECRET);
        String[] types = {"io.deploytrack.deployment.started", "io.deploytrack.deployment.failed"};
        long[] ids = {startedId, completedId};
        for (int i = 0; i < 2; i++) {
            RecordedRequest r = rs.get(i);
            byte[] body = r.getBody().readByteArray();
            assertThat(r.getHeader("Content-Type")).startsWith("application/cloudevents+json");
            assertThat(r.getHeader(CallbackSignature.DELIVERY_HEADER)).isEqualTo(String.valueOf(ids[i]));
            long ts = Long.parseLong(r.getHeader(CallbackSignature.TIMESTAMP_HEADER));
            assertThat(Math.abs(ts - Instant.now().getEpochSecond())).isLessThan(120);
            assertThat(r.getHeader(CallbackSignature.SIGNATURE_HEADER))
                    .isEqualTo(CallbackSignature.sign(SECRET, ts, body)).matches("sha256=[0-9a-f]{64}");
            assertThat(verifier.verify(r::getHeader, body)).isEqualTo(CallbackSignature.Verdict.VALID);
            assertThat(WebhookVerifier.of("another-secret").verify(r::getHeader, body))
                    .isEqualTo(CallbackSignature.Verdict.MISMATCH);
            byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("acme", "evil").getBytes(StandardCharsets.UTF_8);
            assertThat(verifier.isValid(r::getHeader, tampered)).isFalse();
            JsonNode e = JSON.readTree(body);
            assertThat(e.get("specversion").asText()).isEqualTo("1.0");
            assertThat(e.get("id").asText()).isEqualTo(String.valueOf(ids[i]));
            assertThat(e.get("type").asText()).isEqualTo(types[i]);
            assertThat(e.get("source").asText()).isEqualTo("/deploytrack");
            assertThat(e.get("subject").asText()).isEqualTo("acme/web");
            assertThat(e.get("datacontenttype").asText()).isEqualTo("application/json");
            JsonNode data = e.get("data");
            assertThat(data.get("id").asLong()).isEqualTo(done.id());
            assertThat(data.get("owner").asText()).isEqualTo("acme");
            assertThat(data.get("repo").asText()).isEqualTo("web");
            assertThat(data.get("commitSha").asText()).isEqualTo("3f2c1a9e");
            assertThat(data.get("status").asText()).isEqualTo("failed");
            assertThat(data.get("totalDurationSeconds").asLong()).isEqualTo(61);
            assertThat(data.get("errorStage").asText()).isEqualTo("scripted");
            assertThat(data.get("errorMessage").asText()).contains("health check failed");
            assertThat(data.fieldNames()).toIterable().contains("id", "owner", "repo", "environment", "commitSha",
                    "rollback", "status", "startedAt", "deployedAt", "completedAt", "totalDurationSeconds", "errorStage",
                    "errorMessage");
        }
        assertThat(webhook.toString()).doesNotContain(SECRET);
    }

    @Test
    void gitHubCreatesTheDeploymentThenPostsItsStatusesInOrder() throws Exception {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                if (r.getPath().equals("/api/v3/repos/acme/web/deployments")) {
                    return new MockResponse().setResponseCode(201).setBody("{\"id\": 4242, \"sha\": \"3f2c1a9e\"}");
                }
                if (r.getPath().equals("/api/v3/repos/acme/web/deployments/4242/statuses")) {
                    return new MockResponse().setResponseCode(201).setBody("{\"id\": 1}");
                }
                return new MockResponse().setResponseCode(404);
            }
        });
        GitHubChannel github = GitHubChannel.builder("ghp_testtoken").apiUrl(server.url("/api/v3/").uri()).build();
        Deployment done;
        Deployment cancelled;
        try (Notifier notifier = notifier(github); Tracked t = new Tracked(store)) {
            done = t.run(DeploymentRequest.builder("acme", "web", "3f2c1a9e").environment("production").build(),
                    Observation.succeeded("success"), 45);
            assertThat(notifier.awaitDelivered(List.of(done.id()), Duration.ofSeconds(20))).isTrue();
            // an operator ends another one by hand: its status goes to a GitHub deployment created for it then
            DeploymentHandle h = t.start(DeploymentRequest.builder("acme", "web", "cccccccc").environment("staging").build(), "x");
            assertThat(notifier.awaitDelivered(List.of(h.id()), Duration.ofSeconds(20))).isTrue();
            cancelled = DeploymentHistory.of(store, java.time.Clock.systemUTC())
                    .mark(h.id(), DeploymentStatus.CANCELLED, "alice: superseded by a hotfix", null);
            assertThat(notifier.awaitDelivered(List.of(h.id()), Duration.ofSeconds(20))).isTrue();
        }
        List<RecordedRequest> rs = take(6);
        assertThat(rs).extracting(RecordedRequest::getPath).containsExactly(
                "/api/v3/repos/acme/web/deployments",
                "/api/v3/repos/acme/web/deployments/4242/statuses",
                "/api/v3/repos/acme/web/deployments/4242/statuses",
                "/api/v3/repos/acme/web/deployments",
                "/api/v3/repos/acme/web/deployments/4242/statuses",
                "/api/v3/repos/acme/web/deployments/4242/statuses");
        assertThat(rs).allSatisfy(r -> {
            assertThat(r.getMethod()).isEqualTo("POST");
            assertThat(r.getHeader("Authorization")).isEqualTo("Bearer ghp_testtoken");
            assertThat(r.getHeader("Accept")).isEqualTo("application/vnd.github+json");
        });
        JsonNode create = JSON.readTree(rs.get(0).getBody().readUtf8());
        assertThat(create.get("ref").asText()).isEqualTo("3f2c1a9e");
        assertThat(create.get("environment").asText()).isEqualTo("production");
        assertThat(create.get("auto_merge").asBoolean()).isFalse();
        assertThat(create.get("required_contexts")).isEmpty();
        List<String> states = new ArrayList<>();
        for (int i : new int[]{1, 2, 4, 5}) {
            states.add(JSON.readTree(rs.get(i).getBody().readUtf8()).get("state").asText());
        }
        assertThat(states).containsExactly("in_progress", "success", "in_progress", "inactive");
        assertThat(JSON.readTree(rs.get(3).getBody().readUtf8()).get("environment").asText()).isEqualTo("staging");
        assertThat(store.find(done.id()).orElseThrow().attributes()).containsEntry("github_deployment_id", "4242");
        assertThat(store.find(cancelled.id()).orElseThrow().attributes()).containsEntry("github_deployment_id", "4242");
        assertThat(github.toString()).doesNotContain("ghp_testtoken");
    }

    @Test
    void rowsEndedByRepairAreNotAnnouncedAndFiltersChooseProjectsAndEnvironments() throws Exception {
        server.enqueue(new MockResponse().setBody("ok"));
        SlackChannel slack = SlackChannel.builder(server.url("/hook").uri())
                .filter(NotificationFilter.ENDS.onlyProjects(List.of("acme/web")).onlyEnvironments(List.of("production")))
                .build();
        Deployment web;
        Deployment api;
        Deployment staging;
        Deployment repaired;
        try (Notifier notifier = notifier(slack); Tracked t = new Tracked(store)) {
            api = t.run(DeploymentRequest.builder("acme", "api", "aaaaaaa").build(), Observation.succeeded("success"), 5);
            staging = t.run(DeploymentRequest.builder("acme", "web", "bbbbbbb").environment("staging").build(),
                    Observation.succeeded("success"), 5);
            // what 'deploytrack repair --apply' writes when it resolves a stale row: a 'repaired' event
            DeploymentHandle stale = t.start(DeploymentRequest.builder("acme", "web", "ddddddd").build(), "stale");
            t.tracker.close();
            Instant now = Instant.now();
            assertThat(store.update(new DeploymentUpdate(stale.id(), DeploymentStatus.RUNNING, DeploymentStatus.TIMED_OUT,
                    null, null, now, "repair", "resolved by repair", List.of(),
                    List.of(DeploymentEvent.of(stale.id(), now, "repaired", null, DeploymentStatus.RUNNING,
                            DeploymentStatus.TIMED_OUT, null, "stale: no source answered"))))).isTrue();
            repaired = store.find(stale.id()).orElseThrow();
            try (Tracked t2 = new Tracked(store)) {
                web = t2.run(DeploymentRequest.builder("acme", "web", "ccccccc").build(), Observation.succeeded("success"), 5);
            }
            assertThat(notifier.awaitDelivered(List.of(web.id(), api.id(), staging.id(), repaired.id()),
                    Duration.ofSeconds(20))).isTrue();
        }
        RecordedRequest only = server.takeRequest(10, TimeUnit.SECONDS);
        assertThat(JSON.readTree(only.getBody().readUtf8()).get("text").asText())
                .isEqualTo("acme/web deployed to production in 5 s");
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(NotificationLog.of(store).ofDeployment(repaired.id())).isEmpty();
        assertThat(NotificationLog.of(store).list(null, 100)).extracting(Delivery::deploymentId).containsExactly(web.id());
    }
}
