package io.deploytrack.it.faults;

import io.deploytrack.core.support.CallbackSignature;
import io.deploytrack.core.CheckRef;
import io.deploytrack.core.CheckSpec;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentHandle;
import io.deploytrack.core.DeploymentListener;
import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.Observation;
import io.deploytrack.core.testkit.ManualClock;
import io.deploytrack.core.testkit.ManualScheduler;
import io.deploytrack.core.testkit.ScriptedPollingSource;
import io.deploytrack.jdbc.JdbcHistoryStore;
import io.deploytrack.webhook.WebhookResponse;
import io.deploytrack.webhook.WebhookPushSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fault probe (issue 21.9): a full disk under signed pushes. The SQLite file lives on a 3 MB tmpfs mounted for the
 * test (this needs root or CAP_SYS_ADMIN; CI runs as root, and the test is skipped, saying why, where mounting is not
 * permitted). A filler file takes every free byte; then each running deployment gets a signed push through the
 * receiver: a push the store cannot record is answered 503 with {@code Retry-After} (nothing acknowledged), a push
 * it could still record is answered 200 and must end its deployment even though the end's own write may fail. Once
 * the filler is removed, the sender's retries (same delivery ids) are applied: every deployment ends exactly once,
 * and no push is left recorded.
 */
class FullDiskFaultTest {
    private static final String SECRET = "full-disk-probe-secret-0123456789";
    private static final int DEPLOYMENTS = 30;

    @TempDir
    Path dir;
    private Path volume;
    private boolean mounted;

    private final ManualClock clock = ManualClock.of(Instant.parse("2026-03-01T10:00:00Z"));
    private final ManualScheduler scheduler = ManualScheduler.of(clock);
    private final ScriptedPollingSource ncp = ScriptedPollingSource.of("ncp", null);

    @BeforeEach
    void mountSmallVolume() throws Exception {
        volume = Files.createDirectory(dir.resolve("volume"));
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", volume.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        boolean done = p.waitFor(30, TimeUnit.SECONDS);
        mounted = done && p.exitValue() == 0;
        Assumptions.assumeTrue(mounted, "skipped: 'mount -t tmpfs -o size=3m' is not permitted on this machine ("
                + out + "); the full-disk probe needs root or CAP_SYS_ADMIN, as CI has");
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted) {
            new ProcessBuilder("umount", volume.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aPushDuringAFullDiskIsRefused503AndItsRetryAppliesOnceSpaceFrees() throws Exception {
        Path file = volume.resolve("deploytrack.db");
        Map<Long, AtomicInteger> completed = new ConcurrentHashMap<>();
        WebhookPushSource webhook = WebhookPushSource.builder().secret(SECRET).clock(clock).build();
        JdbcHistoryStore store = JdbcHistoryStore.builder().sqlite(file).clock(clock)
                .busyTimeout(Duration.ofMillis(200)).build();
        DeploymentTracker tracker = DeploymentTracker.builder(store).clock(clock).scheduler(scheduler)
                .executor(scheduler).discoverSources(false).pollInterval(Duration.ofSeconds(5)).pollJitter(0)
                .leaseDuration(Duration.ofSeconds(30)).source(ncp).source(webhook).listener(new DeploymentListener() {
                    @Override
                    public void onCompleted(Deployment d) {
                        completed.computeIfAbsent(d.id(), k -> new AtomicInteger()).incrementAndGet();
                    }
                }).build().start();
        Path filler = volume.resolve("filler");
        try {
            List<DeploymentHandle> handles = new ArrayList<>();
            for (int i = 0; i < DEPLOYMENTS; i++) {
                CheckRef ref = CheckRef.of("ncp", "projectId", "3", "historyId", Integer.toString(7000 + i));
                ncp.script(ref, Observation.inProgress("inprogress"));
                handles.add(tracker.track(DeploymentRequest.builder("acme", "web-" + i, "abc1234").build(),
                        CheckSpec.of(ref).pushedBy(webhook)));
            }
            scheduler.advance(Duration.ofMillis(1250));

            fill(filler);
            List<DeploymentHandle> refused = new ArrayList<>();
            for (DeploymentHandle h : handles) {
                WebhookResponse r = push(webhook, h);
                assertThat(r.status()).as("push for %d: 200 or 503, nothing else", h.id()).isIn(200, 503);
                if (r.status() == 503) {
                    assertThat(r.headers()).containsKey(WebhookResponse.RETRY_AFTER);
                    refused.add(h);
                }
                scheduler.runPending();
            }
            assertThat(refused).as("the full disk refused pushes").isNotEmpty();

            Files.delete(filler);
            for (DeploymentHandle h : refused) {
                assertThat(push(webhook, h).status()).as("the retry of %d", h.id()).isEqualTo(200);
            }
            scheduler.advance(Duration.ofSeconds(4), Duration.ofMillis(1250));

            for (DeploymentHandle h : handles) {
                assertThat(store.find(h.id()).orElseThrow().status()).as("deployment %d", h.id())
                        .isEqualTo(DeploymentStatus.SUCCESS);
                assertThat(store.events(h.id())).as("deployment %d", h.id())
                        .filteredOn(e -> e.type().equals("completed")).singleElement()
                        .satisfies(e -> assertThat(e.message()).isEqualTo("ended by push via webhook"));
            }
            scheduler.advance(Duration.ofSeconds(10), Duration.ofMillis(1250));
            assertThat(completed).hasSize(DEPLOYMENTS).allSatisfy((id, n) -> assertThat(n).as("%d", id).hasValue(1));
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM deployment_pushes")) {
                rs.next();
                assertThat(rs.getInt(1)).as("no push left recorded").isZero();
            }
        } finally {
            Files.deleteIfExists(filler);
            tracker.close();
            store.close();
        }
    }

    /** Writes until the volume has no byte left. */
    private static void fill(Path filler) throws IOException {
        byte[] chunk = new byte[16 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(chunk);
                out.flush();
            }
        } catch (IOException full) {
            // ENOSPC: the disk is full, which is the point
            assertThat(full.getMessage()).containsIgnoringCase("space");
        }
    }

    private WebhookResponse push(WebhookPushSource webhook, DeploymentHandle h) {
        CheckRef ref = h.deployment().checks().get(0).ref();
        byte[] body = ("{\"ref\": {\"type\": \"ncp\", \"projectId\": \"3\", \"historyId\": \""
                + ref.fields().get("historyId") + "\"}, \"status\": \"success\"}").getBytes(StandardCharsets.UTF_8);
        long ts = clock.instant().getEpochSecond();
        return webhook.receiver().handle("POST", Map.of(
                CallbackSignature.DELIVERY_HEADER, List.of("disk-" + h.id()),
                CallbackSignature.TIMESTAMP_HEADER, List.of(Long.toString(ts)),
                CallbackSignature.SIGNATURE_HEADER, List.of(CallbackSignature.sign(SECRET, ts, body))), body);
    }
}
