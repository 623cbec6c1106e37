package io.deploytrack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deploytrack.core.CheckRef;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.Observation;
import io.deploytrack.core.testkit.ScriptedPollingSource;
import io.deploytrack.jdbc.JdbcHistoryStore;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tracking command delivers the notifications of what it follows when the environment configures a channel; then
 * {@code notifications} lists the delivery log and {@code notifications redeliver} queues deliveries again, on SQLite,
 * with their exit codes.
 */
class NotificationsCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    @Timeout(90)
    void resumeDeliversThenOperatorsListAndRedeliver() throws Exception {
        Path db = dir.resolve("history.db");
        ScriptedPollingSource source = ScriptedPollingSource.of("scripted-poll", Duration.ofMillis(50));
        CheckRef ok = source.ref("ok");
        CheckRef bad = source.ref("bad");
        source.script(ok, Observation.inProgress("inprogress"), Observation.succeeded("success"));
        source.script(bad, Observation.inProgress("inprogress"), Observation.failed("fail", "tests failed"));
        Instant now = Instant.now();
        Deployment a;
        Deployment b;
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(db)) {
            a = Fixtures.running(store, "acme/web", "production", "aaaaaaa", now, ok, Duration.ofMinutes(5), "crashed", Duration.ofMillis(1));
            b = Fixtures.running(store, "acme/api", "production", "bbbbbbb", now, bad, Duration.ofMinutes(5), "crashed", Duration.ofMillis(1));
        }
        List<String> received = new ArrayList<>();
        try (MockWebServer receiver = new MockWebServer()) {
            receiver.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest r) {
                    byte[] bytes = r.getBody().readByteArray();
                    String body = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
                    // signed with the outgoing secret, not with the receiver's secrets set in the same environment
                    if (!io.deploytrack.notify.WebhookVerifier.of("cli-secret").isValid(r::getHeader, bytes)) {
                        return new MockResponse().setResponseCode(401).setBody("bad signature");
                    }
                    synchronized (received) {
                        received.add(body);
                    }
                    // the receiver refuses what it is sent about acme/api: a permanent error, failed at once
                    return body.contains("\"repo\":\"api\"") ? new MockResponse().setResponseCode(400).setBody("unknown project")
                            : new MockResponse().setResponseCode(204);
                }
            });
            receiver.start();
            Cli cli = new Cli().source(source)
                    .env("DEPLOYTRACK_WEBHOOK_URL", receiver.url("/deploys").toString())
                    .env("DEPLOYTRACK_WEBHOOK_SIGNING_SECRET", "cli-secret")
                    // both receiver variables too, as in a shell that also runs 'webhook serve'
                    .env("DEPLOYTRACK_RECEIVER_SECRET", "incoming-secret")
                    .env("DEPLOYTRACK_WEBHOOK_SECRET", "incoming-secret-formerly")
                    .env("DEPLOYTRACK_NOTIFY_STATUSES", "success,failed,cancelled,timed_out");
            Cli.Result r = cli.run("--db", db.toString(), "resume", "--until-idle", "--interval", "100ms");
            assertThat(r.code()).as(r.toString()).isZero();
            assertThat(r.out()).contains("followed 2 to the end: 1 success, 1 not").doesNotContain("still pending");
            synchronized (received) {
                assertThat(received).hasSize(2);
            }

            Cli plain = new Cli();
            Cli.Result list = plain.run("--db", db.toString(), "notifications", "--json");
            assertThat(list.code()).as(list.toString()).isZero();
            JsonNode rows = JSON.readTree(list.out());
            assertThat(rows).hasSize(2);
            JsonNode delivered = null;
            JsonNode failed = null;
            for (JsonNode n : rows) {
                assertThat(n.get("channel").asText()).isEqualTo("webhook");
                assertThat(n.get("eventType").asText()).isEqualTo("completed");
                if (n.get("deploymentId").asLong() == a.id()) {
                    delivered = n;
                } else {
                    failed = n;
                }
            }
            assertThat(delivered.get("status").asText()).isEqualTo("delivered");
            assertThat(delivered.get("eventStatus").asText()).isEqualTo("success");
            assertThat(failed.get("deploymentId").asLong()).isEqualTo(b.id());
            assertThat(failed.get("status").asText()).isEqualTo("failed");
            assertThat(failed.get("attempts").asInt()).isEqualTo(1);
            assertThat(failed.get("lastError").asText()).contains("HTTP 400", "unknown project");

            Cli.Result onlyFailed = plain.run("--db", db.toString(), "notifications", "--status", "failed");
            assertThat(onlyFailed.code()).as(onlyFailed.toString()).isZero();
            assertThat(onlyFailed.out()).contains("failed", "#" + b.id(), "HTTP 400").doesNotContain("#" + a.id() + " ");

            assertThat(plain.run("--db", db.toString(), "notifications", "--status", "lost").code()).isEqualTo(2);
            assertThat(plain.run("--db", db.toString(), "notifications", "redeliver").code()).isEqualTo(2);
            assertThat(plain.run("--db", db.toString(), "notifications", "redeliver", "5", "--failed").code()).isEqualTo(2);
            Cli.Result missing = plain.run("--db", db.toString(), "notifications", "redeliver", "999");
            assertThat(missing.code()).isEqualTo(4);
            assertThat(missing.err()).contains("no notification #999");
            assertThat(plain.run("--db", dir.resolve("absent.db").toString(), "notifications").code()).isEqualTo(1);

            Cli.Result again = plain.run("--db", db.toString(), "notifications", "redeliver", "--failed");
            assertThat(again.code()).as(again.toString()).isZero();
            assertThat(again.out()).contains("queued again: 1 notification");
            Cli.Result pending = plain.run("--db", db.toString(), "notifications", "--status", "pending", "--json");
            JsonNode p = JSON.readTree(pending.out());
            assertThat(p).hasSize(1);
            assertThat(p.get(0).get("id").asLong()).isEqualTo(failed.get("id").asLong());
            assertThat(p.get(0).get("attempts").asInt()).isZero();
            Cli.Result one = plain.run("--db", db.toString(), "notifications", "redeliver", delivered.get("id").asText());
            assertThat(one.code()).as(one.toString()).isZero();
            assertThat(one.out()).contains("was delivered");
            assertThat(plain.run("--db", db.toString(), "notifications", "redeliver", "--failed").out())
                    .contains("no failed notifications");
            // every replay is in the deployment's events
            Cli.Result show = plain.run("--db", db.toString(), "show", String.valueOf(b.id()), "--json");
            assertThat(show.out()).contains("notification_redelivery", "queued again by deploytrack notifications redeliver --failed");

            // a channel configured wrongly is a usage error before anything is tracked
            Cli.Result misconfigured = new Cli().env("DEPLOYTRACK_WEBHOOK_URL", receiver.url("/deploys").toString())
                    .run("--db", db.toString(), "resume", "--until-idle");
            assertThat(misconfigured.code()).isEqualTo(2);
            assertThat(misconfigured.err()).contains("DEPLOYTRACK_WEBHOOK_URL is set but DEPLOYTRACK_WEBHOOK_SIGNING_SECRET "
                    + "is not");
        }
    }
}
