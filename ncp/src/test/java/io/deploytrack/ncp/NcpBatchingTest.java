package io.deploytrack.ncp;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentHandle;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.ncp.emulator.NcpEmulator;
import io.deploytrack.ncp.emulator.NcpScript;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static io.deploytrack.ncp.emulator.NcpScript.end;
import static io.deploytrack.ncp.emulator.NcpScript.step;
import static org.assertj.core.api.Assertions.assertThat;

/** Fifty deployments of one project in flight: a few list calls per interval, not fifty detail calls. */
class NcpBatchingTest extends TrackerFixture {

    private static final long P = 7;
    private static final Duration INTERVAL = Duration.ofMillis(100);
    private static final String[] ENDS = {"success", "fail", "canceled", "error", "reject"};
    private static final String[] EXPECTED = {"success", "failed", "cancelled", "failed", "failed"};

    @Test
    void fiftyDeploymentsOfOneProjectArePolledWithAFewListCallsPerInterval() {
        NcpEmulator ncp = emulator();
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ids.add(ncp.createHistory(P, NcpScript.of(step("inprogress", Duration.ofHours(1)), end("success"))));
        }
        DeploymentTracker tracker = closeLater(trackerBuilder(store("fifty.db"), source(ncp)).pollInterval(INTERVAL)
                .build().start());
        List<DeploymentHandle> handles = new ArrayList<>();
        ids.forEach(id -> handles.add(tracker.track(request(), NcpPollingSource.ref(P, id))));
        eventually("all fifty observed", () -> handles.stream().allMatch(h -> tracker.history().find(h.id())
                .flatMap(d -> d.check("ncp")).map(c -> Objects.equals(c.lastSourceStatus(), "inprogress")).orElse(false)));

        // Steady state: ten list calls' worth of polling.
        ncp.clearRequests();
        long start = System.nanoTime();
        eventually("ten list calls", () -> ncp.listCalls() >= 10);
        long lists = ncp.listCalls();
        long details = ncp.detailCalls();
        double intervals = (System.nanoTime() - start) / (double) INTERVAL.toNanos();
        // A few at most: a deployment alone in its batch for one round, until it joins the others' schedule.
        assertThat(details).as("detail calls while all fifty run").isLessThanOrEqualTo(5);
        assertThat((double) lists).as("list calls over %.1f intervals", intervals).isLessThanOrEqualTo(2 * intervals + 2);
        assertThat(intervals).as("fifty detail calls per interval would have been %d calls", (long) (50 * intervals))
                .isGreaterThan(4);

        // All end at once: one detail call each (for NCP's endTime), still a few list calls.
        ncpClock.advance(Duration.ofSeconds(90));
        ncp.clearRequests();
        long endStart = System.nanoTime();
        for (int i = 0; i < ids.size(); i++) {
            ncp.setStatus(P, ids.get(i), ENDS[i % ENDS.length]);
        }
        for (int i = 0; i < handles.size(); i++) {
            Deployment d = done(handles.get(i).completion());
            assertThat(d.status().word()).as("deployment of history %d", ids.get(i)).isEqualTo(EXPECTED[i % EXPECTED.length]);
            assertThat(d.completedAt()).isEqualTo(t0.plusSeconds(90));
            assertThat(d.totalDuration()).isEqualTo(Duration.ofSeconds(90));
        }
        double endIntervals = (System.nanoTime() - endStart) / (double) INTERVAL.toNanos();
        assertThat(ncp.detailCalls()).as("one detail call per completion, and a few more at most")
                .isBetween(50L, 55L);
        assertThat((double) ncp.listCalls()).isLessThanOrEqualTo(2 * endIntervals + 2);
    }
}
