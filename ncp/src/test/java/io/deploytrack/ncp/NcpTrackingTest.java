package io.deploytrack.ncp;

import io.deploytrack.core.CheckSpec;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.DeploymentHandle;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.testkit.ManualClock;
import io.deploytrack.ncp.emulator.EmulatorRequest;
import io.deploytrack.ncp.emulator.NcpEmulator;
import io.deploytrack.ncp.emulator.NcpFault;
import io.deploytrack.ncp.emulator.NcpScript;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

import static io.deploytrack.ncp.emulator.NcpScript.awaitApproval;
import static io.deploytrack.ncp.emulator.NcpScript.end;
import static io.deploytrack.ncp.emulator.NcpScript.step;
import static org.assertj.core.api.Assertions.assertThat;

/** NCP deployments followed by the real tracker, over HTTP against the emulator, into SQLite. */
class NcpTrackingTest extends TrackerFixture {

    private static final long P = 7;
    private static final Set<String> TERMINAL = Set.of("success", "failed", "cancelled");

    private static NcpScript running() {
        return NcpScript.of(step("inprogress", Duration.ofHours(1)), end("success"));
    }

    private static String lastStatus(DeploymentTracker tracker, long id) {
        return tracker.history().find(id).flatMap(d -> d.check("ncp")).map(DeploymentCheck::lastSourceStatus)
                .orElse(null);
    }

    /**
     * The tracker's clock is a manual one here: a deadline passes when the test moves it, never because a loaded
     * machine was slow to answer the first poll.
     */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "success, success", "fail, failed", "error, failed", "reject, failed", "canary_reject, failed",
            "canary_waiting_timeout, failed", "canceled, cancelled",
            "inprogress, timed_out", "waiting, timed_out", "pending, timed_out", "canceling, timed_out",
            "canary_pending, timed_out", "canary_analyzing, timed_out", "canary_rejecting, timed_out",
            "rolling_back, timed_out"})
    void eachStatusWordEndsTheDeploymentAsListed(String word, String expected) {
        NcpEmulator ncp = emulator();
        long id = ncp.createHistory(P, word.equals("pending") ? NcpScript.of(awaitApproval(), end("success")) : running());
        ncpClock.advance(Duration.ofSeconds(42));
        if (!word.equals("pending")) {
            ncp.setStatus(P, id, word);
        }
        ManualClock clock = ManualClock.of(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        DeploymentTracker tracker = tracker(source(ncp), clock, "words.db");
        CheckSpec check = CheckSpec.of(NcpPollingSource.ref(P, id)).withTimeout(Duration.ofMinutes(5))
                .withApprovalTimeout(Duration.ofMinutes(30));

        DeploymentHandle h = tracker.track(request(), check);
        if (!TERMINAL.contains(expected)) {
            eventually("'" + word + "' seen", () -> word.equals(lastStatus(tracker, h.id())));
            assertThat(tracker.history().find(h.id()).orElseThrow().status()).isEqualTo(DeploymentStatus.RUNNING);
            // Past the deadline that applies: the approval deadline for pending, the rollout deadline otherwise.
            clock.advance(word.equals("pending") ? Duration.ofMinutes(31) : Duration.ofMinutes(6));
        }
        Deployment d = done(h.completion());

        assertThat(d.status().word()).isEqualTo(expected);
        assertThat(d.idempotencyKey()).isEqualTo("ncp:7:" + id);
        assertThat(d.check("ncp").orElseThrow().lastSourceStatus()).isEqualTo(word);
        assertThat(d.startedAt()).as("NCP's startTime").isEqualTo(t0);
        if (TERMINAL.contains(expected)) {
            // NCP's endTime: the duration is exact, whatever the poll interval.
            assertThat(d.completedAt()).isEqualTo(t0.plusSeconds(42));
            assertThat(d.totalDuration()).isEqualTo(Duration.ofSeconds(42));
        } else {
            assertThat(d.completedAt()).isEqualTo(clock.instant());
        }
        switch (expected) {
            case "success" -> assertThat(d.deployedAt()).isEqualTo(t0.plusSeconds(42));
            case "failed" -> {
                assertThat(d.errorStage()).isEqualTo("ncp");
                assertThat(d.errorMessage()).contains("status '" + word + "'").contains(Long.toString(id));
            }
            case "cancelled" -> assertThat(d.errorMessage()).contains("canceled");
            default -> assertThat(d.errorMessage()).isEqualTo(word.equals("pending")
                    ? "approval deadline of 30m passed while waiting for approval; last status seen: pending"
                    : "no terminal status within 5m; last status seen: " + word);
        }
        // Stored as it was returned.
        assertThat(tracker.history().find(d.id()).orElseThrow().status()).isEqualTo(d.status());
    }

    @Test
    void twoDeploymentsOfOneProjectInFlightEachGetTheirOwnResult() {
        NcpEmulator ncp = emulator();
        long first = ncp.createHistory(P, running());
        long second = ncp.createHistory(P, running());
        NcpPollingSource source = source(ncp);
        // The list puts the other deployment first: a poller that reads historyList[0] reads the wrong one.
        assertThat(source.client().listHistories(P, 1, 100).join().histories().get(0).id()).isEqualTo(first);
        DeploymentTracker tracker = closeLater(trackerBuilder(store("two.db"), source)
                .pollInterval(Duration.ofMillis(200)).build().start());
        DeploymentHandle a = tracker.track(request(), NcpPollingSource.ref(P, first));
        DeploymentHandle b = tracker.track(request(), NcpPollingSource.ref(P, second));
        eventually("both observed through a list call", () -> ncp.listCalls() >= 1
                && "inprogress".equals(lastStatus(tracker, a.id())) && "inprogress".equals(lastStatus(tracker, b.id())));

        ncpClock.advance(Duration.ofSeconds(20));
        ncp.setStatus(P, second, "fail");
        Deployment failed = done(b.completion());
        assertThat(failed.status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(failed.errorMessage()).contains(Long.toString(second)).doesNotContain(Long.toString(first));
        assertThat(failed.totalDuration()).isEqualTo(Duration.ofSeconds(20));
        // Alone now, the first is polled by its detail call: twice more, and it still runs.
        int seen = ncp.requestsFor(first).size();
        eventually("the first polled again after the second ended", () -> ncp.requestsFor(first).size() >= seen + 2);
        assertThat(tracker.history().find(a.id()).orElseThrow().status()).isEqualTo(DeploymentStatus.RUNNING);

        ncpClock.advance(Duration.ofSeconds(15));
        ncp.setStatus(P, first, "success");
        Deployment succeeded = done(a.completion());
        assertThat(succeeded.status()).isEqualTo(DeploymentStatus.SUCCESS);
        assertThat(succeeded.totalDuration()).isEqualTo(Duration.ofSeconds(35));
        assertThat(tracker.history().find(b.id()).orElseThrow().status()).isEqualTo(DeploymentStatus.FAILED);
    }

    @Test
    void transientFailuresBackOffHonourRetryAfterAndTheDeploymentStillEndsRight() {
        // The system clock here, so that the request log's times are real.
        NcpEmulator ncp = emulator(Clock.systemUTC());
        long id = ncp.createHistory(P, running());
        ncp.inject(NcpFault.endpointError().forHistory(id).times(2));
        ncp.inject(NcpFault.throttled(Duration.ofSeconds(1)).forHistory(id));
        // The JDK client retries a GET once by itself on a dropped pooled connection: inject enough.
        ncp.inject(NcpFault.disconnect().forHistory(id).times(6));
        ncp.inject(NcpFault.malformedJson().forHistory(id));
        DeploymentTracker tracker = tracker(source(ncp));

        DeploymentHandle h = tracker.track(request(), NcpPollingSource.ref(P, id));
        eventually("every fault met and the status read after them", () -> ncp.pendingFaults() == 0
                && "inprogress".equals(lastStatus(tracker, h.id())));
        assertThat(tracker.history().find(h.id()).orElseThrow().status()).isEqualTo(DeploymentStatus.RUNNING);
        ncp.setStatus(P, id, "success");
        Deployment d = done(h.completion());

        assertThat(d.status()).isEqualTo(DeploymentStatus.SUCCESS);
        List<EmulatorRequest> calls = ncp.requestsFor(id);
        assertThat(calls).extracting(EmulatorRequest::responseStatus).startsWith(503, 503, 429).contains(0, 200);
        Instant throttledAt = calls.get(2).time();
        Instant nextAt = calls.get(3).time();
        assertThat(Duration.between(throttledAt, nextAt)).as("the retry waited for Retry-After: 1 s")
                .isGreaterThanOrEqualTo(Duration.ofMillis(990));
        assertThat(tracker.history().events(h.id())).anySatisfy(e -> assertThat(e.type()).isEqualTo("poll_error"));
    }

    @Test
    void wrongCredentialsFailTheDeploymentWithinOnePoll() {
        NcpEmulator ncp = emulator();
        long id = ncp.createHistory(P, running());
        NcpPollingSource wrong = NcpPollingSource.of(client(ncp, "not-the-secret-key"));
        DeploymentTracker tracker = tracker(wrong);

        Deployment d = done(tracker.track(request(), NcpPollingSource.ref(P, id)).completion());

        assertThat(d.status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(d.errorMessage()).contains("access key").contains("secret key").contains("clock")
                .doesNotContain("not-the-secret-key");
        assertThat(ncp.requestsFor(id)).singleElement().satisfies(r -> assertThat(r.responseStatus()).isEqualTo(401));
    }

    @Test
    void aDeploymentThatNeverEndsTimesOutAtItsDeadline() {
        NcpEmulator ncp = emulator();
        long id = ncp.createHistory(P, running());
        ManualClock clock = ManualClock.of(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        DeploymentTracker tracker = tracker(source(ncp), clock, "never.db");
        Instant tracked = clock.instant();

        DeploymentHandle h = tracker.track(request(),
                CheckSpec.of(NcpPollingSource.ref(P, id)).withTimeout(Duration.ofMinutes(2)));
        eventually("inprogress seen", () -> "inprogress".equals(lastStatus(tracker, h.id())));
        clock.advance(Duration.ofMinutes(1));
        eventually("polled again a minute later", () -> ncp.requestsFor(id).size() >= 2);
        assertThat(tracker.history().find(h.id()).orElseThrow().status()).isEqualTo(DeploymentStatus.RUNNING);
        clock.advance(Duration.ofMinutes(1));
        Deployment d = done(h.completion());

        assertThat(d.status()).isEqualTo(DeploymentStatus.TIMED_OUT);
        assertThat(d.errorMessage()).isEqualTo("no terminal status within 2m; last status seen: inprogress");
        assertThat(d.completedAt()).isEqualTo(tracked.plus(Duration.ofMinutes(2)));
        assertThat(d.check("ncp").orElseThrow().deadlineAt()).isEqualTo(tracked.plus(Duration.ofMinutes(2)));
    }

    @Test
    void notFoundForAWhileThenFoundEndsRight() {
        NcpEmulator ncp = emulator();
        ncp.addProject(P, "shop");
        long next = 8001; // the emulator's first history id
        // Retries enough that a slow test thread cannot miss the moment: it is the found case that is tested here.
        DeploymentTracker tracker = closeLater(trackerBuilder(store("later.db"), source(ncp)).notFoundRetries(50)
                .build().start());

        DeploymentHandle h = tracker.track(request(), NcpPollingSource.ref(P, next));
        eventually("two 404s", () -> ncp.requestsFor(next).size() >= 2);
        assertThat(ncp.requestsFor(next)).allSatisfy(r -> assertThat(r.responseStatus()).isEqualTo(404));
        long id = ncp.createHistory(P, NcpScript.of(end("success")));
        assertThat(id).isEqualTo(next);

        Deployment d = done(h.completion());
        assertThat(d.status()).isEqualTo(DeploymentStatus.SUCCESS);
        assertThat(d.totalDuration()).isEqualTo(Duration.ZERO);
    }

    @Test
    void notFoundForeverFailsAfterTheRetries() {
        NcpEmulator ncp = emulator();
        ncp.addProject(P, "shop");
        DeploymentTracker tracker = closeLater(trackerBuilder(store("missing.db"), source(ncp)).notFoundRetries(3)
                .build().start());

        Deployment d = done(tracker.track(request(), NcpPollingSource.ref(P, 9999)).completion());

        assertThat(d.status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(d.errorMessage()).contains("does not know deployment 9999 of project 7")
                .contains("still not found after 4 attempts");
        assertThat(ncp.requestsFor(9999)).hasSize(4)
                .allSatisfy(r -> assertThat(r.responseStatus()).isEqualTo(404));
    }

    @Test
    void pendingWaitsPastTheRolloutDeadlineUntilApprovedThenGoesOn() {
        NcpEmulator ncp = emulator();
        long id = ncp.createHistory(P, NcpScript.of(awaitApproval(), step("inprogress", Duration.ofSeconds(10)),
                end("success")));
        ManualClock clock = ManualClock.of(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        DeploymentTracker tracker = tracker(source(ncp), clock, "pending.db");
        Instant tracked = clock.instant();

        DeploymentHandle h = tracker.track(request(), CheckSpec.of(NcpPollingSource.ref(P, id))
                .withTimeout(Duration.ofMinutes(5)).withApprovalTimeout(Duration.ofHours(1)));
        eventually("pending seen", () -> "pending".equals(lastStatus(tracker, h.id())));
        // Ten minutes later, far past the 5-minute rollout deadline, and polled twice more since.
        clock.advance(Duration.ofMinutes(10));
        eventuallyAdvancing(clock, "polled twice more", () -> ncp.requestsFor(id).size() >= 3);

        Deployment waiting = tracker.history().find(h.id()).orElseThrow();
        assertThat(waiting.status()).isEqualTo(DeploymentStatus.RUNNING);
        DeploymentCheck c = waiting.check("ncp").orElseThrow();
        assertThat(c.awaitingApproval()).isTrue();
        assertThat(c.lastSourceStatus()).isEqualTo("pending");
        assertThat(c.deadlineAt()).as("the approval deadline applies").isEqualTo(tracked.plus(Duration.ofHours(1)));

        ncp.approve(P, id);
        Instant approved = clock.instant();
        eventuallyAdvancing(clock, "inprogress after the approval", () -> "inprogress".equals(lastStatus(tracker, h.id())));
        assertThat(tracker.history().find(h.id()).orElseThrow().check("ncp").orElseThrow().deadlineAt())
                .as("the rollout deadline again, from the approval on")
                .isBetween(approved.plus(Duration.ofMinutes(5)), clock.instant().plus(Duration.ofMinutes(5)));
        ncpClock.advance(Duration.ofSeconds(10));
        eventuallyAdvancing(clock, "success", () -> h.completion().isDone());
        Deployment d = done(h.completion());

        assertThat(d.status()).isEqualTo(DeploymentStatus.SUCCESS);
        assertThat(d.completedAt()).isEqualTo(t0.plusSeconds(10));
    }
}
