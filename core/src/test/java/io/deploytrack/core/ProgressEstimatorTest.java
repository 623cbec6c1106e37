package io.deploytrack.core;

import io.deploytrack.core.testkit.ManualClock;
import io.deploytrack.core.testkit.ManualScheduler;
import io.deploytrack.core.testkit.ScriptedPollingSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The progress model through the real tracker on the manual clock: expected durations from the history of the same
 * project, environment and stage (wider when too few, unknown when none), a percentage that never reaches 100 before
 * the end, the overrun state, the provider's targets done, and the publisher's updates.
 */
class ProgressEstimatorTest {
    private static final Duration POLL = Duration.ofSeconds(1);

    private final ManualClock clock = ManualClock.of(Instant.parse("2026-03-01T10:00:00Z"));
    private final ManualScheduler scheduler = ManualScheduler.of(clock);
    private final InMemoryHistoryStore store = InMemoryHistoryStore.of(clock);
    private final ScriptedPollingSource source = ScriptedPollingSource.of();
    private final DeploymentTracker tracker = DeploymentTracker.builder(store).clock(clock).scheduler(scheduler)
            .executor(scheduler).discoverSources(false).source(source).instanceId("progress").pollInterval(POLL)
            .pollJitter(0).defaultTimeout(Duration.ofMinutes(10)).build().start();
    private int runs;

    @AfterEach
    void close() {
        tracker.close();
    }

    /** A finished deployment whose stage {@code deploy} took {@code seconds}, as the source reports. */
    private void past(String repo, String env, long seconds, Observation.State end) {
        CheckRef ref = source.ref("past-" + ++runs);
        Instant now = clock.instant();
        source.script(ref, new Observation(end, end.name().toLowerCase(), now.minusSeconds(seconds), now, null));
        DeploymentHandle h = tracker.track(DeploymentRequest.builder("acme", repo, String.format("%07x", runs))
                .environment(env).build(), CheckSpec.of("deploy", ref));
        scheduler.advance(POLL);
        assertThat(h.completion()).isCompleted();
        scheduler.advance(Duration.ofMinutes(5));
    }

    private DeploymentHandle running(String repo, String env, Observation... answers) {
        CheckRef ref = source.ref("now-" + ++runs);
        source.script(ref, (Object[]) answers);
        return tracker.track(DeploymentRequest.builder("acme", repo, "fedcba9").environment(env).build(),
                CheckSpec.of("deploy", ref));
    }

    @Test
    void aProjectWithHistoryGetsTheMedianOfItsStageAndAnOverrunInsteadOfAStaleCountdown() {
        past("web", "production", 40, Observation.State.SUCCEEDED);
        past("web", "production", 50, Observation.State.SUCCEEDED);
        past("web", "production", 45, Observation.State.SUCCEEDED);
        past("web", "production", 500, Observation.State.FAILED); // a failed run is no sample
        past("web", "staging", 300, Observation.State.SUCCEEDED); // another environment is not asked: 3 are enough
        DeploymentHandle h = running("web", "production", Observation.inProgress("inprogress"));
        scheduler.advance(Duration.ofSeconds(20));

        StageProgress s = tracker.progress(h.id()).stages().get(0);
        assertThat(s.expected().median()).isEqualTo(Duration.ofSeconds(45));
        assertThat(s.expected().samples()).isEqualTo(3);
        assertThat(s.expected().basis()).isEqualTo(ExpectedDuration.Basis.PROJECT_ENVIRONMENT);
        assertThat(s.phase()).isEqualTo(StageProgress.Phase.RUNNING);
        assertThat(s.elapsed()).isEqualTo(Duration.ofSeconds(20));
        assertThat(s.percent()).isEqualTo(40); // 90 * 20 / 45
        assertThat(s.summary()).isEqualTo("about 25 s left, typically 45 s");

        scheduler.advance(Duration.ofSeconds(30)); // 50 s: past the median, within the longest sample
        s = tracker.progress(h.id()).stages().get(0);
        assertThat(s.phase()).isEqualTo(StageProgress.Phase.RUNNING);
        assertThat(s.summary()).isEqualTo("should end soon, typically 45 s");

        List<Integer> seen = new ArrayList<>();
        for (int i = 0; i < 240; i++) {
            scheduler.advance(Duration.ofSeconds(1));
            seen.add(tracker.progress(h.id()).stages().get(0).percent());
        }
        s = tracker.progress(h.id()).stages().get(0);
        assertThat(s.phase()).isEqualTo(StageProgress.Phase.OVERRUN);
        assertThat(s.summary()).isEqualTo("longer than usual, typically 45 s");
        assertThat(seen).isSorted().allSatisfy(p -> assertThat(p).isBetween(90, 99));

        source.script(source.ref("now-" + runs), Observation.succeeded("success"));
        scheduler.advance(POLL);
        s = tracker.progress(h.id()).stages().get(0);
        assertThat(s.phase()).isEqualTo(StageProgress.Phase.ENDED);
        assertThat(s.percent()).isEqualTo(100);
    }

    @Test
    void tooFewRunsInTheEnvironmentWidenToTheProjectAndNoneAtAllIsUnknown() {
        past("api", "production", 30, Observation.State.SUCCEEDED);
        past("api", "staging", 60, Observation.State.SUCCEEDED);
        past("api", "staging", 90, Observation.State.SUCCEEDED);
        DeploymentHandle widened = running("api", "production", Observation.inProgress("inprogress"));
        scheduler.advance(Duration.ofSeconds(3));
        ExpectedDuration e = tracker.progress(widened.id()).stages().get(0).expected();
        assertThat(e.basis()).isEqualTo(ExpectedDuration.Basis.PROJECT);
        assertThat(e.median()).isEqualTo(Duration.ofSeconds(60));

        DeploymentProgress none = tracker.progress(running("new", "production",
                Observation.inProgress("inprogress")).id());
        StageProgress s = none.stages().get(0);
        assertThat(s.expected()).as("the stage name 'deploy' has 3 runs in all projects").isNotNull();
        assertThat(s.expected().basis()).isEqualTo(ExpectedDuration.Basis.ALL_PROJECTS);

        CheckRef ref = source.ref("lonely");
        source.script(ref, Observation.inProgress("inprogress"));
        DeploymentHandle unknown = tracker.track(DeploymentRequest.builder("acme", "lonely", "1234567").build(),
                CheckSpec.of("migrate", ref));
        scheduler.advance(Duration.ofMinutes(5)); // half of the 10 minute deadline
        s = tracker.progress(unknown.id()).stages().get(0);
        assertThat(s.expected()).isNull();
        assertThat(s.phase()).isEqualTo(StageProgress.Phase.RUNNING);
        assertThat(s.percent()).isEqualTo(45); // 90 * 5 / 10: against the deadline
        assertThat(s.summary()).isEqualTo("no estimate yet: no earlier successful run");
    }

    @Test
    void theProvidersTargetsDoneRaiseThePercentageButNeverTo100BeforeTheEnd() {
        DeploymentHandle h = running("targets", "production",
                Observation.inProgress("inprogress").withProgress("1 of 4 targets deployed"),
                Observation.inProgress("inprogress").withProgress("3 of 4 targets deployed"),
                Observation.inProgress("inprogress").withProgress("4 of 4 targets deployed"));
        scheduler.advance(POLL);
        StageProgress s = tracker.progress(h.id()).stages().get(0);
        assertThat(s.targets()).isEqualTo(new TargetProgress(1, 4));
        assertThat(s.percent()).isEqualTo(24); // 99 * 1 / 4
        scheduler.advance(POLL);
        assertThat(tracker.progress(h.id()).stages().get(0).percent()).isEqualTo(74);
        scheduler.advance(POLL);
        s = tracker.progress(h.id()).stages().get(0);
        assertThat(s.targets()).isEqualTo(new TargetProgress(4, 4));
        assertThat(s.percent()).isEqualTo(99);
        assertThat(s.summary()).startsWith("4 of 4 targets done; ");
        assertThat(store.events(h.id())).filteredOn(ev -> ev.type().equals("progress")).hasSize(3);
    }

    @Test
    void declaredStagesWaitAtZeroAndAreReportedInOrder() {
        CheckRef build = source.ref("build");
        source.script(build, Observation.inProgress("inprogress"));
        DeploymentHandle h = tracker.track(DeploymentRequest.builder("acme", "staged", "abcdef1").build(),
                List.of(CheckSpec.stage("sourcebuild", build), CheckSpec.pendingStage("sourcedeploy", source.type())));
        scheduler.advance(Duration.ofSeconds(4));
        DeploymentProgress p = tracker.progress(h.id());
        assertThat(p.stages()).extracting(StageProgress::name).containsExactly("sourcebuild", "sourcedeploy");
        assertThat(p.stages()).extracting(StageProgress::phase)
                .containsExactly(StageProgress.Phase.RUNNING, StageProgress.Phase.WAITING);
        assertThat(p.stages().get(1).percent()).isZero();
        assertThat(p.current().orElseThrow().name()).isEqualTo("sourcebuild");
        assertThat(p.elapsed()).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void thePublisherSendsOneUpdatePerDeploymentPerSecondAndAFinalOneAtTheEnd() {
        past("pub", "production", 10, Observation.State.SUCCEEDED);
        DeploymentHandle h = running("pub", "production", Observation.inProgress("inprogress"));
        List<DeploymentProgress> got = new ArrayList<>();
        try (ProgressPublisher publisher = ProgressPublisher.builder(store).clock(clock).scheduler(scheduler).build()) {
            publisher.subscribe(new Flow.Subscriber<>() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                    s.request(Long.MAX_VALUE);
                }

                @Override
                public void onNext(DeploymentProgress item) {
                    got.add(item);
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onComplete() {
                }
            });
            publisher.start();
            scheduler.advance(Duration.ofMillis(5_500), Duration.ofMillis(250));
            assertThat(got).extracting(DeploymentProgress::at).extracting(Instant::getEpochSecond).doesNotHaveDuplicates();
            assertThat(got).hasSizeBetween(5, 6);
            assertThat(got).extracting(p -> p.stages().get(0).percent()).isSorted();
            assertThat(got).allSatisfy(p -> assertThat(p.stages().get(0).percent()).isLessThan(100));

            source.script(source.ref("now-" + runs), Observation.succeeded("success"));
            scheduler.advance(Duration.ofSeconds(3));
            DeploymentProgress last = got.get(got.size() - 1);
            assertThat(last.status()).isEqualTo(DeploymentStatus.SUCCESS);
            assertThat(last.stages().get(0).percent()).isEqualTo(100);
            assertThat(got).filteredOn(p -> p.status().isTerminal()).hasSize(1);
        }
        assertThat(h.completion()).isCompleted();
    }
}
