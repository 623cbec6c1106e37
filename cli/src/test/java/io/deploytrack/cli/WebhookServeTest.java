package io.deploytrack.cli;

import io.deploytrack.cli.internal.Context;
import io.deploytrack.cli.internal.TopCommand;
import io.deploytrack.core.support.CallbackSignature;
import io.deploytrack.core.CheckRef;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.Observation;
import io.deploytrack.core.testkit.ScriptedPollingSource;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** webhook serve resumes the running rows and ends them from signed callbacks received over HTTP. */
class WebhookServeTest {
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)/hooks");

    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void aSignedCallbackEndsTheResumedDeploymentAndServeExitsWhenIdle() throws Exception {
        Path db = dir.resolve("history.db");
        // a polling source that never sees the end: only the push can end it within the test
        ScriptedPollingSource source = ScriptedPollingSource.of("scripted-poll", null);
        CheckRef ref = source.ref("web-42");
        source.script(ref, Observation.inProgress("inprogress"));
        Deployment d;
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(db)) {
            d = Fixtures.running(store, "acme/web", "production", "aaaaaaa", Instant.now(), ref, Duration.ofMinutes(5),
                    "crashed", Duration.ofMillis(1));
        }
        Context ctx = new Context(Map.of("HOOK_SECRET", "new-secret,old-secret"), false, Clock.systemUTC()).withSource(source);
        CommandLine cl = TopCommand.commandLine(ctx);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> cl.execute("--db", db.toString(), "webhook",
                "serve", "--port", "0", "--path", "/hooks", "--secret-env", "HOOK_SECRET", "--until-idle"));

        int port = -1;
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (port < 0 && System.nanoTime() < until && !run.isDone()) {
            Matcher m = LISTENING.matcher(out.toString());
            if (m.find()) {
                port = Integer.parseInt(m.group(1));
            } else {
                try {
                    run.get(50, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException stillStarting) {
                    // bounded polling of the output until the port is printed
                }
            }
        }
        assertThat(port).as(out + "\n" + err).isPositive();
        assertThat(out.toString()).contains("resumed 1 deployment");

        byte[] body = ("{\"ref\": {\"type\": \"scripted-poll\", \"id\": \"web-42\"}, \"status\": \"success\"}")
                .getBytes(StandardCharsets.UTF_8);
        long ts = Instant.now().getEpochSecond();
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/hooks"))
                .header(CallbackSignature.DELIVERY_HEADER, "cli-1")
                .header(CallbackSignature.TIMESTAMP_HEADER, Long.toString(ts))
                .header(CallbackSignature.SIGNATURE_HEADER, CallbackSignature.sign("old-secret", ts, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);

        assertThat(run.get(30, TimeUnit.SECONDS)).as(out + "\n" + err).isZero();
        assertThat(out.toString()).contains("followed 1 to the end: 1 success, 0 not");
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(db)) {
            assertThat(store.find(d.id()).orElseThrow().status()).isEqualTo(DeploymentStatus.SUCCESS);
        }
    }

    @Test
    void withoutASecretItRefusesToStartAndNamesTheVariable() {
        Path db = dir.resolve("history.db");
        JdbcHistoryStore.sqlite(db).close();
        Cli.Result r = new Cli().run("--db", db.toString(), "webhook", "serve", "--port", "0");
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("no webhook secret: set the environment variable DEPLOYTRACK_RECEIVER_SECRET");
    }

    @Test
    @Timeout(60)
    void theReceiversSecretHasItsOwnVariableAndTheFormerNameStillWorksWithAWarning() throws Exception {
        Path db = dir.resolve("idle.db");
        JdbcHistoryStore.sqlite(db).close();
        // nothing to follow: with --until-idle it listens, then exits at once
        Cli.Result current = new Cli().env("DEPLOYTRACK_RECEIVER_SECRET", "in-secret")
                .run("--db", db.toString(), "webhook", "serve", "--port", "0", "--until-idle");
        assertThat(current.code()).as(current.toString()).isZero();
        assertThat(current.out()).contains("listening on http://127.0.0.1:");
        assertThat(current.err()).doesNotContain("deprecated");

        Cli.Result former = new Cli().env("DEPLOYTRACK_WEBHOOK_SECRET", "in-secret")
                .run("--db", db.toString(), "webhook", "serve", "--port", "0", "--until-idle");
        assertThat(former.code()).as(former.toString()).isZero();
        assertThat(former.err()).contains("warning: DEPLOYTRACK_WEBHOOK_SECRET is deprecated for 'webhook serve' and "
                + "will be removed: set DEPLOYTRACK_RECEIVER_SECRET").doesNotContain("in-secret");

        // the notifications' variables beside it, even half set, are not the receiver's business
        Cli.Result withNotifications = new Cli().env("DEPLOYTRACK_RECEIVER_SECRET", "in-secret")
                .env("DEPLOYTRACK_WEBHOOK_SIGNING_SECRET", "out-secret")
                .run("--db", db.toString(), "webhook", "serve", "--port", "0", "--until-idle");
        assertThat(withNotifications.code()).as(withNotifications.toString()).isZero();
    }

    @Test
    void theReceiversSecretDoesNotStopATrackingCommand() throws Exception {
        Path db = dir.resolve("resume.db");
        JdbcHistoryStore.sqlite(db).close();
        // issue 26: with the receiver's secret exported, 'ncp deploy' refused to start ("... WEBHOOK_URL is not")
        for (String name : new String[] {"DEPLOYTRACK_WEBHOOK_SECRET", "DEPLOYTRACK_RECEIVER_SECRET"}) {
            Cli.Result r = new Cli().env(name, "in-secret").run("--db", db.toString(), "resume", "--until-idle");
            assertThat(r.code()).as(name + "\n" + r).isZero();
            assertThat(r.err()).doesNotContain("DEPLOYTRACK_WEBHOOK_URL");
        }
    }

    @Test
    void aHostThatIsNoAddressIsRefusedNamingIt() {
        Path db = dir.resolve("history.db");
        JdbcHistoryStore.sqlite(db).close();
        Cli.Result r = new Cli().env("DEPLOYTRACK_WEBHOOK_SECRET", "s").run("--db", db.toString(), "webhook", "serve",
                "--port", "0", "--host", "[not-an-address]");
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("--host '[not-an-address]' is not usable: expected an address of this machine");
    }
}
