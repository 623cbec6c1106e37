package io.deploytrack.ncp;

import io.deploytrack.core.CheckSpec;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.DeploymentEvent;
import io.deploytrack.core.DeploymentHandle;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.TrackerClosedException;
import io.deploytrack.core.testkit.ManualClock;
import io.deploytrack.core.testkit.ManualScheduler;
import io.deploytrack.jdbc.JdbcHistoryStore;
import io.deploytrack.ncp.emulator.NcpEmulator;
import io.deploytrack.ncp.emulator.NcpScript;
import io.deploytrack.ncp.emulator.PipelineTask;
import io.deploytrack.ncp.emulator.RequestKind;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static io.deploytrack.ncp.emulator.NcpScript.end;
import static io.deploytrack.ncp.emulator.NcpScript.step;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SourcePipeline over real HTTP against the emulator: a run is one deployment whose stages are its tasks, each with its
 * own status and times from its own service, as soon as the run reports it; a failed deploy task, a failed build, a
 * cancelled run, a restart in the middle, one detail call per run per interval however many of its stages are
 * followed. The pipeline source reads on a {@link ManualScheduler}, so each read is one {@link #tick()}.
 */
class NcpPipelineTrackingTest extends TrackerFixture {
    private static final long PL = 54;
    private static final long B = 14;
    private static final long D = 7;
    private static final long S = 8;
    private static final long C = 9;
    private static final Duration TICK = Duration.ofSeconds(10);

    private final ManualScheduler timer = ManualScheduler.of(ManualClock.of(Instant.parse("2026-01-01T00:00:00Z")));

    private NcpEmulator ncp(NcpScript build, String failedPhase, NcpScript deploy) {
        NcpEmulator ncp = emulator();
        ncp.addBuildProject(B, "web-build", "acme.kr.ncr.ntruss.com", "web", "3f2c1a9");
        ncp.addScenario(D, S, C);
        ncp.onBuild(B, build, failedPhase);
        ncp.onDeploy(C, deploy);
        ncp.addPipeline(PL, "web-pipeline", PipelineTask.build(1, "build", B), PipelineTask.deploy(2, "deploy", D, S, C));
        return ncp;
    }

    private NcpPipelinePollingSource pipelineSource(NcpEmulator ncp) {
        return NcpPipelinePollingSource.builder(client(ncp, ncp.secretKey())).pollInterval(TICK).scheduler(timer).build();
    }

    private DeploymentTracker tracker(NcpEmulator ncp, NcpPipelinePollingSource pipelines, JdbcHistoryStore store) {
        return trackerBuilder(store, source(ncp)).source(pipelines).build().start();
    }

    /** One interval of the pipeline source: waits until its next read is due, then lets it run. */
    private void tick() {
        eventually("the pipeline source's next read is scheduled", () -> timer.queued() > 0);
        timer.advance(TICK);
    }

    private static DeploymentCheck stage(DeploymentTracker tracker, long id, String name) {
        return tracker.history().find(id).flatMap(d -> d.check(name)).orElseThrow();
    }

    private void tickUntil(DeploymentTracker tracker, long id, String stage, String word) {
        eventually(stage + " shows " + word, () -> {
            if (Objects.equals(word, stage(tracker, id, stage).lastSourceStatus())) {
                return true;
            }
            if (timer.queued() > 0) {
                timer.advance(TICK);
            }
            return false;
        });
    }

    @Test
    void aRunIsOneDeploymentWhoseStagesAreItsTasksEachWithItsOwnStatusAndTimes() {
        NcpEmulator ncp = ncp(NcpScript.of(step("prepare", Duration.ofSeconds(4)), end("success")), null,
                NcpScript.of(step("inprogress", Duration.ofSeconds(3)), end("success")));
        NcpPipelinePollingSource pipelines = pipelineSource(ncp);
        DeploymentTracker tracker = closeLater(tracker(ncp, pipelines, store("pipeline.db")));
        DeploymentHandle h = NcpPipelines.of(pipelines, tracker).runAndTrack(request(), PL, Duration.ofMinutes(30)).join();

        tickUntil(tracker, h.id(), "sourcebuild", "prepare");
        Deployment running = tracker.history().find(h.id()).orElseThrow();
        assertThat(running.stages()).extracting(DeploymentCheck::name).containsExactly("sourcebuild", "sourcedeploy");
        String buildId = running.attributes().get(NcpBuilds.ATTRIBUTE_BUILD_ID);
        assertThat(buildId).as("the build task's resultId, reported with the run").matches("[0-9a-f-]{36}");
        assertThat(running.attributes()).containsEntry(NcpPipelines.ATTRIBUTE_PIPELINE_ID, "54")
                .containsEntry(NcpPipelines.ATTRIBUTE_PIPELINE_HISTORY_ID, Long.toString(
                        ncp.requests(RequestKind.PIPELINE_RUN).get(0).historyId()));
        assertThat(running.stages().get(0).message()).contains(buildId).contains("task 'build'");
        assertThat(running.stages().get(0).startedAt()).as("SourceBuild's begin").isEqualTo(t0);
        assertThat(running.stages().get(1).lastSourceStatus()).as("the deploy has not started").isNull();
        assertThat(tracker.history().events(h.id())).filteredOn(e -> e.type().equals("stage_started"))
                .extracting(DeploymentEvent::checkName).containsExactly("sourcebuild");

        ncpClock.advance(Duration.ofSeconds(5));
        tickUntil(tracker, h.id(), "sourcedeploy", "inprogress");
        assertThat(stage(tracker, h.id(), "sourcebuild").status()).isEqualTo(DeploymentStatus.SUCCESS);
        assertThat(stage(tracker, h.id(), "sourcedeploy").message()).contains("SourceDeploy deployment");
        ncpClock.advance(Duration.ofSeconds(5));
        Deployment d = ticksUntilDone(h);
        assertThat(d.status()).isEqualTo(DeploymentStatus.SUCCESS);
        assertThat(d.stages()).extracting(DeploymentCheck::status).containsOnly(DeploymentStatus.SUCCESS);
        assertThat(d.stages().get(0).completedAt()).isEqualTo(t0.plusSeconds(4));
        assertThat(d.stages().get(1).startedAt()).as("the deploy's own startTime").isEqualTo(t0.plusSeconds(4));
        assertThat(d.stages().get(1).completedAt()).isEqualTo(t0.plusSeconds(7));
        assertThat(d.completedAt()).isEqualTo(t0.plusSeconds(7));
        assertThat(ncp.requests(RequestKind.DETAIL)).as("the deploy task read in SourceDeploy").isNotEmpty();
        assertThat(ncp.requests(RequestKind.DEPLOY)).as("the pipeline starts its deploy, deploytrack does not").isEmpty();
    }

    @Test
    void aDeployTaskThatFailsFailsTheDeploymentAtStageSourcedeploy() {
        NcpEmulator ncp = ncp(NcpScript.of(step("prepare", Duration.ofSeconds(2)), end("success")), null,
                NcpScript.of(step("inprogress", Duration.ofSeconds(3)), end("fail")));
        NcpPipelinePollingSource pipelines = pipelineSource(ncp);
        DeploymentTracker tracker = closeLater(tracker(ncp, pipelines, store("fail.db")));
        DeploymentHandle h = NcpPipelines.of(pipelines, tracker).runAndTrack(request(), PL, null).join();
        ncpClock.advance(Duration.ofSeconds(10));
        Deployment d = ticksUntilDone(h);
        assertThat(d.status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(d.errorStage()).isEqualTo("sourcedeploy");
        assertThat(d.errorMessage()).contains("status 'fail'");
        assertThat(d.stages().get(0).status()).isEqualTo(DeploymentStatus.SUCCESS);
        assertThat(d.completedAt()).isEqualTo(t0.plusSeconds(5));
    }

    @Test
    void aFailedBuildEndsTheRunAtOnceWithItsPhaseAndTheDeployNeverStarts() {
        NcpEmulator ncp = ncp(NcpScript.of(step("prepare", Duration.ofSeconds(4)), end("fail")), "post-build",
                NcpScript.of(end("success")));
        NcpPipelinePollingSource pipelines = pipelineSource(ncp);
        DeploymentTracker tracker = closeLater(tracker(ncp, pipelines, store("build-fail.db")));
        DeploymentHandle h = NcpPipelines.of(pipelines, tracker).runAndTrack(request(), PL, Duration.ofHours(1)).join();
        ncpClock.advance(Duration.ofSeconds(5));
        Deployment d = ticksUntilDone(h);
        assertThat(d.status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(d.errorStage()).isEqualTo("sourcebuild");
        assertThat(d.errorMessage()).contains("failed in post-build");
        assertThat(d.completedAt()).as("the build's own end, not a deadline").isEqualTo(t0.plusSeconds(4));
        assertThat(d.stages().get(1).lastSourceStatus()).isNull();
        assertThat(ncp.requests(RequestKind.DETAIL)).as("no SourceDeploy read: the deploy never started").isEmpty();
    }

    @Test
    void aCancelledRunEndsCancelledAtTheTaskThatRan() {
        NcpEmulator ncp = ncp(NcpScript.of(step("prepare", Duration.ofMinutes(10)), end("success")), null,
                NcpScript.of(end("success")));
        NcpPipelinePollingSource pipelines = pipelineSource(ncp);
        DeploymentTracker tracker = closeLater(tracker(ncp, pipelines, store("cancel.db")));
        DeploymentHandle h = NcpPipelines.of(pipelines, tracker).runAndTrack(request(), PL, null).join();
        tickUntil(tracker, h.id(), "sourcebuild", "prepare");
        long run = ncp.requests(RequestKind.PIPELINE_RUN).get(0).historyId();
        ncpClock.advance(Duration.ofSeconds(3));
        assertThat(pipelines.pipelines().cancel(PL, run).join()).isTrue();
        Deployment d = ticksUntilDone(h);
        assertThat(d.status()).isEqualTo(DeploymentStatus.CANCELLED);
        assertThat(d.errorStage()).isEqualTo("sourcebuild");
        assertThat(d.stages().get(0).lastSourceStatus()).isEqualTo("canceled");
    }

    @Test
    void aDeclaredStageThatNeverStartsEndsTheDeploymentAtItsDeadline() {
        NcpEmulator ncp = ncp(NcpScript.of(step("prepare", Duration.ofSeconds(2)), end("success")), null,
                NcpScript.of(end("success")));
        NcpClient client = client(ncp, ncp.secretKey());
        ManualClock clock = ManualClock.of(Instant.now());
        DeploymentTracker tracker = closeLater(trackerBuilder(store("never.db"), source(ncp))
                .source(NcpBuildPollingSource.of(client)).clock(clock).leaseDuration(Duration.ofDays(1)).build().start());
        String buildId = NcpSourceBuild.of(client).startBuild(B).join();
        ncpClock.advance(Duration.ofSeconds(3));
        // The host declares the deploy but never starts it.
        DeploymentHandle h = tracker.track(request().withIdempotencyKey("never-" + buildId),
                CheckSpec.stage("sourcebuild", NcpBuildPollingSource.ref(B, buildId)),
                CheckSpec.pendingStage("sourcedeploy", NcpPollingSource.TYPE).withTimeout(Duration.ofMinutes(2)));
        eventuallyAdvancing(clock, "the build ended", () -> stage(tracker, h.id(), "sourcebuild").status()
                == DeploymentStatus.SUCCESS);
        assertThat(h.completion()).as("the first stage's end is not the deployment's success").isNotDone();
        clock.advance(Duration.ofMinutes(3));
        Deployment d = done(h.completion());
        assertThat(d.status()).isEqualTo(DeploymentStatus.TIMED_OUT);
        assertThat(d.errorStage()).isEqualTo("sourcedeploy");
        assertThat(d.errorMessage()).contains("never started");
    }

    @Test
    void aRestartInTheMiddleOfARunResumesAtTheStageItWasIn() {
        NcpEmulator ncp = ncp(NcpScript.of(step("prepare", Duration.ofSeconds(2)), end("success")), null,
                NcpScript.of(step("inprogress", Duration.ofMinutes(5)), end("success")));
        JdbcHistoryStore firstStore = JdbcHistoryStore.sqlite(dir.resolve("shared.db"));
        NcpPipelinePollingSource firstSource = pipelineSource(ncp);
        DeploymentTracker first = tracker(ncp, firstSource, firstStore);
        DeploymentHandle h = NcpPipelines.of(firstSource, first).runAndTrack(request(), PL, Duration.ofHours(1)).join();
        ncpClock.advance(Duration.ofSeconds(3));
        tickUntil(first, h.id(), "sourcedeploy", "inprogress");
        first.close();
        firstStore.close();
        assertThat(h.completion()).failsWithin(Duration.ofSeconds(5)).withThrowableThat()
                .havingRootCause().isInstanceOf(TrackerClosedException.class);

        ncpClock.advance(Duration.ofMinutes(6));
        ncp.clearRequests();
        DeploymentTracker second = closeLater(tracker(ncp, pipelineSource(ncp), store("shared.db")));
        List<Deployment> ended = new ArrayList<>();
        eventually("the resumed run ended", () -> {
            second.history().find(h.id()).filter(Deployment::isTerminal).ifPresent(ended::add);
            if (!ended.isEmpty()) {
                return true;
            }
            if (timer.queued() > 0) {
                timer.advance(TICK);
            }
            return false;
        });
        Deployment d = ended.get(0);
        assertThat(d.status()).isEqualTo(DeploymentStatus.SUCCESS);
        assertThat(d.stages().get(1).completedAt()).isEqualTo(t0.plusSeconds(2).plus(Duration.ofMinutes(5)));
        assertThat(ncp.requests(RequestKind.BUILD_HISTORY)).as("the ended build is not read again").isEmpty();
        assertThat(second.history().events(h.id())).anySatisfy(e -> assertThat(e.type()).isEqualTo("resumed"));
    }

    @Test
    void oneDetailCallPerRunPerIntervalHoweverManyStagesAreFollowed() {
        NcpEmulator ncp = ncp(NcpScript.of(step("prepare", Duration.ofHours(1)), end("success")), null,
                NcpScript.of(end("success")));
        NcpPipelinePollingSource pipelines = pipelineSource(ncp);
        DeploymentTracker tracker = closeLater(tracker(ncp, pipelines, store("many.db")));
        NcpPipelines facade = NcpPipelines.of(pipelines, tracker);
        List<DeploymentHandle> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            runs.add(facade.runAndTrack(request(), PL, Duration.ofHours(2)).join());
        }
        for (DeploymentHandle h : runs) {
            tickUntil(tracker, h.id(), "sourcebuild", "prepare");
        }
        eventually("every read answered", () -> timer.queued() == runs.size());
        ncp.clearRequests();
        for (int i = 0; i < 4; i++) {
            timer.advance(TICK);
            eventually("every read answered", () -> timer.queued() == runs.size());
        }
        assertThat(ncp.requests(RequestKind.PIPELINE_DETAIL)).as("4 intervals, 3 runs of 2 stages each").hasSize(12);
        assertThat(ncp.requests(RequestKind.PIPELINE_LIST)).isEmpty();
    }

    private Deployment ticksUntilDone(DeploymentHandle h) {
        eventually("the run ended", () -> {
            if (h.completion().isDone()) {
                return true;
            }
            if (timer.queued() > 0) {
                timer.advance(TICK);
            }
            return false;
        });
        return done(h.completion());
    }
}
