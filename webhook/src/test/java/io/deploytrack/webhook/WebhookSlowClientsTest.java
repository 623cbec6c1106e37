package io.deploytrack.webhook;

import io.deploytrack.core.CheckRef;
import io.deploytrack.core.CheckSpec;
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

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.deploytrack.webhook.WebhookFixture.SECRET;
import static io.deploytrack.webhook.WebhookFixture.callback;
import static io.deploytrack.webhook.WebhookFixture.callbackBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The standalone server against slow and greedy clients, over real sockets. Found by a probe: four clients that sent
 * {@code POST /hooks HTTP/1.1} and a header, then nothing, made every signed push time out for as long as they stayed.
 */
class WebhookSlowClientsTest {
    private static final String NCP_REF_JSON = "{\"type\": \"ncp\", \"projectId\": \"3\", \"historyId\": \"5001\"}";
    private static final String HALF_A_REQUEST = "POST /hooks HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n";

    @TempDir
    Path dir;

    private final ManualClock clock = ManualClock.of(Instant.parse("2026-03-01T10:00:00Z"));
    private final ManualScheduler scheduler = ManualScheduler.of(clock);
    private final ScriptedPollingSource ncp = ScriptedPollingSource.of("ncp", null);
    private final CheckRef ref = CheckRef.of("ncp", "projectId", "3", "historyId", "5001");
    private final List<AutoCloseable> open = new ArrayList<>();
    private JdbcHistoryStore store;
    private DeploymentTracker tracker;

    @BeforeEach
    void start() {
        store = JdbcHistoryStore.builder().sqlite(dir.resolve("deploytrack.db")).clock(clock).build();
        ncp.script(ref, Observation.inProgress("inprogress"));
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        store.close();
    }

    private WebhookServer serve(WebhookPushSource.Builder b) {
        WebhookPushSource webhook = b.secret(SECRET).clock(clock).build();
        tracker = DeploymentTracker.builder(store).clock(clock).scheduler(scheduler).executor(scheduler)
                .discoverSources(false).pollInterval(Duration.ofSeconds(5)).pollJitter(0)
                .source(ncp).source(webhook).build().start();
        open.add(tracker);
        WebhookServer server = webhook.listen("127.0.0.1", 0, "/hooks");
        open.add(server);
        return server;
    }

    private DeploymentHandle running() {
        DeploymentHandle h = tracker.track(DeploymentRequest.builder("acme", "web", "abc1234").build(), CheckSpec.of(ref));
        scheduler.runPending();
        return h;
    }

    /** A client that sends half a request's headers, then nothing. */
    private Socket halfOpen(WebhookServer server) throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        open.add(s);
        s.getOutputStream().write(HALF_A_REQUEST.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return s;
    }

    /** Everything the server sends until it closes; the generous read timeout only bounds a broken server. */
    private static String untilClosed(Socket s) throws IOException {
        s.setSoTimeout(60_000);
        InputStream in = s.getInputStream();
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void fourIdleHalfOpenConnectionsDoNotStallASignedPush() throws Exception {
        WebhookServer server = serve(WebhookPushSource.builder()); // default limits and timeouts (10 s for headers)
        DeploymentHandle h = running();
        for (int i = 0; i < 4; i++) {
            halfOpen(server);
        }

        HttpResponse<String> r = callback(server, SECRET, clock.instant(), "beside-idle",
                callbackBody(NCP_REF_JSON, "success", null));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"applied\"");
        scheduler.runPending();
        assertThat(store.find(h.deployment().id()).orElseThrow().status()).isEqualTo(DeploymentStatus.SUCCESS);
        // the push's own connection closes after its answer was read (the server drains it first): wait for that event
        long until = System.nanoTime() + 60_000_000_000L;
        while (server.openConnections() > 4 && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        assertThat(server.openConnections()).as("the idle ones are still open, waiting for their headers").isEqualTo(4);
    }

    @Test
    void aSlowlorisConnectionIsAnswered408AndClosedAfterTheHeaderTimeout() throws Exception {
        WebhookServer server = serve(WebhookPushSource.builder().headerTimeout(Duration.ofMillis(200)));
        Socket slow = halfOpen(server);

        String answer = untilClosed(slow);

        assertThat(answer).startsWith("HTTP/1.1 408 Request Timeout\r\n").contains("Connection: close")
                .contains("the request headers did not arrive within 200 ms");
    }

    @Test
    void aBodyThatStopsHalfWayIsAnswered408AfterTheBodyTimeoutAndWritesNothing() throws Exception {
        WebhookServer server = serve(WebhookPushSource.builder().bodyTimeout(Duration.ofMillis(200)));
        DeploymentHandle h = running();
        Socket s = new Socket("127.0.0.1", server.port());
        open.add(s);
        s.getOutputStream().write((HALF_A_REQUEST + "Content-Length: 100\r\n\r\n{\"ref\":").getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();

        assertThat(untilClosed(s)).startsWith("HTTP/1.1 408").contains("the body did not arrive within 200 ms (7 of 100 bytes came)");
        assertThat(store.find(h.deployment().id()).orElseThrow().status()).isEqualTo(DeploymentStatus.RUNNING);
    }

    @Test
    void connectionsOverTheLimitPerAddressAreRefused503WithRetryAfter() throws Exception {
        WebhookServer server = serve(WebhookPushSource.builder().maxConnections(8, 2));
        DeploymentHandle h = running();
        Socket first = halfOpen(server);
        halfOpen(server);

        Socket third = new Socket("127.0.0.1", server.port());
        open.add(third);
        assertThat(untilClosed(third)).startsWith("HTTP/1.1 503 Service Unavailable\r\n").contains("Retry-After: 1\r\n")
                .contains("2 connections from 127.0.0.1 are open, the limit per address");

        first.close();
        // The server counts the first one closed once it reads its end: the push is retried until then, as a sender would.
        HttpResponse<String> r = null;
        for (int attempt = 0; attempt < 600 && (r == null || r.statusCode() == 503); attempt++) {
            r = callback(server, SECRET, clock.instant(), "after-close", callbackBody(NCP_REF_JSON, "success", null));
        }
        assertThat(r.statusCode()).isEqualTo(200);
        scheduler.runPending();
        assertThat(store.find(h.deployment().id()).orElseThrow().status()).isEqualTo(DeploymentStatus.SUCCESS);
    }

    @Test
    void theHostIsTheAddressBoundAndAForeignOneIsRefusedNamingIt() {
        WebhookServer server = serve(WebhookPushSource.builder());
        assertThat(server.host()).isEqualTo("127.0.0.1");
        WebhookPushSource other = WebhookPushSource.builder().secret(SECRET).build();
        assertThatThrownBy(() -> other.listen("203.0.113.7", 0, "/hooks")) // TEST-NET-3: never this machine's
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("203.0.113.7");
        assertThatThrownBy(() -> WebhookPushSource.builder().maxConnections(4, 5))
                .hasMessageContaining("per address 5 is not usable");
        assertThatThrownBy(() -> WebhookPushSource.builder().headerTimeout(Duration.ZERO))
                .hasMessageContaining("headerTimeout PT0S is not usable");
    }
}
