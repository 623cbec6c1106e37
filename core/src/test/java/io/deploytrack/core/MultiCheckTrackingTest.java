package io.deploytrack.core;

import io.deploytrack.core.testkit.ManualClock;
import io.deploytrack.core.testkit.ManualScheduler;
import io.deploytrack.core.testkit.ScriptedPollingSource;
import io.deploytrack.core.testkit.ScriptedWatchingSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deployments with two and three checks, tracked through the real tracker on the testkit's manual clock and scheduler:
 * the first check that fails or times out decides, a cancelled check cancels, only all checks succeeding succeeds,
 * and the checks still running when the deployment ends are cancelled and no longer followed.
 */
class MultiCheckTrackingTest {
    private static final Duration POLL = Duration.ofSeconds(1);

    private final ManualClock clock = ManualClock.of(Instant.parse("2026-03-01T10:00:00Z"));
    private final ManualScheduler scheduler = ManualScheduler.of(clock);
    private final InMemoryHistoryStore store = InMemoryHistoryStore.of(clock);
    private final ScriptedPollingSource polled = ScriptedPollingSource.of();
    private final ScriptedWatchingSource watched = ScriptedWatchingSource.of();
    private final List<String> heard = new CopyOnWriteArrayList<>();
    private DeploymentTracker tracker;

    @AfterEach
    void close() {
        tracker.close();
    }

    private DeploymentTracker tracker() {
        tracker = DeploymentTracker.builder(store).clock(clock).scheduler(scheduler).executor(scheduler)
                .discoverSources(false).source(polled).source(watched).instanceId("multi").pollInterval(POLL)
                .pollJitter(0).listener(new DeploymentListener() {
                    @Override
                    public void onStatusChanged(Deployment d, DeploymentCheck check) {
                        heard.add("changed " + check.name() + " " + check.status().word() + " -> " + d.status().word());
                    }

                    @Override
                    public void onCompleted(Deployment d) {
                        heard.add("completed " + d.status().word());
                    }
                }).build().start();
        return tracker;
    }

    private static DeploymentRequest request() {
        return DeploymentRequest.builder("acme", "web", "abc1234").build();
    }

    @Test
    void aFailedCheckFailsTheDeploymentAlthoughTheOtherSucceeded() {
        CheckRef deploy = polled.ref("deploy");
        CheckRef smoke = polled.ref("smoke");
        polled.script(deploy, Observation.succeeded("success"));
        polled.script(smoke, Observation.inProgress("running"), Observation.failed("failed", "smoke test 3 of 12 failed"));
        DeploymentHandle h = tracker().track(request(), CheckSpec.of("deploy", deploy), CheckSpec.of("smoke", smoke));

        scheduler.advance(POLL.dividedBy(2));
        assertThat(h.completion()).as("ended after one check succeeded and the other still runs").isNotDone();
        assertThat(store.find(h.id()).orElseThrow().check("deploy").orElseThrow().status()).isEqualTo(DeploymentStatus.SUCCESS);
        scheduler.advance(POLL.multipliedBy(2));

        Deployment d = h.completion().join();
        assertThat(d.status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(d.errorStage()).isEqualTo("smoke");
        assertThat(d.errorMessage()).isEqualTo("smoke test 3 of 12 failed");
        assertThat(d.check("deploy").orElseThrow().status()).isEqualTo(DeploymentStatus.SUCCESS);
        assertThat(d.check("smoke").orElseThrow().status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(store.find(h.id()).orElseThrow()).usingRecursiveComparison().isEqualTo(d);
        assertThat(heard).containsExactly("changed deploy success -> running", "changed smoke running -> running",
                "changed smoke failed -> failed", "completed failed");
        assertThat(store.events(h.id())).extracting(DeploymentEvent::type)
                .containsExactly("started", "check_completed", "source_status", "completed");
    }

    @Test
    void aCancelledCheckCancelsTheDeploymentAndTheRunningCheckIsNoLongerPolled() {
        CheckRef deploy = polled.ref("deploy");
        CheckRef canary = watched.ref("canary");
        polled.script(deploy, Observation.inProgress("deploying"));
        DeploymentHandle h = tracker().track(request(), CheckSpec.of("deploy", deploy), CheckSpec.of("canary", canary));
        scheduler.advance(POLL.multipliedBy(2));
        int pollsBefore = polled.polls(deploy);
        assertThat(pollsBefore).isPositive();

        watched.emit(canary, Observation.cancelled("aborted", "canary aborted by an operator"));
        scheduler.runPending();

        Deployment d = h.completion().join();
        assertThat(d.status()).isEqualTo(DeploymentStatus.CANCELLED);
        assertThat(d.errorStage()).isEqualTo("canary");
        assertThat(d.errorMessage()).isEqualTo("canary aborted by an operator");
        DeploymentCheck stopped = d.check("deploy").orElseThrow();
        assertThat(stopped.status()).isEqualTo(DeploymentStatus.CANCELLED);
        assertThat(stopped.message()).isEqualTo("not followed further: the deployment ended cancelled at check 'canary'");
        assertThat(store.find(h.id()).orElseThrow().check("deploy").orElseThrow().status())
                .isEqualTo(DeploymentStatus.CANCELLED);
        scheduler.advance(POLL.multipliedBy(5));
        assertThat(polled.polls(deploy)).as("polls after the deployment ended").isEqualTo(pollsBefore);
        assertThat(watched.followers(canary)).isZero();
        assertThat(heard).containsExactly("changed deploy running -> running", "changed canary cancelled -> cancelled",
                "completed cancelled");
    }

    @Test
    void aCheckThatTimesOutDecidesAfterTwoOthersSucceeded() {
        CheckRef deploy = polled.ref("deploy");
        CheckRef migrate = polled.ref("migrate");
        CheckRef smoke = watched.ref("smoke");
        polled.script(deploy, Observation.inProgress("deploying"), Observation.succeeded("success"));
        polled.script(migrate, Observation.succeeded("done"));
        DeploymentHandle h = tracker().track(request(), CheckSpec.of("deploy", deploy), CheckSpec.of("migrate", migrate),
                CheckSpec.of("smoke", smoke).withTimeout(Duration.ofMinutes(1)));
        watched.emit(smoke, Observation.inProgress("running"));
        scheduler.advance(POLL.multipliedBy(3));
        Deployment running = store.find(h.id()).orElseThrow();
        assertThat(running.status()).isEqualTo(DeploymentStatus.RUNNING);
        assertThat(running.checks()).extracting(DeploymentCheck::status)
                .containsExactly(DeploymentStatus.SUCCESS, DeploymentStatus.SUCCESS, DeploymentStatus.RUNNING);

        scheduler.advance(Duration.ofMinutes(1));

        Deployment d = h.completion().join();
        assertThat(d.status()).isEqualTo(DeploymentStatus.TIMED_OUT);
        assertThat(d.errorStage()).isEqualTo("smoke");
        assertThat(d.errorMessage()).isEqualTo("no terminal status within 1m; last status seen: running");
        assertThat(d.deployedAt()).isNull();
        assertThat(d.checks()).extracting(DeploymentCheck::status)
                .containsExactly(DeploymentStatus.SUCCESS, DeploymentStatus.SUCCESS, DeploymentStatus.TIMED_OUT);
        assertThat(heard).containsOnlyOnce("completed timed_out").last().isEqualTo("completed timed_out");
    }

    @Test
    void threeChecksSucceedingSucceedAtTheLastOnesEnd() {
        CheckRef deploy = polled.ref("deploy");
        CheckRef migrate = polled.ref("migrate");
        CheckRef canary = watched.ref("canary");
        polled.script(deploy, Observation.succeeded("success"));
        polled.script(migrate, Observation.inProgress("migrating"), Observation.succeeded("done"));
        DeploymentHandle h = tracker().track(request(), CheckSpec.of("deploy", deploy), CheckSpec.of("migrate", migrate),
                CheckSpec.of("canary", canary));
        scheduler.advance(POLL.multipliedBy(3));
        assertThat(h.completion()).as("ended while the canary still runs").isNotDone();

        scheduler.advance(Duration.ofSeconds(7));
        Instant canaryEnd = clock.instant();
        watched.emit(canary, Observation.succeeded("promoted"));
        scheduler.runPending();

        Deployment d = h.completion().join();
        assertThat(d.status()).isEqualTo(DeploymentStatus.SUCCESS);
        assertThat(d.errorStage()).isNull();
        assertThat(d.completedAt()).isEqualTo(canaryEnd);
        assertThat(d.deployedAt()).isEqualTo(canaryEnd);
        assertThat(tracker.awaitCompletion(h.id()).join()).usingRecursiveComparison().isEqualTo(store.find(h.id()).orElseThrow());
        assertThat(heard).filteredOn(s -> s.startsWith("completed")).containsExactly("completed success");
    }
}
