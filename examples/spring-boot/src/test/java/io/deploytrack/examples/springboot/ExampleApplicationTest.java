package io.deploytrack.examples.springboot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.jdbc.JdbcHistoryStore;
import io.deploytrack.live.LiveHub;
import io.deploytrack.ncp.NcpDeployments;
import io.deploytrack.ncp.emulator.NcpEmulator;
import io.deploytrack.ncp.emulator.NcpScript;
import io.deploytrack.ncp.emulator.RequestKind;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.deploytrack.ncp.emulator.NcpScript.end;
import static io.deploytrack.ncp.emulator.NcpScript.step;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example over real HTTP on a random port: a POST starts an NCP deployment on the in-process emulator, the SSE
 * stream follows it to the end, health, the deployments endpoint and Prometheus report it; and shutting a context down
 * releases its leases, so the next context on the same database claims the running deployment at once; the starter's
 * live SSE stream, WebSocket and page answer on their configured paths. The same
 * source runs on Boot 4 (this module) and on Boot 3 (examples/spring-boot3).
 */
@SpringBootTest(classes = ExampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"deploytrack.poll-interval=100ms", "deploytrack.poll-jitter=0", "deploytrack.instance-id=main",
                "example.emulator.waiting=300ms", "example.emulator.in-progress=400ms",
                // @SpringBootTest turns metrics exporters off unless told otherwise.
                "management.prometheus.metrics.export.enabled=true"})
class ExampleApplicationTest {
    private static final Path DIR = tempDir();
    private static final List<String> CLI_KEYS = List.of("id", "owner", "repo", "environment", "commitSha",
            "rollback", "status", "startedAt", "deployedAt", "completedAt", "totalDurationSeconds", "errorStage",
            "errorMessage");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern COMPLETED = Pattern.compile(
            "^deploytrack_deployments_completed_total\\{([^}]*)} ([0-9.Ee+-]+)$", Pattern.MULTILINE);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Value("${local.server.port}")
    int port;

    @Autowired
    NcpEmulator emulator;

    @Autowired
    DeploymentTracker tracker;

    @Autowired
    LiveHub hub;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("deploytrack.store.sqlite-path", () -> DIR.resolve("example.db").toString());
    }

    @Test
    void aDeploymentStartedOverHttpIsTrackedStreamedAndReported() throws Exception {
        double before = completedCount("staging");

        HttpResponse<String> started = post(port, "{\"repo\":\"acme/web\",\"commit\":\"3f2c1a9\","
                + "\"environment\":\"staging\"}");
        assertThat(started.statusCode()).isEqualTo(202);
        JsonNode body = JSON.readTree(started.body());
        List<String> keys = new ArrayList<>();
        body.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactlyElementsOf(CLI_KEYS);
        long id = body.get("id").asLong();
        assertThat(body.get("status").asText()).isEqualTo("running");
        assertThat(emulator.requests(RequestKind.DEPLOY)).isNotEmpty();

        List<String> events = events(id);
        assertThat(events.get(0)).isEqualTo("started");
        assertThat(events.get(events.size() - 1)).isEqualTo("completed");
        assertThat(events.subList(1, events.size() - 1)).isNotEmpty().containsOnly("status");

        JsonNode health = JSON.readTree(get("/actuator/health").body());
        assertThat(health.at("/components/deploytrack/status").asText()).isEqualTo("UP");

        JsonNode listed = awaitValue(() -> {
            JsonNode page = JSON.readTree(get("/actuator/deployments?project=acme/web&environment=staging").body());
            for (JsonNode d : page.get("deployments")) {
                if (d.get("id").asLong() == id && d.get("status").asText().equals("success")) {
                    return d;
                }
            }
            return null;
        });
        assertThat(listed.get("totalDurationSeconds").isNumber()).isTrue();
        JsonNode detail = JSON.readTree(get("/actuator/deployments/" + id).body());
        assertThat(detail.get("checks").get(0).get("sourceType").asText()).isEqualTo("ncp");
        assertThat(detail.get("events").size()).isPositive();

        assertThat(awaitValue(() -> completedCount("staging") >= before + 1 ? completedCount("staging") : null))
                .isEqualTo(before + 1);

        // The endpoint's write operation over HTTP: a success cannot be marked cancelled, nor an unknown id.
        String mark = "{\"status\":\"cancelled\",\"reason\":\"alice: superseded by a hotfix\"}";
        assertThat(post(port, "/actuator/deployments/" + id, mark).statusCode()).isEqualTo(400);
        assertThat(post(port, "/actuator/deployments/999999", mark).statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(get("/actuator/deployments/" + id).body()).get("status").asText())
                .isEqualTo("success");
    }

    /**
     * What an operator's Prometheus and actuator show: every deploytrack meter with a description and a row in the
     * meter table of docs/spring-boot.md (under its Micrometer name), health details whose numbers are JSON numbers, and an unknown
     * deployment answered 404 with a JSON reason.
     */
    @Test
    void everyMeterIsDescribedAndInTheReadmeHealthNumbersAreNumbersAndUnknownIdsAre404WithAReason() throws Exception {
        HttpResponse<String> started = post(port, "{\"repo\":\"acme/meters\",\"commit\":\"4e5f6a7\"}");
        assertThat(started.statusCode()).isEqualTo(202);
        long id = JSON.readTree(started.body()).get("id").asLong();
        awaitValue(() -> "success".equals(JSON.readTree(get("/actuator/deployments/" + id).body()).get("status").asText())
                ? Boolean.TRUE : null);

        String page = get("/actuator/prometheus").body();
        Map<String, String> help = new java.util.TreeMap<>();
        Matcher m = Pattern.compile("^# HELP (deploytrack_\\w+) ?(.*)$", Pattern.MULTILINE).matcher(page);
        while (m.find()) {
            help.put(m.group(1), m.group(2).strip());
        }
        assertThat(help).as(page).isNotEmpty();
        String readme = Files.readString(Path.of("../../docs/spring-boot.md"));
        org.assertj.core.api.SoftAssertions soft = new org.assertj.core.api.SoftAssertions();
        for (Map.Entry<String, String> e : help.entrySet()) {
            soft.assertThat(e.getValue()).as("description of %s", e.getKey()).isNotEmpty();
            String meter = e.getKey().replaceAll("(_seconds)?(_total|_count|_sum|_max|_bucket)?$", "").replace('_', '.');
            soft.assertThat(meter).as("prefix of %s", e.getKey()).doesNotStartWith("deploytrack.deploytrack");
            soft.assertThat(readme).as("docs/spring-boot.md's meter table names %s (%s)", meter, e.getKey()).contains("| `" + meter + "` |");
        }
        soft.assertAll();

        JsonNode details = JSON.readTree(get("/actuator/health").body()).at("/components/deploytrack/details");
        assertThat(details.isObject()).as("health details shown").isTrue();
        details.fields().forEachRemaining(d -> {
            if (d.getValue().isTextual()) {
                assertThat(d.getValue().asText()).as("health detail %s", d.getKey()).doesNotMatch("-?[0-9]+(\\.[0-9]+)?");
            }
        });

        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(uri(port, "/actuator/deployments/999999"))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).path("error").asText()).contains("999999");
    }

    @Test
    void shuttingDownReleasesTheLeasesSoASecondContextClaimsARunningDeploymentAtOnce() throws Exception {
        Path shared = DIR.resolve("shared.db");
        emulator.addScenario(1, 22, 222);
        emulator.onDeploy(222, NcpScript.of(step("inprogress", Duration.ofHours(1)), end("success")));

        long id;
        try (ConfigurableApplicationContext two = context(shared, "two")) {
            int twoPort = Integer.parseInt(two.getEnvironment().getProperty("local.server.port"));
            HttpResponse<String> started = post(twoPort, "{\"repo\":\"acme/api\",\"commit\":\"abc1234\"}");
            assertThat(started.statusCode()).isEqualTo(202);
            id = JSON.readTree(started.body()).get("id").asLong();
            assertThat(two.getBean(DeploymentTracker.class).inFlight()).isEqualTo(1);
        }
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(shared)) {
            assertThat(store.lease(id)).as("lease after the context shut down").isEmpty();
            assertThat(store.find(id)).get().extracting(Deployment::status).isEqualTo(DeploymentStatus.RUNNING);
        }
        try (ConfigurableApplicationContext three = context(shared, "three")) {
            DeploymentTracker tracker = three.getBean(DeploymentTracker.class);
            // Claimed while the context started, although the first context's lease (10 minutes) had not expired.
            assertThat(tracker.inFlight()).isEqualTo(1);
            Deployment running = tracker.history().find(id).orElseThrow();
            long historyId = Long.parseLong(running.attributes().get(NcpDeployments.ATTRIBUTE_HISTORY_ID));
            emulator.setStatus(1, historyId, "success");
            assertThat(tracker.awaitCompletion(id).get(30, TimeUnit.SECONDS).status())
                    .isEqualTo(DeploymentStatus.SUCCESS);
        }
    }

    /**
     * The starter's SSE stream at its default path: connection_established first, then the live story of a
     * deployment started over HTTP, from deployment_started to one deployment_completed.
     */
    @Test
    void theLiveSseStreamFollowsADeploymentFromStartedToCompletedOnce() throws Exception {
        try (LiveMessages sse = LiveMessages.sse(http, uri(port, "/api/v1/deployments/events"))) {
            assertThat(sse.next().path("type").asText()).isEqualTo("connection_established");
            HttpResponse<String> started = post(port, "{\"repo\":\"acme/live\",\"commit\":\"5a6b7c8\"}");
            assertThat(started.statusCode()).isEqualTo(202);
            long id = JSON.readTree(started.body()).get("id").asLong();

            List<String> story = sse.storyOf(id);
            assertThat(story.get(0)).isEqualTo("deployment_started");
            assertThat(story).containsOnlyOnce("deployment_started", "deployment_completed");
        }
    }

    /**
     * The starter's WebSocket at its default path: connection_established, a ping answered with a pong, and a
     * subscribe to a deployment that already ended answered with the replay of its story from the event log.
     */
    @Test
    void theLiveWebSocketAnswersPingAndReplaysASubscribedDeploymentsStory() throws Exception {
        HttpResponse<String> started = post(port, "{\"repo\":\"acme/replay\",\"commit\":\"6b7c8d9\"}");
        assertThat(started.statusCode()).isEqualTo(202);
        long id = JSON.readTree(started.body()).get("id").asLong();
        assertThat(tracker.awaitCompletion(id).get(30, TimeUnit.SECONDS).status()).isEqualTo(DeploymentStatus.SUCCESS);
        // The hub has read the whole story before this client connects: it arrives as the replay, not live.
        hub.tick();

        try (LiveMessages ws = LiveMessages.webSocket(http, URI.create("ws://127.0.0.1:" + port
                + "/api/v1/ws/deployments"))) {
            assertThat(ws.next().path("type").asText()).isEqualTo("connection_established");
            ws.send("{\"type\":\"ping\"}");
            assertThat(ws.next().path("type").asText()).isEqualTo("pong");
            ws.send("{\"type\":\"subscribe\",\"deployment_id\":" + id + "}");
            List<String> story = ws.storyOf(id);
            assertThat(story.get(0)).isEqualTo("deployment_started");
            assertThat(story).containsOnlyOnce("deployment_started", "deployment_completed");
        }
    }

    /** The dashboard page at the example's deploytrack.live.page-path, told the configured paths, and its files. */
    @Test
    void theLivePageAndItsFilesAreServedAtThePagePath() throws Exception {
        HttpResponse<String> page = get("/live/");
        assertThat(page.headers().firstValue("Content-Type")).get().asString().startsWith("text/html");
        assertThat(page.body()).contains("data-ws=\"/api/v1/ws/deployments\"")
                .contains("data-sse=\"/api/v1/deployments/events\"").contains("data-api=\"/live/api\"");
        assertThat(get("/live/app.js").headers().firstValue("Content-Type")).get().asString()
                .startsWith("text/javascript");
        assertThat(JSON.readTree(get("/live/api/dashboard").body()).isObject()).isTrue();
    }

    /** Another instance of the example on {@code db}, sharing this test's emulator. */
    private ConfigurableApplicationContext context(Path db, String instance) {
        return new SpringApplicationBuilder(ExampleApplication.class)
                .initializers(c -> c.getBeanFactory().registerSingleton("ncpEmulator", emulator))
                // Arguments, not builder properties: those rank below application.properties.
                .run("--server.port=0", "--deploytrack.store.sqlite-path=" + db, "--deploytrack.instance-id=" + instance,
                        "--deploytrack.lease-duration=10m", "--deploytrack.poll-interval=100ms",
                        "--example.ncp.stage-id=22", "--example.ncp.scenario-id=222", "--spring.main.banner-mode=off");
    }

    /** The event names of the deployment's SSE stream, until it ends. */
    private List<String> events(long id) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri(port, "/api/deployments/" + id + "/events"))
                .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(60)).GET().build();
        HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        try (Stream<String> lines = response.body()) {
            Iterator<String> it = lines.iterator();
            while (it.hasNext()) {
                String line = it.next();
                if (line.startsWith("event:")) {
                    names.add(line.substring("event:".length()).trim());
                }
            }
        }
        return names;
    }

    private double completedCount(String environment) {
        Matcher m = COMPLETED.matcher(get("/actuator/prometheus").body());
        double total = 0;
        while (m.find()) {
            String tags = m.group(1);
            if (tags.contains("environment=\"" + environment + "\"") && tags.contains("source=\"ncp\"")
                    && tags.contains("status=\"success\"")) {
                total += Double.parseDouble(m.group(2));
            }
        }
        return total;
    }

    private HttpResponse<String> post(int port, String json) throws Exception {
        return post(port, "/api/deployments", json);
    }

    private HttpResponse<String> post(int port, String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(port, path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(port, path)).timeout(Duration.ofSeconds(30))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** Polls (bounded, 30 s) until {@code value} gives a non-null answer. */
    private static <T> T awaitValue(ThrowingSupplier<T> value) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            T v = value.get();
            if (v != null) {
                return v;
            }
            assertThat(System.nanoTime()).as("waited 30 s").isLessThan(deadline);
            CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS)).get();
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("deploytrack-spring-boot-example");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The JSON messages of one live client (an SSE stream or a WebSocket), queued as they arrive, so that the test
     * waits for each with a bound (30 s).
     */
    private static final class LiveMessages implements AutoCloseable {
        private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        private final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
        private WebSocket socket;

        static LiveMessages sse(HttpClient http, URI uri) {
            LiveMessages m = new LiveMessages();
            http.sendAsync(HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").GET().build(),
                    HttpResponse.BodyHandlers.fromLineSubscriber(new Flow.Subscriber<String>() {
                        @Override
                        public void onSubscribe(Flow.Subscription s) {
                            m.subscription.set(s);
                            s.request(Long.MAX_VALUE);
                        }

                        @Override
                        public void onNext(String line) {
                            if (line.startsWith("data:")) {
                                m.queue.add(line.substring("data:".length()).strip());
                            }
                        }

                        @Override
                        public void onError(Throwable e) {
                            m.queue.add("{\"type\":\"stream_failed\",\"error\":\"" + e + "\"}");
                        }

                        @Override
                        public void onComplete() {
                            m.queue.add("{\"type\":\"stream_ended\"}");
                        }
                    }));
            return m;
        }

        static LiveMessages webSocket(HttpClient http, URI uri) throws Exception {
            LiveMessages m = new LiveMessages();
            StringBuilder frame = new StringBuilder();
            m.socket = http.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                    frame.append(data);
                    if (last) {
                        m.queue.add(frame.toString());
                        frame.setLength(0);
                    }
                    ws.request(1);
                    return null;
                }
            }).get(30, TimeUnit.SECONDS);
            return m;
        }

        void send(String text) throws Exception {
            socket.sendText(text, true).get(30, TimeUnit.SECONDS);
        }

        JsonNode next() throws Exception {
            String text = queue.poll(30, TimeUnit.SECONDS);
            assertThat(text).as("a live message within 30 s").isNotNull();
            return JSON.readTree(text);
        }

        /** The types of deployment {@code id}'s messages, until its deployment_completed (others are skipped). */
        List<String> storyOf(long id) throws Exception {
            List<String> types = new ArrayList<>();
            while (types.isEmpty() || !types.get(types.size() - 1).equals("deployment_completed")) {
                JsonNode m = next();
                assertThat(m.path("type").asText()).as("%s", m).isNotIn("stream_failed", "stream_ended", "error");
                if (m.path("deployment_id").asLong() == id) {
                    types.add(m.path("type").asText());
                }
            }
            return types;
        }

        @Override
        public void close() throws Exception {
            if (socket != null) {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(30, TimeUnit.SECONDS);
            }
            Flow.Subscription s = subscription.get();
            if (s != null) {
                s.cancel();
            }
        }
    }

    @FunctionalInterface
    private interface ThrowingSupplier<T> {
        T get() throws Exception;
    }
}
