package io.deploytrack.jdbc;

import io.deploytrack.core.CheckRef;
import io.deploytrack.core.CheckSpec;
import io.deploytrack.core.DeploymentHandle;
import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.Observation;
import io.deploytrack.core.Push;
import io.deploytrack.core.testkit.ManualClock;
import io.deploytrack.core.testkit.ManualScheduler;
import io.deploytrack.core.testkit.ScriptedPollingSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code doctor} flags a row whose check ended before it started, as an earlier version wrote from a push whose
 * {@code finishedAt} was before its {@code startedAt} (issue 21): the row's own start had moved to the check's end,
 * so the row alone looked healthy.
 */
class PushedEndBeforeStartTest {
    @TempDir
    Path dir;

    @Test
    void aCheckThatAPushEndedBeforeItStartedIsReportedAsCompletedBeforeStart() throws Exception {
        Path db = dir.resolve("deploytrack.db");
        ManualClock clock = ManualClock.of(Instant.parse("2026-03-01T10:00:00Z"));
        ManualScheduler scheduler = ManualScheduler.of(clock);
        ScriptedPollingSource ncp = ScriptedPollingSource.of("ncp", null);
        CheckRef ref = ncp.ref("5001");
        ncp.script(ref, Observation.inProgress("inprogress"));
        long id;
        try (JdbcHistoryStore store = JdbcHistoryStore.builder().sqlite(db).clock(clock).build();
             DeploymentTracker tracker = DeploymentTracker.builder(store).clock(clock).scheduler(scheduler)
                     .executor(scheduler).discoverSources(false).source(ncp).build().start()) {
            DeploymentHandle h = tracker.track(DeploymentRequest.builder("acme", "web", "abc1234").build(),
                    CheckSpec.of(ref));
            scheduler.advance(Duration.ofMillis(1250));
            tracker.push(Push.forRef("webhook", "d-1", ref, new Observation(Observation.State.SUCCEEDED, "success",
                    Instant.parse("2026-03-01T10:00:00Z"), Instant.parse("2026-03-01T10:00:30Z"), null)));
            scheduler.runPending();
            assertThat(h.completion()).isCompletedWithValueMatching(d -> d.status() == DeploymentStatus.SUCCESS);
            id = h.id();
            assertThat(store.maintenance().diagnose().problems()).as("healthy as recorded").isEmpty();
        }
        // what the earlier version left: the check's end before its start
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("UPDATE deployment_checks SET started_at = completed_at, "
                    + "completed_at = started_at WHERE deployment_id = " + id)).isEqualTo(1);
        }

        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(db)) {
            assertThat(store.maintenance().diagnose().problems()).singleElement().satisfies(p -> {
                assertThat(p.kind()).isEqualTo(Problem.Kind.COMPLETED_BEFORE_START);
                assertThat(p.ids()).containsExactly(id);
                assertThat(p.detail()).contains("check 'ncp' completed", "30s before it started",
                        "its end came from a push whose finishedAt is before its startedAt");
            });
        }
    }
}
