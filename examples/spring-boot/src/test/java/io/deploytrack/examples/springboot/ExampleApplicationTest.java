package io.deploytrack.examples.springboot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.jdbc.JdbcHistoryStore;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.deploytrack.ncp.emulator.NcpScript.end;
import static io.deploytrack.ncp.emulator.NcpScript.step;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example over real HTTP on a random port: a POST starts an NCP deployment on the in-process emulator, the SSE
 * stream follows it to the end, health, the deployments endpoint and Prometheus report it; and shutting a context down
 * releases its leases, so the next context on the same database claims the running deployment at once. The same
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

    @FunctionalInterface
    private interface ThrowingSupplier<T> {
        T get() throws Exception;
    }
}
