package io.deploytrack.core;

import io.deploytrack.core.testkit.ManualClock;
import io.deploytrack.core.testkit.ManualScheduler;
import io.deploytrack.core.testkit.ScriptedPollingSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A resumed check whose deadline passed while nobody watched ends only after its source was asked and answered, or
 * failed transiently a bounded number of times: never on a wall-clock grace. Found by the SIGKILL crash test on a
 * loaded machine: the first answer after the resume came later than the grace (two poll intervals and a tick), and
 * the row was ended {@code timed_out} before any call to NCP, which said success.
 */
class ResumedDeadlineTest {
    private static final Duration INTERVAL = Duration.ofSeconds(10);
    private static final Duration TIMEOUT = Duration.ofMinutes(1);

    private final ManualClock clock = ManualClock.of(Instant.parse("2026-03-01T10:00:00Z"));
    private final ManualScheduler scheduler = ManualScheduler.of(clock);
    private final InMemoryHistoryStore store = InMemoryHistoryStore.of(clock);
    private final List<DeploymentTracker> trackers = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        trackers.forEach(DeploymentTracker::close);
    }

    /** A source whose every answer is a future the test completes, whenever it likes. */
    private static final class LateSource implements PollingSource {
        final List<CompletableFuture<Observation>> asked = new CopyOnWriteArrayList<>();

        @Override
        public String type() {
            return "late";
        }

        @Override
        public CompletionStage<Observation> poll(CheckRef ref) {
            CompletableFuture<Observation> answer = new CompletableFuture<>();
            asked.add(answer);
            return answer;
        }
    }

    private DeploymentTracker tracker(String instance, StatusSource source) {
        DeploymentTracker t = DeploymentTracker.builder(store).clock(clock).scheduler(scheduler).executor(scheduler)
                .discoverSources(false).source(source).instanceId(instance).pollInterval(INTERVAL).pollJitter(0)
                .defaultTimeout(TIMEOUT).leaseDuration(Duration.ofSeconds(30)).build();
        trackers.add(t);
        return t;
    }

    /** Tracks one deployment with a first instance that stops before anything is polled, then lets the deadline pass. */
    private long leftRunningPastItsDeadline(StatusSource source, CheckRef ref) {
        DeploymentTracker first = tracker("first", source);
        long id = first.track(DeploymentRequest.builder("acme", "web", "abc1234").build(), ref).id();
        first.close();
        clock.advance(TIMEOUT.multipliedBy(10));
        assertThat(store.find(id).orElseThrow().status()).isEqualTo(DeploymentStatus.RUNNING);
        return id;
    }

    @Test
    void aPassedDeadlineWaitsForTheSourcesLateAnswerAndTheAnswerEndsIt() {
        LateSource source = new LateSource();
        CheckRef ref = CheckRef.of("late", "id", "d1");
        long id = leftRunningPastItsDeadline(source, ref);

        tracker("second", source).start();
        scheduler.advance(Duration.ofSeconds(1), Duration.ofMillis(250));
        assertThat(source.asked).as("polls sent after the resume").hasSize(1);

        // The answer takes its time (a loaded host, a slow provider): an hour passes on the tracker's clock.
        scheduler.advance(Duration.ofHours(1), Duration.ofSeconds(1));
        assertThat(store.find(id).orElseThrow().status()).as("status before the source answered")
                .isEqualTo(DeploymentStatus.RUNNING);
        assertThat(source.asked).as("polls while the first is unanswered").hasSize(1);

        source.asked.get(0).complete(Observation.succeeded("success"));
        scheduler.runPending();
        Deployment d = store.find(id).orElseThrow();
        assertThat(d.status()).as("status once the source answered").isEqualTo(DeploymentStatus.SUCCESS);
        assertThat(d.check("late").orElseThrow().lastSourceStatus()).isEqualTo("success");
    }

    @Test
    void anAnswerThatTheDeploymentStillRunsLetsThePassedDeadlineEndIt() {
        LateSource source = new LateSource();
        CheckRef ref = CheckRef.of("late", "id", "d2");
        long id = leftRunningPastItsDeadline(source, ref);

        tracker("second", source).start();
        scheduler.advance(Duration.ofSeconds(1), Duration.ofMillis(250));
        source.asked.get(0).complete(Observation.inProgress("inprogress"));
        scheduler.advance(Duration.ofSeconds(1), Duration.ofMillis(250));
        Deployment d = store.find(id).orElseThrow();
        assertThat(d.status()).isEqualTo(DeploymentStatus.TIMED_OUT);
        assertThat(d.errorMessage()).contains("last status seen: inprogress");
    }

    @Test
    void transientFailuresAreRetriedWithBackoffABoundedNumberOfTimesBeforeTheDeadlineApplies() {
        ScriptedPollingSource source = ScriptedPollingSource.of();
        CheckRef ref = source.ref("d3");
        source.script(ref, SourceException.transientFailure("503 from the provider", null, null));
        long id = leftRunningPastItsDeadline(source, ref);

        tracker("second", source).start();
        int asks = 3; // PollDriver.RESUMED_DEADLINE_ASKS
        for (int i = 1; i < asks; i++) {
            scheduler.advance(INTERVAL.multipliedBy(1L << (i - 1)), Duration.ofMillis(250));
            assertThat(source.polls(ref)).as("asks so far").isEqualTo(i);
            assertThat(store.find(id).orElseThrow().status()).as("status after " + i + " failed asks")
                    .isEqualTo(DeploymentStatus.RUNNING);
        }
        scheduler.advance(INTERVAL.multipliedBy(1L << (asks - 1)), Duration.ofMillis(250));
        assertThat(source.polls(ref)).as("asks before the deadline applied").isEqualTo(asks);
        Deployment d = store.find(id).orElseThrow();
        assertThat(d.status()).isEqualTo(DeploymentStatus.TIMED_OUT);
        assertThat(d.errorMessage()).contains("the source never answered");
    }
}
