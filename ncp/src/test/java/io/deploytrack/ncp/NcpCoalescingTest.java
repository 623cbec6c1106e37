package io.deploytrack.ncp;

import io.deploytrack.core.DeploymentHandle;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.testkit.ManualClock;
import io.deploytrack.core.testkit.ManualScheduler;
import io.deploytrack.ncp.emulator.EmulatorRequest;
import io.deploytrack.ncp.emulator.NcpEmulator;
import io.deploytrack.ncp.emulator.NcpScript;
import io.deploytrack.ncp.emulator.RequestKind;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static io.deploytrack.ncp.emulator.NcpScript.end;
import static io.deploytrack.ncp.emulator.NcpScript.step;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checks of one NCP project share one timer: one list call per project per interval, however many checks it has
 * and whenever they started, and detail calls only where the list cannot answer (an end, for its {@code endTime}; an
 * id not on the first page). Counted on the emulator's request log; the tracker's time is a manual clock, its
 * scheduler and workers a {@link ManualScheduler}, so the intervals are exact.
 */
class NcpCoalescingTest extends TrackerFixture {
    private static final long P = 21;
    private static final long Q = 22;
    private static final Duration INTERVAL = Duration.ofSeconds(1);

    private final ManualClock clock = ManualClock.of(Instant.now());
    private final ManualScheduler scheduler = ManualScheduler.of(clock);

    private DeploymentTracker manualTracker(NcpPollingSource source) {
        return closeLater(trackerBuilder(store("coalesce.db"), source).clock(clock).scheduler(scheduler)
                .executor(scheduler).pollInterval(INTERVAL).leaseDuration(Duration.ofDays(1)).build().start());
    }

    /** Moves the tracker's time by {@code d} in ticks, letting every HTTP answer be handled before the next tick. */
    private void pass(NcpEmulator ncp, Duration d) {
        Duration step = Duration.ofMillis(250);
        for (Duration left = d; !left.isZero() && !left.isNegative(); left = left.minus(step)) {
            scheduler.advance(step);
            settle(ncp);
        }
    }

    /**
     * Runs the workers until the emulator's answers stop arriving: nothing queued and no new request for three
     * samples in a row (an answer still on its way is handed to the workers, and counted, within that).
     */
    private void settle(NcpEmulator ncp) {
        long[] seen = {-1, 0};
        eventually("the answers handled", () -> {
            int ran = scheduler.runPending();
            long now = ncp.requestCount();
            seen[1] = ran == 0 && now == seen[0] ? seen[1] + 1 : 0;
            seen[0] = now;
            if (seen[1] < 3) {
                pause();
            }
            return seen[1] >= 3;
        });
    }

    private static void pause() {
        java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
    }

    private static List<EmulatorRequest> of(NcpEmulator ncp, RequestKind kind, long project) {
        return ncp.requests(kind).stream().filter(r -> r.projectId() != null && r.projectId() == project).toList();
    }

    @Test
    void checksOfOneProjectShareOneTimerWhenTheyStartedAndDetailCallsAreOnlyForEnds() {
        NcpEmulator ncp = emulator();
        DeploymentTracker tracker = manualTracker(source(ncp));
        List<Long> ids = new ArrayList<>();
        List<DeploymentHandle> handles = new ArrayList<>();
        // Six checks of P whose schedules fall apart (started 0, 300 and 700 ms into an interval), one of Q.
        for (int wave = 0; wave < 3; wave++) {
            for (int i = 0; i < 2; i++) {
                long id = ncp.createHistory(P, NcpScript.of(step("inprogress", Duration.ofHours(1)), end("success")));
                ids.add(id);
                handles.add(tracker.track(request(), NcpPollingSource.ref(P, id)));
            }
            pass(ncp, Duration.ofMillis(wave == 0 ? 250 : 500));
        }
        long single = ncp.createHistory(Q, NcpScript.of(step("inprogress", Duration.ofHours(1)), end("success")));
        DeploymentHandle alone = tracker.track(request(), NcpPollingSource.ref(Q, single));
        pass(ncp, INTERVAL);

        ncp.clearRequests();
        pass(ncp, INTERVAL.multipliedBy(10));
        assertThat(of(ncp, RequestKind.LIST, P)).as("list calls of P in ten intervals").hasSize(10);
        assertThat(of(ncp, RequestKind.DETAIL, P)).as("detail calls of P while its checks run").isEmpty();
        assertThat(of(ncp, RequestKind.DETAIL, Q)).as("a project with one check: its detail, once per interval")
                .hasSize(10);
        assertThat(of(ncp, RequestKind.LIST, Q)).isEmpty();

        // Three of P end: one detail call each, for NCP's endTime; the list still once per interval.
        ncp.clearRequests();
        for (int i = 0; i < 3; i++) {
            ncp.setStatus(P, ids.get(i), "success");
        }
        pass(ncp, INTERVAL.multipliedBy(4));
        assertThat(of(ncp, RequestKind.DETAIL, P)).extracting(EmulatorRequest::historyId)
                .containsExactlyInAnyOrderElementsOf(ids.subList(0, 3));
        assertThat(of(ncp, RequestKind.LIST, P)).hasSize(4);
        for (int i = 0; i < 3; i++) {
            assertThat(handles.get(i).completion()).isCompleted();
            assertThat(handles.get(i).completion().join().status()).isEqualTo(DeploymentStatus.SUCCESS);
        }
        assertThat(alone.completion()).isNotDone();
    }

    @Test
    void jitterSetsAGroupsPhaseOnceAndThenItIsPolledEveryIntervalExactly() {
        NcpEmulator ncp = emulator();
        DeploymentTracker tracker = closeLater(trackerBuilder(store("phase.db"), source(ncp)).clock(clock)
                .scheduler(scheduler).executor(scheduler).pollInterval(INTERVAL).pollJitter(0.5)
                .leaseDuration(Duration.ofDays(1)).build().start());
        for (int i = 0; i < 3; i++) {
            long id = ncp.createHistory(P, NcpScript.of(step("inprogress", Duration.ofHours(1)), end("success")));
            tracker.track(request(), NcpPollingSource.ref(P, id));
        }
        // The first poll, then the first (jittered) period: the phase.
        pass(ncp, INTERVAL.multipliedBy(2));
        ncp.clearRequests();
        pass(ncp, INTERVAL.multipliedBy(20));
        // Jittered every period (0.5 to 1.5 s), twenty seconds would hold anywhere from 14 to 40 list calls.
        assertThat(of(ncp, RequestKind.LIST, P)).as("list calls of P in twenty intervals").hasSize(20);
    }

    @Test
    void checksNotOnTheFirstPageGetTheirOwnDetailCall() {
        NcpEmulator ncp = emulator();
        DeploymentTracker tracker = manualTracker(NcpPollingSource.builder(client(ncp, ncp.secretKey())).listPageSize(2).build());
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long id = ncp.createHistory(P, NcpScript.of(step("inprogress", Duration.ofHours(1)), end("success")));
            ids.add(id);
            tracker.track(request(), NcpPollingSource.ref(P, id));
        }
        pass(ncp, INTERVAL);
        ncp.clearRequests();
        pass(ncp, INTERVAL.multipliedBy(3));

        assertThat(of(ncp, RequestKind.LIST, P)).hasSize(3);
        List<EmulatorRequest> details = of(ncp, RequestKind.DETAIL, P);
        Set<Long> detailed = details.stream().map(EmulatorRequest::historyId).collect(Collectors.toSet());
        assertThat(details).as("three checks not on a page of two, each once per interval").hasSize(9);
        assertThat(detailed).hasSize(3).isSubsetOf(ids);
    }

    @Test
    void buildsOfOneProjectCostOneHistoryListCallPerInterval() {
        NcpEmulator ncp = emulator();
        ncp.addBuildProject(P, "build-p", "r", "web", "1");
        ncp.addBuildProject(Q, "build-q", "r", "api", "1");
        ncp.onBuild(P, NcpScript.of(step("prepare", Duration.ofHours(1)), end("success")), null);
        ncp.onBuild(Q, NcpScript.of(step("prepare", Duration.ofHours(1)), end("success")), null);
        NcpClient client = client(ncp, ncp.secretKey());
        DeploymentTracker tracker = closeLater(trackerBuilder(store("builds.db"), NcpPollingSource.of(client))
                .source(NcpBuildPollingSource.of(client)).clock(clock).scheduler(scheduler).executor(scheduler)
                .pollInterval(INTERVAL).leaseDuration(Duration.ofDays(1)).build().start());
        NcpSourceBuild builds = NcpSourceBuild.of(client);
        for (int wave = 0; wave < 3; wave++) {
            for (int i = 0; i < 4; i++) {
                String id = builds.startBuild(P).join();
                tracker.track(request(), NcpBuildPollingSource.ref(P, id));
            }
            pass(ncp, Duration.ofMillis(wave == 0 ? 250 : 500));
        }
        tracker.track(request(), NcpBuildPollingSource.ref(Q, builds.startBuild(Q).join()));
        pass(ncp, INTERVAL);
        ncp.clearRequests();
        pass(ncp, INTERVAL.multipliedBy(10));
        assertThat(of(ncp, RequestKind.BUILD_HISTORY, P)).as("history calls of P (12 builds) in ten intervals")
                .hasSize(10);
        assertThat(of(ncp, RequestKind.BUILD_HISTORY, Q)).hasSize(10);
    }
}
