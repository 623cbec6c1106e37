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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Deployments with declared stages (build, then deploy), through the real tracker on the manual clock: the first
 * stage's end is not the deployment's success, a later stage receives its reference when the host knows it, a stage
 * that never starts times the deployment out at its deadline counted from the stage before it, a failed stage ends
 * it at once, and the event log says when each stage started and ended.
 */
class StagedTrackingTest {
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration TIMEOUT = Duration.ofMinutes(1);

    private final ManualClock clock = ManualClock.of(Instant.parse("2026-03-01T10:00:00Z"));
    private final ManualScheduler scheduler = ManualScheduler.of(clock);
    private final InMemoryHistoryStore store = InMemoryHistoryStore.of(clock);
    private final ScriptedPollingSource source = ScriptedPollingSource.of();
    private DeploymentTracker tracker;

    @AfterEach
    void close() {
        tracker.close();
    }

    private DeploymentTracker tracker() {
        tracker = DeploymentTracker.builder(store).clock(clock).scheduler(scheduler).executor(scheduler)
                .discoverSources(false).source(source).instanceId("stages").pollInterval(POLL).pollJitter(0)
                .defaultTimeout(TIMEOUT).build().start();
        return tracker;
    }

    private static DeploymentRequest request() {
        return DeploymentRequest.builder("acme", "web", "abc1234").idempotencyKey("run-1").build();
    }

    private DeploymentHandle buildThenPendingDeploy(CheckRef build) {
        return tracker().track(request(), List.of(CheckSpec.stage("sourcebuild", build),
                CheckSpec.pendingStage("sourcedeploy", source.type())));
    }

    @Test
    void theFirstStageEndingIsNotTheDeploymentsSuccessAndTheSecondFollowsOnceItsReferenceArrives() {
        CheckRef build = source.ref("build-1");
        CheckRef deploy = source.ref("deploy-1");
        Instant buildStart = clock.instant().minusSeconds(3);
        source.script(build, Observation.inProgress("prepare").withTimes(buildStart, null),
                Observation.succeeded("success").withTimes(buildStart, clock.instant().plusSeconds(1)));
        source.script(deploy, Observation.inProgress("inprogress"), Observation.succeeded("success"));
        DeploymentHandle h = buildThenPendingDeploy(build);
        CompletableFuture<DeploymentCheck> built = tracker.awaitStage(h.id(), "sourcebuild");

        scheduler.advance(POLL.multipliedBy(3));
        assertThat(built).isCompleted();
        assertThat(built.join().status()).isEqualTo(DeploymentStatus.SUCCESS);
        assertThat(h.completion()).as("the deploy stage has not started").isNotDone();
        assertThat(store.find(h.id()).orElseThrow().status()).isEqualTo(DeploymentStatus.RUNNING);
        assertThat(source.polls(deploy)).isZero();

        tracker.startStage(h.id(), "sourcedeploy", deploy);
        scheduler.advance(POLL.multipliedBy(3));

        Deployment d = h.completion().join();
        assertThat(d.status()).isEqualTo(DeploymentStatus.SUCCESS);
        assertThat(d.stages()).extracting(DeploymentCheck::name).containsExactly("sourcebuild", "sourcedeploy");
        assertThat(d.stages()).allSatisfy(s -> {
            assertThat(s.status()).isEqualTo(DeploymentStatus.SUCCESS);
            assertThat(s.startedAt()).isNotNull();
            assertThat(s.completedAt()).isNotNull();
        });
        assertThat(d.stages().get(0).startedAt()).isEqualTo(buildStart);
        assertThat(store.find(h.id()).orElseThrow().check("sourcedeploy").orElseThrow().ref()).isEqualTo(deploy);
        List<DeploymentEvent> events = store.events(h.id());
        assertThat(events).filteredOn(e -> e.type().startsWith("stage_"))
                .extracting(e -> e.type() + " " + e.checkName())
                .containsExactly("stage_started sourcebuild", "stage_completed sourcebuild",
                        "stage_attached sourcedeploy", "stage_started sourcedeploy", "stage_completed sourcedeploy");
        assertThat(events).filteredOn(e -> e.type().equals("stage_started") && "sourcebuild".equals(e.checkName()))
                .extracting(DeploymentEvent::at).containsExactly(buildStart);
    }

    @Test
    void aDeclaredStageThatNeverStartsTimesTheDeploymentOutCountedFromTheStageBeforeIt() {
        CheckRef build = source.ref("build-2");
        source.script(build, Observation.inProgress("prepare"), Observation.inProgress("prepare"),
                Observation.inProgress("prepare"), Observation.succeeded("success"));
        DeploymentHandle h = buildThenPendingDeploy(build);
        scheduler.advance(Duration.ofSeconds(5));
        Instant buildEnded = store.find(h.id()).orElseThrow().check("sourcebuild").orElseThrow().completedAt();
        assertThat(buildEnded).isNotNull();

        scheduler.advance(TIMEOUT.minusSeconds(10));
        assertThat(h.completion()).isNotDone();
        scheduler.advance(Duration.ofSeconds(20));

        Deployment d = h.completion().join();
        assertThat(d.status()).isEqualTo(DeploymentStatus.TIMED_OUT);
        assertThat(d.errorStage()).isEqualTo("sourcedeploy");
        assertThat(d.errorMessage()).contains("stage 'sourcedeploy' never started");
        assertThat(d.check("sourcedeploy").orElseThrow().startedAt()).isNull();
    }

    @Test
    void aFailedFirstStageEndsTheDeploymentAtOnceAndTheWaitingStageIsCancelled() {
        CheckRef build = source.ref("build-3");
        source.script(build, Observation.failed("fail", "SourceBuild 14 failed in post-build"));
        DeploymentHandle h = buildThenPendingDeploy(build);
        scheduler.advance(POLL.multipliedBy(2));

        Deployment d = h.completion().join();
        assertThat(d.status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(d.errorStage()).isEqualTo("sourcebuild");
        assertThat(d.errorMessage()).isEqualTo("SourceBuild 14 failed in post-build");
        assertThat(d.check("sourcedeploy").orElseThrow().status()).isEqualTo(DeploymentStatus.CANCELLED);
        assertThatThrownBy(() -> tracker.startStage(h.id(), "sourcedeploy", source.ref("late")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already ended");
    }

    @Test
    void theHostCanFailAStageItCouldNotStart() {
        CheckRef build = source.ref("build-4");
        source.script(build, Observation.succeeded("success"));
        DeploymentHandle h = buildThenPendingDeploy(build);
        scheduler.advance(POLL.multipliedBy(2));
        tracker.observeStage(h.id(), "sourcedeploy", Observation.failed("not_started", "NCP refused the deploy"));
        scheduler.advance(POLL);

        Deployment d = h.completion().join();
        assertThat(d.status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(d.errorStage()).isEqualTo("sourcedeploy");
        assertThat(d.errorMessage()).isEqualTo("NCP refused the deploy");
    }

    @Test
    void badStageCallsNameWhatIsWrong() {
        CheckRef build = source.ref("build-5");
        source.script(build, Observation.inProgress("prepare"));
        DeploymentHandle h = buildThenPendingDeploy(build);
        assertThatThrownBy(() -> tracker.startStage(h.id(), "nosuch", source.ref("x")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("no stage 'nosuch'");
        assertThatThrownBy(() -> tracker.startStage(h.id(), "sourcedeploy", CheckRef.of("other", "id", "1")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("declared for source");
        assertThatThrownBy(() -> tracker.track(DeploymentRequest.builder("acme", "web", "abc1235").build(),
                List.of(CheckSpec.pendingStage("sourcedeploy", source.type()))))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("idempotency key");
    }
}
