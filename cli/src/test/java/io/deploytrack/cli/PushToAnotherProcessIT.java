package io.deploytrack.cli;

import io.deploytrack.core.support.CallbackSignature;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentEvent;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.HistoryQuery;
import io.deploytrack.jdbc.JdbcHistoryStore;
import io.deploytrack.ncp.emulator.NcpEmulator;
import io.deploytrack.ncp.emulator.NcpScript;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.deploytrack.ncp.emulator.NcpScript.end;
import static io.deploytrack.ncp.emulator.NcpScript.step;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 28 as a new user meets it, through the runnable jar in two processes on one SQLite file: {@code ncp deploy
 * --interval 30s} follows a deployment that NCP keeps answering {@code inprogress}, and {@code webhook serve} beside
 * it, the only process that has the receiver's secret, receives a signed push for it. The push is recorded for the
 * tracking process, which holds the row and has no push source of its own; it takes the push at its next tick and
 * ends the deployment from it, exactly once, long before its next poll.
 */
class PushToAnotherProcessIT {
    private static final String SECRET = "a-shared-secret-for-this-test-only";
    private static final Pattern LISTENING = Pattern.compile("listening on http://[^:/]+:(\\d+)/hooks");
    private static Path jar;

    @TempDir
    Path dir;
    private final List<Process> started = new ArrayList<>();
    private NcpEmulator ncp;

    @BeforeAll
    static void theJar() {
        jar = Path.of(System.getProperty("deploytrack.jar", "target/deploytrack.jar"));
        assertThat(jar).as("the package phase leaves the runnable jar").isRegularFile();
    }

    @AfterEach
    void stop() {
        started.forEach(Process::destroyForcibly);
        if (ncp != null) {
            ncp.close();
        }
    }

    private record Child(Process process, Path out, Path err) {
        String stdout() {
            return read(out);
        }

        String stderr() {
            return read(err);
        }

        private static String read(Path p) {
            try {
                return Files.readString(p, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }
    }

    private Child start(Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xmx128m", "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile());
        pb.environment().remove("DEPLOYTRACK_DB");
        pb.environment().remove("DEPLOYTRACK_WEBHOOK_SECRET");
        pb.environment().remove("NCP_ACCESS_KEY");
        pb.environment().remove("NCP_SECRET_KEY");
        pb.environment().putAll(env);
        Process p = pb.start();
        started.add(p);
        return new Child(p, out, err);
    }

    /**
     * Probes {@code probe} every 50 ms until it gives a value, for at most {@code max}; fails early, with the output
     * of both children, if one of them exits meanwhile.
     */
    private static <T> T await(String what, Duration max, List<Child> children, Supplier<Optional<T>> probe)
            throws InterruptedException {
        long until = System.nanoTime() + max.toNanos();
        while (true) {
            Optional<T> v = probe.get();
            if (v.isPresent()) {
                return v.get();
            }
            for (Child c : children) {
                assertThat(c.process().isAlive()).as("%s: a child exited (%s); stdout: %s stderr: %s", what,
                        c.process().isAlive() ? "" : c.process().exitValue(), c.stdout(), c.stderr()).isTrue();
            }
            assertThat(System.nanoTime() < until).as("%s within %s; outputs: %s", what, max,
                    children.stream().map(c -> c.stdout() + c.stderr()).toList()).isTrue();
            // the pause between probes is a wait on the first child's exit, so a child that dies ends it at once
            children.get(0).process().waitFor(50, TimeUnit.MILLISECONDS);
        }
    }

    private static Optional<Deployment> row(Path db) {
        if (!Files.exists(db)) {
            return Optional.empty();
        }
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(db)) {
            List<Deployment> all = store.list(HistoryQuery.all(10));
            return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
        } catch (RuntimeException e) {
            return Optional.empty(); // the tracking process is still creating the file
        }
    }

    private static int pendingPushes(Path db) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM deployment_pushes")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static HttpResponse<String> push(int port, String delivery, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        long ts = Instant.now().getEpochSecond();
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hooks"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header(CallbackSignature.DELIVERY_HEADER, delivery)
                .header(CallbackSignature.TIMESTAMP_HEADER, Long.toString(ts))
                .header(CallbackSignature.SIGNATURE_HEADER, CallbackSignature.sign(SECRET, ts, bytes))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
        return HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aPushReceivedByWebhookServeEndsTheDeploymentThatNcpDeployFollowsOnce() throws Exception {
        ncp = NcpEmulator.start();
        long project = 12;
        ncp.addScenario(project, 34, 56);
        ncp.onDeploy(56, NcpScript.of(step("inprogress", Duration.ofHours(1)), end("success")));
        Path db = dir.toRealPath().resolve("history.db");

        Child deploy = start(Map.of("NCP_ACCESS_KEY", ncp.accessKey(), "NCP_SECRET_KEY", ncp.secretKey()),
                "--db", db.toString(), "ncp", "deploy", "--project-id", String.valueOf(project), "--stage-id", "34",
                "--scenario-id", "56", "--project", "acme/web", "--commit", "3f2c1a9", "--endpoint",
                ncp.baseUri().toString(), "--interval", "30s");
        await("ncp deploy polling NCP", Duration.ofSeconds(60), List.of(deploy),
                () -> ncp.detailCalls() > 0 ? Optional.of(true) : Optional.empty());
        Deployment running = await("ncp deploy recording the deployment and polling NCP once", Duration.ofSeconds(60),
                List.of(deploy), () -> row(db).filter(d -> d.status() == DeploymentStatus.RUNNING
                        && d.checks().get(0).lastSourceStatus() != null));
        String historyId = running.checks().get(0).ref().require("historyId");
        assertThat(ncp.status(project, Long.parseLong(historyId))).isEqualTo("inprogress");

        Child serve = start(Map.of("DEPLOYTRACK_WEBHOOK_SECRET", SECRET), "--db", db.toString(), "webhook", "serve",
                "--port", "0", "--path", "/hooks");
        int port = await("webhook serve listening", Duration.ofSeconds(60), List.of(deploy, serve), () -> {
            Matcher m = LISTENING.matcher(serve.stdout());
            return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
        });

        long sent = System.nanoTime();
        HttpResponse<String> r = push(port, "cross-process-1", "{\"ref\": {\"type\": \"ncp\", \"projectId\": "
                + project + ", \"historyId\": " + historyId + "}, \"status\": \"success\"}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).startsWith("{\"status\":\"recorded_for_holder\",\"detail\":\"recorded for the instance "
                + "that follows it").endsWith("\"deployments\":[" + running.id() + "]}");
        Deployment done = await("the deployment ended by the push", Duration.ofSeconds(20), List.of(serve),
                () -> row(db).filter(d -> d.status() != DeploymentStatus.RUNNING));
        long endedAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
        System.out.println("push_to_another_process ended_after_ms=" + endedAfterMs);

        assertThat(done.status()).isEqualTo(DeploymentStatus.SUCCESS);
        assertThat(ncp.status(project, Long.parseLong(historyId))).as("NCP still says inprogress: not a poll")
                .isEqualTo("inprogress");
        assertThat(deploy.process().waitFor(60, TimeUnit.SECONDS)).as("ncp deploy ends with its deployment; %s",
                deploy.stderr()).isTrue();
        assertThat(deploy.process().exitValue()).as("ncp deploy's exit; stdout %s stderr %s", deploy.stdout(),
                deploy.stderr()).isZero();
        assertThat(deploy.stdout()).contains("success");
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(db)) {
            List<DeploymentEvent> completed = store.events(done.id()).stream()
                    .filter(e -> e.type().equals("completed")).toList();
            assertThat(completed).as("ended exactly once").singleElement().extracting(DeploymentEvent::message)
                    .isEqualTo("ended by push via webhook");
            assertThat(store.list(HistoryQuery.all(10))).as("one row, no second one").hasSize(1);
        }
        assertThat(pendingPushes(db)).as("the push was taken").isZero();
        assertThat(serve.stderr()).doesNotContain(SECRET);
        assertThat(deploy.stderr() + deploy.stdout()).doesNotContain(SECRET);
    }
}
