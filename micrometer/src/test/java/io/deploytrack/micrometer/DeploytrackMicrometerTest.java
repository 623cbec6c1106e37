package io.deploytrack.micrometer;

import io.deploytrack.core.CheckRef;
import io.deploytrack.core.CheckSpec;
import io.deploytrack.core.DeploymentHandle;
import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.HistoryStore;
import io.deploytrack.core.InMemoryHistoryStore;
import io.deploytrack.core.Observation;
import io.deploytrack.core.SourceException;
import io.deploytrack.core.testkit.ManualClock;
import io.deploytrack.core.testkit.ManualScheduler;
import io.deploytrack.core.testkit.ScriptedPollingSource;
import io.deploytrack.core.testkit.ScriptedWatchingSource;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.deploytrack.jdbc.JdbcHistoryStore;

import java.nio.file.Path;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The meters and observations of a real tracker over an in-memory store, driven on a manual clock and scheduler:
 * every value asserted comes from what the tracker did.
 */
class DeploytrackMicrometerTest {
    private final ManualClock clock = ManualClock.of(Instant.parse("2026-03-01T10:00:00Z"));
    private final ManualScheduler scheduler = ManualScheduler.of(clock);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final TestObservationRegistry observations = TestObservationRegistry.create();
    private final DeploytrackMicrometer micrometer = DeploytrackMicrometer.builder().meterRegistry(meters)
            .observationRegistry(observations).clock(clock).gaugeRefresh(Duration.ZERO).build();
    private final List<DeploymentTracker> trackers = new ArrayList<>();

    @AfterEach
    void close() {
        trackers.forEach(DeploymentTracker::close);
    }

    private DeploymentTracker tracker(HistoryStore store, io.deploytrack.core.StatusSource source, String id) {
        DeploymentTracker t = DeploymentTracker.builder(store).clock(clock).scheduler(scheduler).executor(scheduler)
                .discoverSources(false).source(micrometer.instrument(source)).instanceId(id)
                .pollInterval(Duration.ofSeconds(5)).pollJitter(0).maxBackoff(Duration.ofSeconds(5))
                .leaseDuration(Duration.ofSeconds(30)).listener(micrometer.listener()).build();
        trackers.add(t);
        return t.start();
    }

    @Test
    void aCompletedDeploymentIsCountedTimedAndObservedWithLowCardinalityTags() {
        HistoryStore store = micrometer.instrument(InMemoryHistoryStore.of(clock));
        ScriptedPollingSource source = ScriptedPollingSource.of("ncp", null);
        CheckRef ref = source.ref("8001");
        source.script(ref, SourceException.transientFailure("503 from the gateway", null, null),
                Observation.inProgress("inprogress"),
                Observation.succeeded("success").withTimes(null, clock.instant().plusSeconds(42)));
        DeploymentTracker tracker = tracker(store, source, "a");

        DeploymentHandle h = tracker.track(DeploymentRequest.builder("acme", "web", "3f2c1a9").environment("staging")
                .startedAt(clock.instant()).build(), ref);
        scheduler.advance(Duration.ofSeconds(60), Duration.ofSeconds(1));

        assertThat(h.completion()).isCompletedWithValueMatching(d -> d.status() == DeploymentStatus.SUCCESS);
        assertThat(meters.get(DeploytrackMeterNames.DEPLOYMENTS_COMPLETED)
                .tags("source", "ncp", "environment", "staging", "status", "success").counter().count()).isEqualTo(1.0);
        Timer duration = meters.get(DeploytrackMeterNames.DEPLOYMENT_DURATION)
                .tags("source", "ncp", "environment", "staging", "status", "success").timer();
        assertThat(duration.count()).isEqualTo(1);
        assertThat(duration.totalTime(java.util.concurrent.TimeUnit.SECONDS))
                .isEqualTo(h.completion().join().totalDuration().toSeconds());
        // No id or commit ever becomes a tag.
        meters.getMeters().forEach(m -> m.getId().getTags().forEach(t -> assertThat(t.getValue())
                .doesNotContain("3f2c1a9").isNotEqualTo(Long.toString(h.id()))));

        assertThat(meters.get(DeploytrackMeterNames.SOURCE_REQUESTS).tags("source", "ncp", "outcome", "transient_error")
                .counter().count()).isEqualTo(1.0);
        assertThat(meters.get(DeploytrackMeterNames.SOURCE_REQUESTS).tags("source", "ncp", "outcome", "success")
                .counter().count()).isEqualTo(source.polls(ref) - 1);
        assertThat(meters.get(DeploytrackMeterNames.SOURCE_LATENCY).tags("source", "ncp").timers())
                .extracting(Timer::count).containsExactlyInAnyOrder(1L, (long) source.polls(ref) - 1);
        assertThat(meters.get(DeploytrackMeterNames.STORE_OPERATIONS).tag("operation", "create").timer().count())
                .isEqualTo(1);
        assertThat(meters.get(DeploytrackMeterNames.STORE_OPERATIONS).tag("operation", "update_under_lease").timer().count())
                .isPositive(); // the tracker writes its changes by group commit

        TestObservationRegistryAssert.assertThat(observations)
                .hasNumberOfObservationsWithNameEqualTo(DeploytrackMeterNames.DEPLOYMENT_OBSERVATION, 1)
                .hasObservationWithNameEqualTo(DeploytrackMeterNames.DEPLOYMENT_OBSERVATION).that()
                .hasBeenStarted().hasBeenStopped()
                .hasLowCardinalityKeyValue("deployment.environment.name", "staging")
                .hasLowCardinalityKeyValue("deployment.status", "success")
                .hasHighCardinalityKeyValue("deployment.id", Long.toString(h.id()));
        TestObservationRegistryAssert.assertThat(observations)
                .hasNumberOfObservationsWithNameEqualTo(DeploytrackMeterNames.SOURCE_CALL_OBSERVATION, source.polls(ref))
                .hasAnObservation(o -> o.hasNameEqualTo(DeploytrackMeterNames.SOURCE_CALL_OBSERVATION)
                        .hasLowCardinalityKeyValue("outcome", "transient_error").assertThatError()
                        .isInstanceOf(SourceException.class));
    }

    @Test
    void aFailedDeploymentIsCountedUnderItsOwnStatus() {
        HistoryStore store = micrometer.instrument(InMemoryHistoryStore.of(clock));
        ScriptedWatchingSource source = ScriptedWatchingSource.of("kubernetes");
        CheckRef ref = source.ref("shop/web");
        DeploymentTracker tracker = tracker(store, source, "a");
        DeploymentHandle h = tracker.track(DeploymentRequest.builder("acme", "web", "abcdef1").build(), ref);
        scheduler.runPending();
        source.emit(ref, Observation.failed("ProgressDeadlineExceeded", "progress deadline exceeded"));
        scheduler.advance(Duration.ofSeconds(5), Duration.ofSeconds(1));

        assertThat(h.completion()).isCompletedWithValueMatching(d -> d.status() == DeploymentStatus.FAILED);
        assertThat(meters.get(DeploytrackMeterNames.DEPLOYMENTS_COMPLETED)
                .tags("source", "kubernetes", "environment", "production", "status", "failed").counter().count())
                .isEqualTo(1.0);
        assertThat(meters.find(DeploytrackMeterNames.DEPLOYMENTS_COMPLETED).tag("status", "success").counter())
                .isNull();
        assertThat(meters.get(DeploytrackMeterNames.SOURCE_REQUESTS).tags("source", "kubernetes", "outcome", "success")
                .counter().count()).isEqualTo(source.followCount());
    }

    @Test
    void gaugesCountRunningStaleAndHeldLeases() {
        InMemoryHistoryStore raw = InMemoryHistoryStore.of(clock);
        HistoryStore store = micrometer.instrument(raw);
        ScriptedPollingSource source = ScriptedPollingSource.of("ncp", null);
        CheckRef stuck = source.ref("1");
        CheckRef fine = source.ref("2");
        source.script(stuck, Observation.inProgress("inprogress"));
        source.script(fine, Observation.inProgress("inprogress"));
        DeploymentTracker a = tracker(store, source, "a");
        micrometer.gauges(store, a).bindTo(meters);
        a.track(DeploymentRequest.builder("acme", "web", "abc1234").build(),
                CheckSpec.of("ncp", stuck, Duration.ofMinutes(1), null));
        a.track(DeploymentRequest.builder("acme", "api", "abc1234").build(),
                CheckSpec.of("ncp", fine, Duration.ofHours(1), null));
        scheduler.runPending();

        assertThat(gauge(DeploytrackMeterNames.DEPLOYMENTS_RUNNING)).isEqualTo(2.0);
        assertThat(gauge(DeploytrackMeterNames.LEASES_HELD)).isEqualTo(2.0);
        assertThat(gauge(DeploytrackMeterNames.DEPLOYMENTS_STALE)).isZero();

        a.close(); // gives its leases up: nobody follows the two rows any more
        clock.advance(Duration.ofMinutes(2)); // past the first one's deadline only

        assertThat(gauge(DeploytrackMeterNames.DEPLOYMENTS_RUNNING)).isEqualTo(2.0);
        assertThat(gauge(DeploytrackMeterNames.DEPLOYMENTS_STALE)).isEqualTo(1.0);
    }

    @Test
    void anUnreadableStoreMakesTheStoreGaugesUnknownNotZero(@TempDir Path dir) {
        DeploymentTracker a = tracker(InMemoryHistoryStore.of(clock), ScriptedPollingSource.of("ncp", null), "a");
        JdbcHistoryStore closed = JdbcHistoryStore.sqlite(dir.resolve("deploytrack.db"));
        micrometer.gauges(closed, a).bindTo(meters);
        assertThat(gauge(DeploytrackMeterNames.DEPLOYMENTS_RUNNING)).isZero();
        closed.close();
        assertThat(gauge(DeploytrackMeterNames.DEPLOYMENTS_RUNNING)).isNaN();
        assertThat(gauge(DeploytrackMeterNames.DEPLOYMENTS_STALE)).isNaN();
    }

    @Test
    void withoutRegistriesNothingIsWrapped() {
        DeploytrackMicrometer none = DeploytrackMicrometer.builder().build();
        InMemoryHistoryStore store = InMemoryHistoryStore.of(clock);
        ScriptedPollingSource source = ScriptedPollingSource.of();
        assertThat(none.instrument(store)).isSameAs(store);
        assertThat(none.instrument(source)).isSameAs(source);
    }

    private double gauge(String name) {
        return meters.get(name).gauge().value();
    }
}
