package io.deploytrack.live;

import com.fasterxml.jackson.databind.JsonNode;
import io.deploytrack.core.DeploymentHandle;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.Observation;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.deploytrack.live.LiveTestbed.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The standalone server over real sockets: Jetty's WebSocket client and the JDK's HTTP client against
 * {@link LiveServer} on a real SQLite history, the deployments followed on a manual clock.
 */
class LiveServerTest {
    static final List<String> FAILS_IN_SECOND_STAGE = List.of("deployment_started", "stage_started sourcebuild",
            "stage_progress sourcebuild", "stage_completed sourcebuild success", "stage_started sourcedeploy",
            "stage_completed sourcedeploy failed", "deployment_completed failed");

    @TempDir
    Path dir;
    LiveTestbed bed;
    LiveServer server;
    final WebSocketClient ws = new WebSocketClient();
    final HttpClient http = HttpClient.newHttpClient();
    final List<AutoCloseable> streams = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        bed = new LiveTestbed(dir);
        ws.start();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : streams) {
            c.close();
        }
        ws.stop();
        if (server != null) {
            server.close();
        }
        bed.close();
    }

    private TestSocket connect(URI base, String query) throws Exception {
        TestSocket s = new TestSocket();
        URI uri = URI.create("ws://127.0.0.1:" + base.getPort() + LiveServer.WEBSOCKET_PATH + (query == null ? "" : "?" + query));
        ws.connect(s, uri).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        s.got.awaitType("connection_established");
        streams.add(() -> s.session.close());
        return s;
    }

    /** An SSE stream read line by line on its own thread. */
    private LiveTestbed.Received sse(String query) throws Exception {
        LiveTestbed.Received got = new LiveTestbed.Received();
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + LiveServer.SSE_PATH + "?" + query)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
        InputStream body = r.body();
        streams.add(body);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("data: ")) {
                        got.add(line.substring(6));
                    }
                }
            } catch (Exception e) {
                // the test closed the stream
            }
        }, "sse-reader");
        reader.setDaemon(true);
        reader.start();
        return got;
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void advance(Duration d) {
        bed.scheduler.advance(d, Duration.ofMillis(250));
    }

    @Test
    void aWebSocketConnectedLateIsReplayedTheStoryTwoSubscribersAgreeAndAReconnectDrawsTheSameWhenStageTwoFails()
            throws Exception {
        server = bed.server().start();
        DeploymentHandle h = bed.buildThenDeploy("web", "alice", 4, LiveTestbed.running(4,
                Observation.failed("fail", "the deploy failed on server 2")));
        TestSocket early = connect(server.uri(), null);
        early.send("{\"type\":\"subscribe\",\"deployment_id\":" + h.id() + "}");
        early.got.awaitType("deployment_started");
        advance(Duration.ofSeconds(2));

        TestSocket late = connect(server.uri(), null);
        late.send("{\"type\":\"subscribe\",\"deployment_id\":" + h.id() + "}");
        late.got.awaitType("stage_progress");
        assertThat(late.got.types()).startsWith("connection_established", "deployment_started", "stage_started");
        advance(Duration.ofSeconds(12));

        assertThat(bed.store.find(h.id()).orElseThrow().status()).isEqualTo(DeploymentStatus.FAILED);
        JsonNode end = early.got.awaitType("deployment_completed");
        late.got.awaitType("deployment_completed");
        assertThat(end.get("status").asText()).isEqualTo("failed");
        assertThat(early.got.story()).isEqualTo(FAILS_IN_SECOND_STAGE);
        assertThat(late.got.story()).isEqualTo(early.got.story());
        assertRisesAndReaches100OnlyAtTheEnd(early.got);
        assertRisesAndReaches100OnlyAtTheEnd(late.got);

        early.send("{\"type\":\"ping\"}");
        early.got.awaitType("pong");
        early.send("{\"type\":\"subscribe\",\"deployment_id\":\"x\"}");
        assertThat(early.got.awaitType("error").get("message").asText()).contains("\"x\"", "positive whole number");

        early.session.close();
        assertThat(early.closed.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isNotNull();
        TestSocket again = connect(server.uri(), null);
        again.send("{\"type\":\"subscribe\",\"deployment_id\":" + h.id() + "}");
        again.got.awaitType("deployment_completed");
        assertThat(again.got.story()).as("a reconnect draws the same state").isEqualTo(FAILS_IN_SECOND_STAGE);
    }

    @Test
    void anUnsubscribedSocketSeesEveryDeploymentLiveAndAUserSubscriptionOnlyThatUsers() throws Exception {
        server = bed.server().start();
        TestSocket all = connect(server.uri(), null);
        TestSocket carol = connect(server.uri(), null);
        carol.send("{\"type\":\"subscribe\",\"user_id\":\"carol\"}");
        carol.send("{\"type\":\"ping\"}");
        carol.got.awaitType("pong");
        DeploymentHandle dave = bed.buildThenDeploy("api", "dave", 2, Observation.succeeded("success"));
        DeploymentHandle mine = bed.buildThenDeploy("web", "carol", 2, Observation.succeeded("success"));
        advance(Duration.ofSeconds(8));
        assertThat(dave.completion()).isCompleted();
        assertThat(mine.completion()).isCompleted();
        all.got.await("both ends", n -> n.path("type").asText().equals("deployment_completed")
                && n.path("deployment_id").asLong() == Math.max(dave.id(), mine.id()));
        all.got.await("both ends", n -> n.path("type").asText().equals("deployment_completed")
                && n.path("deployment_id").asLong() == Math.min(dave.id(), mine.id()));
        carol.got.awaitType("deployment_completed");
        assertThat(carol.got.all).filteredOn(n -> n.has("deployment_id"))
                .allSatisfy(n -> assertThat(n.get("deployment_id").asLong()).isEqualTo(mine.id()));
        assertThat(carol.got.story()).endsWith("stage_completed sourcedeploy success", "deployment_completed success");
    }

    @Test
    void theEventStreamReplaysALateSubscriberAndAReconnectTheSameStoryAsTheWebSocket() throws Exception {
        server = bed.server().start();
        DeploymentHandle h = bed.buildThenDeploy("web", "bob", 4, LiveTestbed.running(3,
                Observation.failed("fail", "the deploy failed on server 1")));
        advance(Duration.ofSeconds(2));
        LiveTestbed.Received late = sse("deployment_id=" + h.id());
        late.awaitType("stage_progress");
        assertThat(late.types()).startsWith("connection_established", "deployment_started", "stage_started");
        TestSocket socket = connect(server.uri(), null);
        socket.send("{\"type\":\"subscribe\",\"deployment_id\":" + h.id() + "}");
        socket.got.awaitType("stage_started");
        advance(Duration.ofSeconds(10));
        late.awaitType("deployment_completed");
        socket.got.awaitType("deployment_completed");
        assertThat(late.story()).isEqualTo(FAILS_IN_SECOND_STAGE).isEqualTo(socket.got.story());
        assertRisesAndReaches100OnlyAtTheEnd(late);

        LiveTestbed.Received reconnected = sse("deployment_id=" + h.id());
        reconnected.awaitType("deployment_completed");
        assertThat(reconnected.story()).isEqualTo(FAILS_IN_SECOND_STAGE);

        assertThat(get(LiveServer.SSE_PATH + "?deployment_id=-1", null).statusCode()).isEqualTo(400);
    }

    @Test
    void theReadOnlyJsonGivesHistoryOneDeploymentWithItsStagesAndTheRollbackTarget() throws Exception {
        server = bed.server().start();
        DeploymentHandle first = bed.buildThenDeploy("web", "a", 2, Observation.succeeded("success"));
        advance(Duration.ofSeconds(6));
        bed.clock.advance(Duration.ofMinutes(1));
        DeploymentHandle second = bed.buildThenDeploy("web", "bb", 2, Observation.succeeded("success"));
        advance(Duration.ofSeconds(6));
        DeploymentHandle running = bed.buildThenDeploy("web", "ccc", 50, Observation.succeeded("success"));
        advance(Duration.ofSeconds(3));
        assertThat(first.completion()).isCompleted();
        assertThat(second.completion()).isCompleted();

        JsonNode history = LiveTestbed.JSON.readTree(get("/api/v1/deployments?project=acme/web&limit=10", null).body());
        assertThat(history.get("deployments")).hasSize(3);
        assertThat(history.get("deployments").get(0).get("id").asLong()).isEqualTo(running.id());

        HttpResponse<String> one = get("/api/v1/deployments/" + running.id(), null);
        assertThat(one.statusCode()).isEqualTo(200);
        JsonNode d = LiveTestbed.JSON.readTree(one.body());
        assertThat(d.get("status").asText()).isEqualTo("running");
        assertThat(d.get("userId").asText()).isEqualTo("ccc");
        JsonNode stages = d.get("progress").get("stages");
        assertThat(stages.get(0).get("name").asText()).isEqualTo("sourcebuild");
        assertThat(stages.get(0).get("phase").asText()).isIn("running", "overrun");
        assertThat(stages.get(0).get("expectedSeconds").isNumber()).as("two earlier builds make an estimate").isTrue();
        assertThat(stages.get(1).get("phase").asText()).isEqualTo("waiting");

        JsonNode target = LiveTestbed.JSON.readTree(get("/api/v1/rollback-target?project=acme/web&environment="
                + bed.store.find(first.id()).orElseThrow().environment(), null).body());
        assertThat(target.get("current").get("id").asLong()).isEqualTo(second.id());
        assertThat(target.get("target").get("id").asLong()).isEqualTo(first.id());

        JsonNode dashboard = LiveTestbed.JSON.readTree(get("/api/v1/dashboard", null).body());
        assertThat(dashboard.get("inFlight")).hasSize(1);
        assertThat(dashboard.get("recent")).hasSize(3);
        assertThat(dashboard.get("rollbackTargets").get(0).get("target").get("id").asLong()).isEqualTo(first.id());
        // the delivery panel: the two successes (the running one is not a deployment yet), nothing failed or rolled back
        JsonNode delivery = dashboard.get("insights").get(0);
        assertThat(delivery.get("project").asText()).isEqualTo("acme/web");
        assertThat(delivery.get("deployments").asInt()).isEqualTo(2);
        assertThat(delivery.get("rollbacks").asInt()).isZero();
        assertThat(delivery.get("failedAttempts").asInt()).isZero();
        assertThat(delivery.get("changeFailures").asInt()).isZero();
        assertThat(delivery.get("perWeek").isNumber()).isTrue();

        HttpResponse<String> bad = get("/api/v1/deployments?project=nope", null);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("'nope'", "OWNER/REPO");
        assertThat(get("/api/v1/deployments/999999", null).statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/rollback-target?project=acme/none", null).statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/deployments?limit=0", null).body()).contains("limit '0'", "1 to 500");
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/api/v1/deployments")).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        HttpResponse<String> page = get("/", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("data-ws=\"/api/v1/ws/deployments\"");
    }

    @Test
    void boundToANonLoopbackAddressItNeedsItsTokenAndRefusesToStartWithoutOne() throws Exception {
        String token = "s3cret-token-0123456789";
        assertThatThrownBy(() -> bed.server().host("0.0.0.0").start())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("bearer token is required");
        assertThatThrownBy(() -> bed.server().bearerToken("tiny-t0k"))
                .hasMessageContaining("at least 16").hasMessageNotContaining("tiny-t0k");
        server = bed.server().host("0.0.0.0").bearerToken(token).start();
        assertThat(server.toString()).doesNotContain(token).contains("token required");

        HttpResponse<String> none = get("/api/v1/deployments", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("www-authenticate").orElse("")).startsWith("Bearer");
        assertThat(none.body()).doesNotContain(token);
        assertThat(get("/api/v1/deployments", "wrong-token-0123456789").statusCode()).isEqualTo(401);
        assertThat(get("/api/v1/deployments", token).statusCode()).isEqualTo(200);
        assertThat(get(LiveServer.SSE_PATH, null).statusCode()).isEqualTo(401);
        HttpResponse<String> page = get("/", null);
        assertThat(page.statusCode()).as("the page's files hold no data").isEqualTo(200);
        assertThat(page.body()).doesNotContain(token);

        TestSocket refused = new TestSocket();
        assertThatThrownBy(() -> ws.connect(refused, URI.create("ws://127.0.0.1:" + server.port()
                + LiveServer.WEBSOCKET_PATH)).get(PATIENCE.toSeconds(), TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasMessageContaining("401");
        TestSocket allowed = connect(server.uri(), "access_token=" + token);
        allowed.send("{\"type\":\"ping\"}");
        allowed.got.awaitType("pong");

        TestSocket crossSite = new TestSocket();
        ClientUpgradeRequest fromElsewhere = new ClientUpgradeRequest();
        fromElsewhere.setHeader("Origin", "http://evil.example");
        assertThatThrownBy(() -> ws.connect(crossSite, URI.create("ws://127.0.0.1:" + server.port()
                        + LiveServer.WEBSOCKET_PATH + "?access_token=" + token), fromElsewhere)
                .get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).hasMessageContaining("403");
    }

    static void assertRisesAndReaches100OnlyAtTheEnd(LiveTestbed.Received got) {
        for (String stage : List.of("sourcebuild", "sourcedeploy")) {
            List<Integer> p = got.all.stream().filter(n -> n.path("type").asText().equals("stage_progress")
                    && n.path("stage").asText().equals(stage)).map(n -> n.get("progress").asInt()).toList();
            assertThat(p).as(stage).isNotEmpty().isSorted();
            assertThat(p.subList(0, p.size() - 1)).allSatisfy(x -> assertThat(x).isLessThan(100));
        }
    }
}
