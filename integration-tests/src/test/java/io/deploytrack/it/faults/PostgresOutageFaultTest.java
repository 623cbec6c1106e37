package io.deploytrack.it.faults;

import io.deploytrack.core.CheckRef;
import io.deploytrack.core.CheckSpec;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentHandle;
import io.deploytrack.core.DeploymentListener;
import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.HistoryStoreException;
import io.deploytrack.core.Observation;
import io.deploytrack.core.Push;
import io.deploytrack.core.PushResult;
import io.deploytrack.core.testkit.ManualClock;
import io.deploytrack.core.testkit.ManualScheduler;
import io.deploytrack.core.testkit.ScriptedPollingSource;
import io.deploytrack.jdbc.JdbcHistoryStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Fault probe (issue 21.9): PostgreSQL stopped and started again under load, with pushed and polled ends, on one
 * embedded server of this class's own (the shared one cannot be stopped), its data directory kept across the restart.
 * While the server is down: ends already acknowledged to their sender ({@code applied}) cannot be written, new pushes
 * are refused (the sender retries them), polls answer success and their ends cannot be written either. After the
 * restart every deployment ends exactly once, with the status its source gave: nothing lost, nothing duplicated,
 * and no push left recorded. The tracker runs on the manual clock and scheduler; only the server's stop and start
 * take real time.
 */
class PostgresOutageFaultTest {
    private static final int EACH = 20;

    @TempDir
    static Path data;
    private static int port;
    private static EmbeddedPostgres server;

    @BeforeAll
    static void startServer() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        server = start();
    }

    @AfterAll
    static void stopServer() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    /** The same data directory and port every time: a restart, not a new server. */
    private static EmbeddedPostgres start() throws IOException {
        return EmbeddedPostgres.builder().setDataDirectory(data.resolve("pg")).setCleanDataDirectory(false)
                .setPort(port).setServerConfig("fsync", "off").start();
    }

    private final ManualClock clock = ManualClock.of(Instant.parse("2026-03-01T10:00:00Z"));
    private final ManualScheduler scheduler = ManualScheduler.of(clock);
    private final ScriptedPollingSource ncp = ScriptedPollingSource.of("ncp", null);

    @Test
    void aStoppedAndRestartedServerLosesNoEndAndDuplicatesNone() throws Exception {
        Map<Long, AtomicInteger> completed = new ConcurrentHashMap<>();
        // unpooled: every store call opens its connection, so the outage and the return are seen at once
        JdbcHistoryStore store = JdbcHistoryStore.builder().dataSource(server.getPostgresDatabase()).build();
        DeploymentTracker tracker = DeploymentTracker.builder(store).clock(clock).scheduler(scheduler)
                .executor(scheduler).discoverSources(false).pollInterval(Duration.ofSeconds(5)).pollJitter(0)
                .leaseDuration(Duration.ofSeconds(30)).source(ncp).listener(new DeploymentListener() {
                    @Override
                    public void onCompleted(Deployment d) {
                        completed.computeIfAbsent(d.id(), k -> new AtomicInteger()).incrementAndGet();
                    }
                }).build().start();
        try {
            List<DeploymentHandle> acknowledged = new ArrayList<>();
            List<DeploymentHandle> refused = new ArrayList<>();
            List<DeploymentHandle> polled = new ArrayList<>();
            for (int i = 0; i < 3 * EACH; i++) {
                CheckRef ref = ncp.ref("h" + i);
                ncp.script(ref, Observation.inProgress("inprogress"));
                DeploymentHandle h = tracker.track(DeploymentRequest.builder("acme", "svc-" + i % 7, sha(i)).build(),
                        CheckSpec.of(ref));
                (i % 3 == 0 ? acknowledged : i % 3 == 1 ? refused : polled).add(h);
            }
            scheduler.advance(Duration.ofMillis(1250));

            // pushes recorded and taken (acknowledged as applied); their ends are written by the workers, after the stop
            for (DeploymentHandle h : acknowledged) {
                assertThat(push(tracker, h, "ack").outcome()).isEqualTo(PushResult.Outcome.APPLIED);
            }
            server.close();
            for (DeploymentHandle h : refused) {
                assertThatThrownBy(() -> push(tracker, h, "retry")).as("refused: the sender retries")
                        .isInstanceOf(HistoryStoreException.class);
            }
            for (DeploymentHandle h : polled) {
                ncp.script(ref(h), Observation.succeeded("success"));
            }
            scheduler.advance(Duration.ofSeconds(20), Duration.ofMillis(1250));
            assertThat(completed).as("nothing can be written while the server is down").isEmpty();

            server = start();
            for (DeploymentHandle h : refused) {
                assertThat(push(tracker, h, "retry").outcome()).as("the sender's retry").isEqualTo(PushResult.Outcome.APPLIED);
            }
            scheduler.advance(Duration.ofSeconds(60), Duration.ofMillis(1250));

            List<DeploymentHandle> all = new ArrayList<>(acknowledged);
            all.addAll(refused);
            all.addAll(polled);
            for (DeploymentHandle h : all) {
                Deployment d = store.find(h.id()).orElseThrow();
                assertThat(d.status()).as("deployment %d", h.id()).isEqualTo(DeploymentStatus.SUCCESS);
                assertThat(store.events(h.id())).as("deployment %d", h.id())
                        .filteredOn(e -> e.type().equals("completed")).hasSize(1);
                assertThat(completed.get(h.id())).as("onCompleted of %d", h.id()).hasValue(1);
            }
            assertThat(completed).hasSize(3 * EACH);
            for (DeploymentHandle h : acknowledged) {
                assertThat(store.events(h.id())).filteredOn(e -> e.type().equals("completed")).singleElement()
                        .satisfies(e -> assertThat(e.message()).isEqualTo("ended by push via fault-probe"));
            }
            assertThat(count(store, "SELECT COUNT(*) FROM deployment_pushes")).as("no push left recorded").isZero();
        } finally {
            tracker.close();
            store.close();
        }
    }

    private PushResult push(DeploymentTracker tracker, DeploymentHandle h, String delivery) {
        return tracker.push(Push.forRef("fault-probe", delivery + "-" + h.id(), ref(h),
                Observation.succeeded("success").withTimes(null, clock.instant())));
    }

    private static CheckRef ref(DeploymentHandle h) {
        return h.deployment().checks().get(0).ref();
    }

    private static String sha(int i) {
        return String.format("%07x", 0xabc0000 + i);
    }

    private static long count(JdbcHistoryStore store, String sql) throws Exception {
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
