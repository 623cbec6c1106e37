package io.deploytrack.cli;

import io.deploytrack.cli.internal.Context;
import io.deploytrack.cli.internal.TopCommand;
import io.deploytrack.core.CheckRef;
import io.deploytrack.core.Deployment;
import io.deploytrack.jdbc.JdbcHistoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code serve} over a real SQLite file and real sockets: the page, the JSON, and the token off loopback. */
class ServeCommandTest {
    private static final Pattern SERVING = Pattern.compile("at http://127\\.0\\.0\\.1:(\\d+)/");
    private static final String TOKEN = "serve-token-0123456789abcdef";

    @TempDir
    Path dir;

    final HttpClient http = HttpClient.newHttpClient();

    /** serve on its own thread, stopped by interrupting it; the port read from what it prints. */
    private final class Running implements AutoCloseable {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final AtomicInteger code = new AtomicInteger(-1);
        final Thread thread;
        int port = -1;

        Running(Map<String, String> env, String... args) throws InterruptedException {
            CommandLine cl = TopCommand.commandLine(new Context(env, false, Clock.systemUTC()));
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));
            thread = new Thread(() -> code.set(cl.execute(args)), "serve-under-test");
            thread.start();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (port < 0 && System.nanoTime() < until && thread.isAlive()) {
                Matcher m = SERVING.matcher(out.toString());
                if (m.find()) {
                    port = Integer.parseInt(m.group(1));
                } else {
                    thread.join(50);
                }
            }
        }

        HttpResponse<String> get(String path, String token) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }

        @Override
        public void close() throws InterruptedException {
            thread.interrupt();
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
    }

    private Deployment oneRunning(Path db) {
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(db)) {
            return Fixtures.running(store, "acme/web", "production", "aaaaaaa", Instant.now(),
                    CheckRef.of("scripted", "id", "web-1"), Duration.ofMinutes(5), "elsewhere", Duration.ofMinutes(5));
        }
    }

    @Test
    @Timeout(90)
    void onLoopbackItServesThePageAndTheJsonOfTheDatabaseAndStopsCleanly() throws Exception {
        Path db = dir.resolve("history.db");
        Deployment d = oneRunning(db);
        try (Running serve = new Running(Map.of(), "--db", db.toString(), "serve", "--port", "0")) {
            assertThat(serve.port).as(serve.out + "\n" + serve.err).isPositive();
            HttpResponse<String> page = serve.get("/", null);
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("data-ws=\"/api/v1/ws/deployments\"");
            HttpResponse<String> one = serve.get("/api/v1/deployments/" + d.id(), null);
            assertThat(one.statusCode()).as(one.body()).isEqualTo(200);
            assertThat(one.body()).contains("\"status\":\"running\"", "\"progress\":");
            assertThat(serve.get("/api/v1/deployments?project=acme/web", null).body()).contains("\"id\":" + d.id());
            serve.close();
            assertThat(serve.thread.isAlive()).isFalse();
            assertThat(serve.code.get()).as(serve.err.toString()).isZero();
        }
    }

    @Test
    @Timeout(90)
    void boundToEveryInterfaceItRefusesARequestWithoutTheTokenFromTheEnvironment() throws Exception {
        Path db = dir.resolve("history.db");
        oneRunning(db);
        try (Running serve = new Running(Map.of("DEPLOYTRACK_SERVE_TOKEN", TOKEN), "--db", db.toString(), "serve",
                "--port", "0", "--host", "0.0.0.0")) {
            assertThat(serve.port).as(serve.out + "\n" + serve.err).isPositive();
            assertThat(serve.out.toString()).contains("bearer token from DEPLOYTRACK_SERVE_TOKEN required")
                    .doesNotContain(TOKEN);
            HttpResponse<String> refused = serve.get("/api/v1/deployments", null);
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.body()).doesNotContain(TOKEN);
            assertThat(serve.get("/api/v1/deployments/events", null).statusCode()).isEqualTo(401);
            assertThat(serve.get("/api/v1/deployments", TOKEN).statusCode()).isEqualTo(200);
            serve.close();
            assertThat(serve.out.toString() + serve.err).doesNotContain(TOKEN);
        }
    }

    @Test
    void boundToEveryInterfaceWithoutATokenItRefusesToStartNamingTheVariable() {
        Path db = dir.resolve("history.db");
        JdbcHistoryStore.sqlite(db).close();
        Cli.Result r = new Cli().run("--db", db.toString(), "serve", "--port", "0", "--host", "0.0.0.0");
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("not a loopback address", "DEPLOYTRACK_SERVE_TOKEN");
        Cli.Result weak = new Cli().env("DEPLOYTRACK_SERVE_TOKEN", "abc").run("--db", db.toString(), "serve",
                "--port", "0", "--host", "0.0.0.0");
        assertThat(weak.code()).as(weak.toString()).isEqualTo(2);
        assertThat(weak.err()).contains("too short", "at least 16").doesNotContain("abc ");
    }
}
