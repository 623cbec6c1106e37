package io.deploytrack.core;

import io.deploytrack.core.testkit.ManualClock;
import io.deploytrack.core.testkit.ManualScheduler;
import io.deploytrack.core.testkit.ScriptedPollingSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A poll is sent only while this instance's lease is valid, also when the poll waited for a worker: on a busy host a
 * batch picked on time can reach a worker after the lease's validity ended, and then another instance may already
 * follow the deployment. Found by the several-instances test on PostgreSQL on an overloaded machine: an instance's
 * poll reached NCP 134 ms before the poll of the instance that had claimed the row after the lease expired.
 */
class PollUnderLeaseTest {
    private static final Duration LEASE = Duration.ofMillis(600); // valid for 500 ms (a sixth is the safety margin)

    private final ManualClock clock = ManualClock.of(Instant.parse("2026-03-01T10:00:00Z"));
    private final ManualScheduler scheduler = ManualScheduler.of(clock);
    private final ManualScheduler workers = ManualScheduler.of(clock);
    private final InMemoryHistoryStore store = InMemoryHistoryStore.of(clock);
    private DeploymentTracker tracker;

    @AfterEach
    void close() {
        tracker.close();
    }

    @Test
    void aBatchThatWaitedPastTheLeaseIsNotSentUntilTheLeaseIsRenewed() {
        ScriptedPollingSource source = ScriptedPollingSource.of();
        CheckRef ref = source.ref("x");
        source.script(ref, Observation.inProgress("deploying"));
        tracker = DeploymentTracker.builder(store).clock(clock).scheduler(scheduler).executor(workers)
                .discoverSources(false).source(source).instanceId("a").pollInterval(Duration.ofMillis(200))
                .pollJitter(0).leaseDuration(LEASE).build().start();
        tracker.track(DeploymentRequest.builder("acme", "web", "abc1234").build(), ref);

        scheduler.advance(Duration.ofMillis(50)); // the tick picks the due poll and hands it to the (busy) workers
        assertThat(workers.queued()).as("poll batches waiting for a worker").isEqualTo(1);
        // The workers stay busy past the lease's validity (500 ms after tracking), not past the lease (600 ms). The
        // tracker measures the validity on its ticker, which is this clock: no real time passes.
        clock.advance(Duration.ofMillis(470));
        workers.runPending();
        assertThat(source.polls(ref)).as("polls sent after the lease's validity").isZero();

        scheduler.runPending(); // the overdue lease work: the renewal restores the validity
        workers.runPending();
        scheduler.advance(Duration.ofMillis(50));
        workers.runPending();
        assertThat(source.polls(ref)).as("polls once the lease is renewed").isEqualTo(1);
    }
}
