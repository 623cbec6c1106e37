package io.deploytrack.webhook;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.deploytrack.core.support.CallbackSignature;
import io.deploytrack.core.CheckRef;
import io.deploytrack.core.CheckSpec;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentHandle;
import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.Observation;
import io.deploytrack.core.testkit.ManualClock;
import io.deploytrack.core.testkit.ManualScheduler;
import io.deploytrack.core.testkit.ScriptedPollingSource;
import io.deploytrack.jdbc.JdbcHistoryStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

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
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.deploytrack.webhook.WebhookFixture.SECRET;
import static io.deploytrack.webhook.WebhookFixture.callback;
import static io.deploytrack.webhook.WebhookFixture.callbackBody;
import static io.deploytrack.webhook.WebhookFixture.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A push is acknowledged only once it is durable (issue 21): while the store cannot write, the receiver answers 503
 * with {@code Retry-After}, keeps nothing and does not consume the delivery id, so the sender's retry with the same id
 * is applied once the store is back, over HTTP and through {@link WebhookReceiver#handle} alike. The store really
 * fails: a second connection holds SQLite's write lock, and the store's writes give up after its busy timeout. Also:
 * a push that ends before it starts is refused, and every refusal's log line names its delivery id.
 */
class WebhookDurabilityTest {
    private static final String NCP_REF_JSON = "{\"type\": \"ncp\", \"projectId\": \"3\", \"historyId\": \"5001\"}";

    @TempDir
    Path dir;

    private final ManualClock clock = ManualClock.of(Instant.parse("2026-03-01T10:00:00Z"));
    private final ManualScheduler scheduler = ManualScheduler.of(clock);
    private final ScriptedPollingSource ncp = ScriptedPollingSource.of("ncp", null);
    private final CheckRef ref = CheckRef.of("ncp", "projectId", "3", "historyId", "5001");
    private final AtomicInteger completions = new AtomicInteger();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger webhookLog = (Logger) LoggerFactory.getLogger("io.deploytrack.webhook");
    private Path file;
    private JdbcHistoryStore store;
    private WebhookPushSource webhook;
    private DeploymentTracker tracker;
    private WebhookServer server;

    @BeforeEach
    void start() {
        logs.start();
        webhookLog.addAppender(logs);
        file = dir.resolve("deploytrack.db");
        // a short busy timeout: a write behind another connection's lock fails in 200 ms instead of 30 s
        store = JdbcHistoryStore.builder().sqlite(file).clock(clock).busyTimeout(Duration.ofMillis(200)).build();
        webhook = WebhookPushSource.builder().secret(SECRET).clock(clock).build();
        tracker = WebhookFixture.countingTracker(store, clock, scheduler, ncp, webhook, completions);
        server = webhook.listen(0, "/hooks");
        ncp.script(ref, Observation.inProgress("inprogress"));
    }

    @AfterEach
    void stop() {
        server.close();
        tracker.close();
        store.close();
        webhookLog.detachAppender(logs);
    }

    private DeploymentHandle trackPushed() {
        DeploymentHandle h = tracker.track(DeploymentRequest.builder("acme", "web", "abc1234").build(),
                CheckSpec.of(ref).pushedBy(webhook));
        scheduler.advance(Duration.ofMillis(1250));
        assertThat(ncp.polls(ref)).as("the first poll").isEqualTo(1);
        return h;
    }

    /** Another connection takes SQLite's write lock and keeps it until closed: the store's writes fail meanwhile. */
    private Connection holdWriteLock() throws Exception {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement s = c.createStatement()) {
            s.execute("BEGIN EXCLUSIVE");
        }
        return c;
    }

    private static void release(Connection lock) throws Exception {
        try (Statement s = lock.createStatement()) {
            s.execute("ROLLBACK");
        }
    }

    private int pendingPushes() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM deployment_pushes")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private List<String> refusals() {
        return logs.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.startsWith("webhook_refused"))
                .toList();
    }

    @Test
    void whileTheStoreCannotWriteAPushIsAnswered503AndTheRetryWithTheSameDeliveryIsApplied() throws Exception {
        DeploymentHandle h = trackPushed();
        List<Object> before = snapshot(store);
        String body = callbackBody(NCP_REF_JSON, "success", "\"finishedAt\": \"2026-03-01T10:00:01Z\"");

        HttpResponse<String> refused;
        try (Connection lock = holdWriteLock()) {
            refused = callback(server, SECRET, clock.instant(), "outage-1", body);
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(refused.body()).contains("nothing was kept", "send the same delivery again");
            release(lock);
        }
        scheduler.runPending();
        assertThat(snapshot(store)).as("nothing kept while the store failed").isEqualTo(before);
        assertThat(pendingPushes()).isZero();
        assertThat(refusals()).anyMatch(l -> l.contains("http_status=503") && l.contains("delivery=outage-1"));

        HttpResponse<String> retried = callback(server, SECRET, clock.instant(), "outage-1", body);

        assertThat(retried.statusCode()).as("the same delivery id, not consumed by the 503").isEqualTo(200);
        assertThat(retried.body()).startsWith("{\"status\":\"applied\",\"detail\":\"applied:")
                .endsWith(",\"deployments\":[" + h.deployment().id() + "]}");
        scheduler.runPending();
        Deployment d = store.find(h.deployment().id()).orElseThrow();
        assertThat(d.status()).isEqualTo(DeploymentStatus.SUCCESS);
        assertThat(d.completedAt()).isEqualTo(Instant.parse("2026-03-01T10:00:01Z"));
        assertThat(store.events(d.id())).filteredOn(e -> e.type().equals("completed")).singleElement()
                .satisfies(e -> assertThat(e.message()).isEqualTo("ended by push via webhook"));
        assertThat(completions).hasValue(1);
        assertThat(callback(server, SECRET, clock.instant(), "outage-1", body).body())
                .as("once applied, the id is consumed").contains("\"duplicate\"");
    }

    @Test
    void aPushAppliedWhoseEndCannotBeWrittenStaysRecordedAndItsEndArrivesOnceTheStoreIsBack() throws Exception {
        DeploymentHandle h = trackPushed();
        String body = callbackBody(NCP_REF_JSON, "success", "\"finishedAt\": \"2026-03-01T10:00:02Z\"");

        HttpResponse<String> applied = callback(server, SECRET, clock.instant(), "between-1", body);

        // Recorded and taken: the answer is given. The end itself is written by the tracker's workers, which run
        // (on the manual scheduler) only now, while another connection holds the write lock.
        assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);
        assertThat(applied.body()).startsWith("{\"status\":\"applied\"");
        try (Connection lock = holdWriteLock()) {
            scheduler.runPending();
            assertThat(store.find(h.deployment().id()).orElseThrow().status()).as("the end's write failed")
                    .isEqualTo(DeploymentStatus.RUNNING);
            release(lock);
        }
        assertThat(pendingPushes()).as("the push is kept until its end is committed").isEqualTo(1);
        assertThat(completions).hasValue(0);

        // the next tick takes it again (a quarter of the 5 s poll interval; the next poll is not due yet)
        int polls = ncp.polls(ref);
        scheduler.advance(Duration.ofMillis(1250));

        assertThat(ncp.polls(ref)).as("ended by the kept push, not by a poll").isEqualTo(polls);
        Deployment d = store.find(h.deployment().id()).orElseThrow();
        assertThat(d.status()).isEqualTo(DeploymentStatus.SUCCESS);
        assertThat(d.completedAt()).isEqualTo(Instant.parse("2026-03-01T10:00:02Z"));
        assertThat(store.events(d.id())).filteredOn(e -> e.type().equals("completed")).singleElement()
                .satisfies(e -> assertThat(e.message()).isEqualTo("ended by push via webhook"));
        scheduler.advance(Duration.ofSeconds(20), Duration.ofMillis(1250));
        assertThat(completions).as("once").hasValue(1);
        assertThat(h.completion()).isCompletedWithValueMatching(x -> x.status() == DeploymentStatus.SUCCESS);
        assertThat(pendingPushes()).as("forgotten once its end is committed").isZero();
        assertThat(store.events(d.id())).filteredOn(e -> e.type().equals("completed")).hasSize(1);
    }

    @Test
    void theSameRuleHoldsForAHostsOwnWebStack() throws Exception {
        DeploymentHandle h = trackPushed();
        byte[] body = callbackBody(NCP_REF_JSON, "failed", "\"message\": \"stage 1 failed\"")
                .getBytes(StandardCharsets.UTF_8);
        long ts = clock.instant().getEpochSecond();
        Map<String, List<String>> headers = Map.of(
                CallbackSignature.DELIVERY_HEADER, List.of("host-1"),
                CallbackSignature.TIMESTAMP_HEADER, List.of(Long.toString(ts)),
                CallbackSignature.SIGNATURE_HEADER, List.of(CallbackSignature.sign(SECRET, ts, body)));

        WebhookResponse refused;
        try (Connection lock = holdWriteLock()) {
            refused = webhook.receiver().handle("POST", headers, body);
            release(lock);
        }
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.headers()).containsEntry(WebhookResponse.RETRY_AFTER, "5");
        assertThat(pendingPushes()).isZero();

        WebhookResponse retried = webhook.receiver().handle("POST", headers, body);

        assertThat(retried.status()).isEqualTo(200);
        assertThat(retried.headers()).isEmpty();
        scheduler.runPending();
        Deployment d = store.find(h.deployment().id()).orElseThrow();
        assertThat(d.status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(d.errorMessage()).isEqualTo("stage 1 failed");
        assertThat(completions).hasValue(1);
    }

    @Test
    void aPushThatEndsBeforeItStartsIsRefusedWritesNothingAndItsLogLineNamesTheDelivery() throws Exception {
        DeploymentHandle h = trackPushed();
        List<Object> before = snapshot(store);

        HttpResponse<String> r = callback(server, SECRET, clock.instant(), "backwards-1", callbackBody(NCP_REF_JSON,
                "success", "\"startedAt\": \"2026-03-01T09:59:10Z\", \"finishedAt\": \"2000-01-01T00:00:00Z\""));

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("\\\"finishedAt\\\" 2000-01-01T00:00:00Z is before \\\"startedAt\\\" "
                + "2026-03-01T09:59:10Z");
        scheduler.runPending();
        assertThat(snapshot(store)).as("nothing written").isEqualTo(before);
        assertThat(pendingPushes()).isZero();
        assertThat(store.find(h.deployment().id()).orElseThrow().startedAt()).isEqualTo(before.stream()
                .filter(Deployment.class::isInstance).map(Deployment.class::cast).findFirst().orElseThrow().startedAt());
        assertThat(refusals()).anyMatch(l -> l.contains("http_status=400") && l.contains("delivery=backwards-1"));

        HttpResponse<String> unsigned = callback(server, "not-the-secret", clock.instant(), "unsigned-7",
                callbackBody(NCP_REF_JSON, "success", null));
        assertThat(unsigned.statusCode()).isEqualTo(401);
        assertThat(refusals()).as("the delivery id of a refused signature too")
                .anyMatch(l -> l.contains("http_status=401") && l.contains("delivery=unsigned-7"))
                .noneMatch(l -> l.contains("delivery=null"));
    }
}
