package io.deploytrack.core;

import io.deploytrack.core.testkit.ManualClock;
import io.deploytrack.core.testkit.ManualScheduler;
import io.deploytrack.core.testkit.ScriptedPollingSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Not found" is retried while a deployment may still be becoming visible at its source; for one whose deadline,
 * counted from its start, passed long ago (a legacy row resumed 14 months later) it is final at the first answer, and
 * the row ends {@code timed_out} at that deadline, as {@code repair} ends it.
 */
class NotFoundPastDeadlineTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final ManualClock clock = ManualClock.of(NOW);
    private final ManualScheduler scheduler = ManualScheduler.of(clock);
    private final InMemoryHistoryStore store = InMemoryHistoryStore.of(clock);
    private final ScriptedPollingSource source = ScriptedPollingSource.of("scripted-poll", Duration.ofSeconds(10));
    private DeploymentTracker tracker;

    @AfterEach
    void close() {
        if (tracker != null) {
            tracker.close();
        }
    }

    /** A running row as {@code resume} attaches it: the check starts at the row's start, its deadline from now. */
    private Deployment running(String sha, Instant start, CheckRef ref) {
        DeploymentCheck check = new DeploymentCheck(ref.type(), ref, DeploymentStatus.RUNNING, start, null,
                NOW.plus(TIMEOUT), null, false, null, TIMEOUT, Duration.ofHours(24));
        Deployment draft = new Deployment(0, "acme", "web", "production", sha, false, null, null,
                DeploymentStatus.RUNNING, start, null, null, null, null, null, List.of(check), Map.of());
        return store.create(draft, "crashed", Duration.ofMillis(1)).deployment();
    }

    private void startTracker() {
        clock.advance(Duration.ofMillis(10)); // the crashed instance's lease lapses
        tracker = DeploymentTracker.builder(store).clock(clock).scheduler(scheduler).executor(Runnable::run)
                .discoverSources(false).source(source).instanceId("resumer").pollInterval(Duration.ofSeconds(10))
                .pollJitter(0).build().start();
    }

    @Test
    void aNotFoundLongAfterTheDeadlineEndsTheRowTimedOutAtItsDeadlineAtTheFirstAnswer() {
        Instant start = NOW.minus(Duration.ofDays(420));
        CheckRef old = source.ref("forgotten");
        source.script(old, SourceException.notFound("the source does not know deployment forgotten", null));
        Deployment d = running("aaaaaaa", start, old);
        startTracker();

        scheduler.advance(Duration.ofSeconds(11));

        assertThat(source.polls(old)).as("asked once").isEqualTo(1);
        Deployment ended = store.find(d.id()).orElseThrow();
        assertThat(ended.status()).isEqualTo(DeploymentStatus.TIMED_OUT);
        assertThat(ended.completedAt()).as("its deadline, not the moment of giving up").isEqualTo(start.plus(TIMEOUT));
        assertThat(ended.totalDuration()).isEqualTo(TIMEOUT);
        assertThat(ended.checks().get(0).status()).isEqualTo(DeploymentStatus.TIMED_OUT);
        assertThat(ended.checks().get(0).completedAt()).isEqualTo(start.plus(TIMEOUT));
        assertThat(ended.errorMessage()).contains("no longer knows it", "does not know deployment forgotten");
    }

    @Test
    void aNotFoundBeforeTheDeadlineIsRetriedAsTheSourceMayNotShowItYet() {
        CheckRef young = source.ref("young");
        source.script(young, SourceException.notFound("not visible yet", null), Observation.inProgress("deploying"));
        Deployment d = running("bbbbbbb", NOW.minusSeconds(30), young);
        startTracker();

        scheduler.advance(Duration.ofSeconds(1));
        assertThat(source.polls(young)).isEqualTo(1);
        assertThat(store.find(d.id()).orElseThrow().status()).isEqualTo(DeploymentStatus.RUNNING);

        scheduler.advance(Duration.ofSeconds(60));
        assertThat(source.polls(young)).as("retried").isGreaterThanOrEqualTo(2);
        Deployment still = store.find(d.id()).orElseThrow();
        assertThat(still.status()).isEqualTo(DeploymentStatus.RUNNING);
        assertThat(still.checks().get(0).lastSourceStatus()).isEqualTo("deploying");
    }
}
