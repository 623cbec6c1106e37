package io.deploytrack.webhook;

import io.deploytrack.core.CheckRef;
import io.deploytrack.core.CheckSpec;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentEvent;
import io.deploytrack.core.DeploymentHandle;
import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.InvalidRequestException;
import io.deploytrack.core.Observation;
import io.deploytrack.core.testkit.ManualClock;
import io.deploytrack.core.testkit.ManualScheduler;
import io.deploytrack.core.testkit.ScriptedPollingSource;
import io.deploytrack.jdbc.JdbcHistoryStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static io.deploytrack.webhook.WebhookFixture.SECRET;
import static io.deploytrack.webhook.WebhookFixture.callback;
import static io.deploytrack.webhook.WebhookFixture.callbackBody;
import static io.deploytrack.webhook.WebhookFixture.github;
import static io.deploytrack.webhook.WebhookFixture.githubDeploymentStatus;
import static io.deploytrack.webhook.WebhookFixture.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The webhook source end to end: real HTTP requests to the JDK server, a tracker on a real SQLite file, a polling
 * source as the safety net, time on a manual clock and scheduler.
 */
class WebhookPushSourceTest {
    private static final String NCP_REF_JSON =
            "{\"type\": \"ncp\", \"projectId\": \"3\", \"historyId\": \"5001\"}";

    @TempDir
    Path dir;

    private final ManualClock clock = ManualClock.of(Instant.parse("2026-03-01T10:00:00Z"));
    private final ManualScheduler scheduler = ManualScheduler.of(clock);
    private final ScriptedPollingSource ncp = ScriptedPollingSource.of("ncp", null);
    private final CheckRef ref = CheckRef.of("ncp", "projectId", "3", "historyId", "5001", "stageId", "1", "scenarioId", "1");
    private final AtomicInteger completions = new AtomicInteger();
    private Path file;
    private JdbcHistoryStore store;
    private WebhookPushSource webhook;
    private DeploymentTracker tracker;
    private WebhookServer server;

    @BeforeEach
    void start() {
        file = dir.resolve("deploytrack.db");
        store = JdbcHistoryStore.builder().sqlite(file).clock(clock).build();
        webhook = WebhookPushSource.builder().secret("the-old-secret").secret(SECRET).clock(clock).build();
        tracker = WebhookFixture.countingTracker(store, clock, scheduler, ncp, webhook, completions);
        server = webhook.listen(0, "/hooks");
        ncp.script(ref, Observation.inProgress("inprogress"));
    }

    @AfterEach
    void stop() {
        server.close();
        tracker.close();
        store.close();
    }

    private DeploymentHandle trackPushed() {
        DeploymentHandle h = tracker.track(DeploymentRequest.builder("acme", "web", "abc1234").build(),
                CheckSpec.of(ref).pushedBy(webhook));
        scheduler.advance(Duration.ofMillis(1250));
        assertThat(ncp.polls(ref)).as("the first poll").isEqualTo(1);
        return h;
    }

    private int pendingPushes() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM deployment_pushes")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void aGoodSignatureEndsTheCheckAtOnceWithTheSendersTimes() throws Exception {
        DeploymentHandle h = trackPushed();
        String body = callbackBody(NCP_REF_JSON, "success",
                "\"message\": \"deployed by stage 1\", \"startedAt\": \"2026-03-01T09:59:10Z\", "
                        + "\"finishedAt\": \"2026-03-01T10:00:01.500+00:00\"");

        HttpResponse<String> r = callback(server, SECRET, clock.instant(), "d-1", body);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"status\":\"applied\",\"detail\":\"applied: recorded in the store and "
                + "applied by this instance, which follows the deployment; nothing more to send\",\"deployments\":["
                + h.deployment().id() + "]}");
        scheduler.runPending();
        Deployment d = store.find(h.deployment().id()).orElseThrow();
        assertThat(d.status()).isEqualTo(DeploymentStatus.SUCCESS);
        assertThat(d.startedAt()).isEqualTo(Instant.parse("2026-03-01T09:59:10Z"));
        assertThat(d.completedAt()).isEqualTo(Instant.parse("2026-03-01T10:00:01.500Z"));
        assertThat(d.checks().get(0).lastSourceStatus()).isEqualTo("success");
        assertThat(ncp.polls(ref)).as("no poll was needed").isEqualTo(1);
        assertThat(h.completion()).isCompletedWithValueMatching(x -> x.status() == DeploymentStatus.SUCCESS);
        assertThat(store.events(d.id())).filteredOn(e -> e.type().equals("completed")).singleElement()
                .extracting(DeploymentEvent::message).isEqualTo("ended by push via webhook");
        assertThat(completions).hasValue(1);
    }

    @Test
    void theOldSecretIsAcceptedWhileRotatingAndAFailureCarriesItsMessage() throws Exception {
        DeploymentHandle h = trackPushed();
        HttpResponse<String> r = callback(server, "the-old-secret", clock.instant(), "d-2",
                callbackBody(NCP_REF_JSON, "failed", "\"message\": \"stage 1 failed: exit 2\""));
        assertThat(r.statusCode()).isEqualTo(200);
        scheduler.runPending();
        Deployment d = store.find(h.deployment().id()).orElseThrow();
        assertThat(d.status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(d.errorStage()).isEqualTo("ncp");
        assertThat(d.errorMessage()).isEqualTo("stage 1 failed: exit 2");
    }

    @Test
    void everyRefusalHasItsStatusCodeAndWritesNothing() throws Exception {
        DeploymentHandle h = trackPushed();
        List<Object> before = snapshot(store);
        String good = callbackBody(NCP_REF_JSON, "success", null);

        HttpResponse<String> wrongSecret = callback(server, "not-the-secret", clock.instant(), "r-1", good);
        assertThat(wrongSecret.statusCode()).isEqualTo(401);
        assertThat(wrongSecret.body()).contains("does not match any configured secret").doesNotContain(SECRET);

        HttpResponse<String> old = callback(server, SECRET, clock.instant().minus(Duration.ofMinutes(5)).minusSeconds(1),
                "r-2", good);
        assertThat(old.statusCode()).isEqualTo(401);
        assertThat(old.body()).contains("more than 300 s away");

        HttpResponse<String> malformed = callback(server, SECRET, clock.instant(), "r-3",
                "{\"ref\": " + NCP_REF_JSON + ", \"status\": \"success\",}");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.body()).contains("malformed JSON at character").contains("expected a member name");

        HttpResponse<String> noStatus = callback(server, SECRET, clock.instant(), "r-4", "{\"ref\": " + NCP_REF_JSON + "}");
        assertThat(noStatus.statusCode()).isEqualTo(400);
        assertThat(noStatus.body()).contains("\\\"status\\\" is missing");

        HttpResponse<String> unknown = callback(server, SECRET, clock.instant(), "r-5",
                callbackBody("{\"type\": \"ncp\", \"projectId\": \"3\", \"historyId\": \"9999\"}", "success", null));
        assertThat(unknown.statusCode()).isEqualTo(202);
        assertThat(unknown.body()).isEqualTo("{\"status\":\"no_running_check\",\"detail\":\"nothing to do: no "
                + "running check matches (unknown, or already ended); do not send it again\"}");

        String big = callbackBody(NCP_REF_JSON, "success", "\"message\": \"" + "x".repeat(64 * 1024) + "\"");
        HttpResponse<String> oversized = callback(server, SECRET, clock.instant(), "r-6", big);
        assertThat(oversized.statusCode()).isEqualTo(413);
        assertThat(oversized.body()).contains("over the limit of 65536 bytes");

        scheduler.runPending();
        assertThat(snapshot(store)).as("nothing written by any refusal").isEqualTo(before);
        assertThat(pendingPushes()).isZero();
        assertThat(store.find(h.deployment().id()).orElseThrow().status()).isEqualTo(DeploymentStatus.RUNNING);
    }

    @Test
    void aReplayedDeliveryIsAnswered200AndIgnored() throws Exception {
        DeploymentHandle h = trackPushed();
        String running = callbackBody(NCP_REF_JSON, "deploying", "\"message\": \"stage 1 of 2\"");
        assertThat(callback(server, SECRET, clock.instant(), "same-id", running).statusCode()).isEqualTo(200);
        scheduler.runPending();
        List<Object> before = snapshot(store);
        assertThat(store.find(h.deployment().id()).orElseThrow().checks().get(0).lastSourceStatus()).isEqualTo("deploying");

        // the same delivery again, even re-signed later and with another body, is ignored
        clock.advance(Duration.ofSeconds(30));
        HttpResponse<String> replay = callback(server, SECRET, clock.instant(), "same-id",
                callbackBody(NCP_REF_JSON, "success", null));
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(replay.body()).contains("\"duplicate\"");
        scheduler.runPending();
        assertThat(snapshot(store)).isEqualTo(before);
        assertThat(pendingPushes()).isZero();
    }

    @Test
    void anOversizedBodyIsRefusedFromItsContentLengthBeforeItIsSent() throws Exception {
        List<Object> before = snapshot(store);
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            // Announces 10 MB but sends none of it: a receiver that read the body first would wait here until timeout.
            out.write(("POST /hooks HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 10000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(status).isEqualTo("HTTP/1.1 413");
        }
        assertThat(snapshot(store)).isEqualTo(before);
    }

    @Test
    void githubDeploymentStatusEventsEndTheCheckWhoseAttributeHoldsTheDeploymentId() throws Exception {
        DeploymentHandle ok = tracker.track(DeploymentRequest.builder("acme", "web", "abc1234")
                .attribute("github_deployment_id", "777001").build(), CheckSpec.of(ref).pushedBy(webhook));
        CheckRef other = CheckRef.of("ncp", "projectId", "3", "historyId", "5002");
        ncp.script(other, Observation.inProgress("inprogress"));
        DeploymentHandle failing = tracker.track(DeploymentRequest.builder("acme", "api", "def5678")
                .attribute("github_deployment_id", "777002").build(), CheckSpec.of(other).pushedBy(webhook));
        scheduler.runPending();

        HttpResponse<String> progress = github(server, SECRET, "deployment_status", "gh-1",
                githubDeploymentStatus(777001, "in_progress", "rolling out"));
        assertThat(progress.statusCode()).isEqualTo(200);
        scheduler.runPending();
        assertThat(store.find(ok.deployment().id()).orElseThrow().checks().get(0).lastSourceStatus()).isEqualTo("in_progress");

        assertThat(github(server, SECRET, "deployment_status", "gh-2",
                githubDeploymentStatus(777001, "success", "Deployment finished successfully.")).statusCode()).isEqualTo(200);
        assertThat(github(server, SECRET, "deployment_status", "gh-3",
                githubDeploymentStatus(777002, "failure", "health check failed")).statusCode()).isEqualTo(200);
        scheduler.runPending();

        Deployment d = store.find(ok.deployment().id()).orElseThrow();
        assertThat(d.status()).isEqualTo(DeploymentStatus.SUCCESS);
        assertThat(d.startedAt()).as("GitHub's deployment.created_at").isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
        assertThat(d.completedAt()).as("the status' created_at").isEqualTo(Instant.parse("2026-03-01T10:01:30Z"));
        Deployment f = store.find(failing.deployment().id()).orElseThrow();
        assertThat(f.status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(f.errorMessage()).isEqualTo("health check failed");
        assertThat(f.checks().get(0).lastSourceStatus()).isEqualTo("failure");
    }

    @Test
    void githubRefusalsAndOtherEventsWriteNothing() throws Exception {
        tracker.track(DeploymentRequest.builder("acme", "web", "abc1234").attribute("github_deployment_id", "777001")
                .build(), CheckSpec.of(ref).pushedBy(webhook));
        scheduler.runPending();
        List<Object> before = snapshot(store);
        String body = githubDeploymentStatus(777001, "success", "done");

        assertThat(github(server, "wrong", "deployment_status", "g-1", body).statusCode()).isEqualTo(401);
        HttpResponse<String> ping = github(server, SECRET, "ping", "g-2", "{\"zen\": \"Keep it logically awesome.\", \"hook_id\": 1}");
        assertThat(ping.statusCode()).isEqualTo(202);
        assertThat(github(server, SECRET, "push", "g-3", "{\"ref\": \"refs/heads/main\"}").statusCode()).isEqualTo(202);
        assertThat(github(server, SECRET, "deployment_status", "g-4", githubDeploymentStatus(999, "success", "x"))
                .statusCode()).as("no deployment has this GitHub id").isEqualTo(202);
        scheduler.runPending();
        assertThat(snapshot(store)).isEqualTo(before);
        assertThat(pendingPushes()).isZero();
    }

    @Test
    void aLostPushIsEndedByPollingWhichTheEventLogSays() {
        DeploymentHandle h = trackPushed();
        ncp.script(ref, Observation.succeeded("success"));
        scheduler.advance(Duration.ofSeconds(6), Duration.ofMillis(500));
        Deployment d = store.find(h.deployment().id()).orElseThrow();
        assertThat(d.status()).isEqualTo(DeploymentStatus.SUCCESS);
        assertThat(store.events(d.id())).filteredOn(e -> e.type().equals("completed")).singleElement()
                .extracting(DeploymentEvent::message)
                .isEqualTo("ended by the ncp source (the safety net); no push came first");
        assertThat(completions).hasValue(1);
    }

    @Test
    void aPushThenAPollOfTheSameEndMakeOneCompletionAndOneOnCompleted() throws Exception {
        DeploymentHandle h = trackPushed();
        ncp.script(ref, Observation.succeeded("success"));
        assertThat(callback(server, SECRET, clock.instant(), "p-1", callbackBody(NCP_REF_JSON, "success", null))
                .statusCode()).isEqualTo(200);
        scheduler.runPending();
        scheduler.advance(Duration.ofMinutes(2), Duration.ofSeconds(1));
        assertThat(callback(server, SECRET, clock.instant(), "p-2", callbackBody(NCP_REF_JSON, "failed", null))
                .statusCode()).as("a late push for an ended check: nothing to do").isEqualTo(202);
        scheduler.runPending();
        assertThat(store.find(h.deployment().id()).orElseThrow().status()).isEqualTo(DeploymentStatus.SUCCESS);
        assertThat(store.events(h.deployment().id())).filteredOn(e -> e.type().equals("completed")).hasSize(1);
        assertThat(completions).hasValue(1);
    }

    @Test
    void pollsStretchWhilePushesArriveAndResumeWhenTheyStop() throws Exception {
        trackPushed();
        scheduler.advance(Duration.ofSeconds(5), Duration.ofMillis(500));
        assertThat(ncp.polls(ref)).as("every 5 s without pushes").isEqualTo(2);
        assertThat(callback(server, SECRET, clock.instant(), "s-1", callbackBody(NCP_REF_JSON, "inprogress", null))
                .statusCode()).isEqualTo(200);
        scheduler.runPending();
        scheduler.advance(Duration.ofSeconds(55), Duration.ofMillis(500));
        assertThat(ncp.polls(ref)).as("no poll within the stretched 60 s").isEqualTo(2);
        scheduler.advance(Duration.ofSeconds(15), Duration.ofMillis(500));
        assertThat(ncp.polls(ref)).as("polling resumes once pushes stop").isGreaterThanOrEqualTo(4);
    }

    @Test
    void aCheckCannotBePushedByASourceTheTrackerDoesNotHave() {
        WebhookPushSource stranger = WebhookPushSource.builder().secret("x").build();
        assertThat(stranger.type()).isEqualTo("webhook");
        DeploymentTracker without = DeploymentTracker.builder(store).clock(clock).scheduler(scheduler)
                .executor(scheduler).discoverSources(false).source(ncp).build();
        try {
            assertThatThrownBy(() -> without.track(DeploymentRequest.builder("acme", "web", "fff0000").build(),
                    CheckSpec.of(ref).pushedBy(stranger)))
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("pushed by 'webhook', which is not a push source registered");
        } finally {
            without.close();
        }
    }

    @Test
    void secretsNeverShowAndAreRequired() {
        assertThat(WebhookPushSource.builder().secret("hunter2-secret").toString()).doesNotContain("hunter2");
        assertThat(webhook.toString()).doesNotContain(SECRET);
        assertThatThrownBy(() -> WebhookPushSource.builder().build()).hasMessageContaining("needs at least one secret");
        assertThatThrownBy(() -> WebhookPushSource.builder().secret(" ")).hasMessageContaining("secret is empty");
    }
}
