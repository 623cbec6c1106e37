package io.deploytrack.ncp;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.DeploymentHandle;
import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.HistoryQuery;
import io.deploytrack.core.InvalidRequestException;
import io.deploytrack.core.TrackerClosedException;
import io.deploytrack.jdbc.JdbcHistoryStore;
import io.deploytrack.ncp.emulator.NcpEmulator;
import io.deploytrack.ncp.emulator.NcpScript;
import io.deploytrack.ncp.emulator.RequestKind;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.deploytrack.ncp.emulator.NcpScript.end;
import static io.deploytrack.ncp.emulator.NcpScript.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Deploy and track in one call; resuming after a restart; what the logs say (and never say). */
class NcpDeployAndTrackTest extends TrackerFixture {

    private static final long P = 7;
    private static final long STAGE = 70;
    private static final long SCENARIO = 700;

    private static DeploymentHandle handle(CompletableFuture<DeploymentHandle> f) {
        return f.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    private static String lastStatus(DeploymentTracker tracker, long id) {
        return tracker.history().find(id).flatMap(d -> d.check("ncp")).map(DeploymentCheck::lastSourceStatus)
                .orElse(null);
    }

    @Test
    void deployAndTrackStartsTheDeploymentAndRecordsItsNcpIds() {
        NcpEmulator ncp = emulator();
        ncp.addScenario(P, STAGE, SCENARIO);
        ncp.onDeploy(SCENARIO, NcpScript.of(step("waiting", Duration.ofSeconds(5)),
                step("inprogress", Duration.ofSeconds(40)), end("success")));
        NcpPollingSource source = source(ncp);
        DeploymentTracker tracker = tracker(source);

        DeploymentHandle h = handle(NcpDeployments.of(source, tracker).deployAndTrack(request(), P, STAGE, SCENARIO));

        assertThat(ncp.requests(RequestKind.DEPLOY)).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.path()).isEqualTo("/api/v1/project/7/stage/70/scenario/700/deploy");
            assertThat(r.historyId()).isEqualTo(8001L);
        });
        assertThat(h.created()).isTrue();
        Deployment stored = tracker.history().find(h.id()).orElseThrow();
        assertThat(stored.idempotencyKey()).isEqualTo("ncp:7:8001");
        assertThat(stored.attributes()).containsAllEntriesOf(Map.of("ncp_project_id", "7", "ncp_stage_id", "70",
                "ncp_scenario_id", "700", "ncp_history_id", "8001"));
        assertThat(stored.check("ncp").orElseThrow().ref()).isEqualTo(NcpPollingSource.ref(P, 8001, STAGE, SCENARIO));

        // Tracking the same NCP deployment again (another request, same history id) returns the same row.
        DeploymentRequest again = DeploymentRequest.builder("acme", "web", "0123456789abcdef").build();
        DeploymentHandle repeat = tracker.track(again, NcpPollingSource.ref(P, 8001));
        assertThat(repeat.created()).isFalse();
        assertThat(repeat.id()).isEqualTo(h.id());
        assertThat(tracker.history().list(HistoryQuery.all(10))).hasSize(1);

        eventually("waiting seen", () -> "waiting".equals(lastStatus(tracker, h.id())));
        ncpClock.advance(Duration.ofSeconds(45));
        Deployment d = done(h.completion());
        assertThat(d.status()).isEqualTo(DeploymentStatus.SUCCESS);
        assertThat(d.totalDuration()).isEqualTo(Duration.ofSeconds(45));
        assertThat(done(repeat.completion()).id()).isEqualTo(h.id());
    }

    @Test
    void requestAndTrackWaitsForTheApprovalThenFollowsTheDeployment() {
        NcpEmulator ncp = emulator();
        ncp.addScenario(P, STAGE, SCENARIO);
        ncp.onDeploy(SCENARIO, NcpScript.of(step("inprogress", Duration.ofSeconds(30)), end("fail")));
        NcpPollingSource source = source(ncp);
        DeploymentTracker tracker = tracker(source);

        DeploymentHandle h = handle(NcpDeployments.of(source, tracker).requestAndTrack(request(), P, STAGE, SCENARIO,
                Duration.ofMinutes(1), Duration.ofMinutes(10)));

        assertThat(ncp.requests(RequestKind.DEPLOY_REQUEST)).hasSize(1);
        long historyId = Long.parseLong(h.deployment().attributes().get(NcpDeployments.ATTRIBUTE_HISTORY_ID));
        eventually("pending seen", () -> "pending".equals(lastStatus(tracker, h.id())));
        assertThat(tracker.history().find(h.id()).orElseThrow().check("ncp").orElseThrow().awaitingApproval()).isTrue();
        ncp.approve(P, historyId);
        ncpClock.advance(Duration.ofSeconds(30));
        Deployment d = done(h.completion());
        assertThat(d.status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(d.errorMessage()).contains("status 'fail'");
        assertThat(d.check("ncp").orElseThrow().timeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(d.check("ncp").orElseThrow().approvalTimeout()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void whenNcpRefusesToStartNothingIsRecorded() {
        NcpEmulator ncp = emulator();
        ncp.addScenario(P, STAGE, SCENARIO);
        NcpPollingSource source = source(ncp);
        DeploymentTracker tracker = tracker(source);

        Throwable error = NcpDeployments.of(source, tracker).deployAndTrack(request(), P, STAGE, 999).handle((h, e) -> e)
                .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();

        assertThat(NcpClient.apiException(error)).isNotNull()
                .satisfies(e -> assertThat(e.kind()).isEqualTo(NcpApiException.Kind.NOT_FOUND));
        assertThat(tracker.history().list(HistoryQuery.all(10))).isEmpty();
    }

    @Test
    void badArgumentsAreRefusedBeforeNcpIsAskedToStartAnything() {
        NcpEmulator ncp = emulator();
        ncp.addScenario(P, STAGE, SCENARIO);
        NcpPollingSource source = source(ncp);
        DeploymentTracker tracker = tracker(source);
        NcpDeployments deployments = NcpDeployments.of(source, tracker);

        assertThatThrownBy(() -> deployments.deployAndTrack(request(), 0, STAGE, SCENARIO))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("projectId 0")
                .hasMessageContaining("positive");
        assertThatThrownBy(() -> deployments.deployAndTrack(request(), P, -3, SCENARIO))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("stageId -3");
        assertThatThrownBy(() -> deployments.requestAndTrack(request(), P, STAGE, 0))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("scenarioId 0");
        assertThatThrownBy(() -> deployments.deployAndTrack(request(), P, STAGE, SCENARIO, Duration.ZERO))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("timeout PT0S");
        assertThatThrownBy(() -> deployments.requestAndTrack(request(), P, STAGE, SCENARIO, null,
                Duration.ofMinutes(-1))).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("approvalTimeout");
        assertThatThrownBy(() -> deployments.deployAndTrack(null, P, STAGE, SCENARIO))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("DeploymentRequest.builder");

        assertThat(ncp.requests(RequestKind.DEPLOY)).isEmpty();
        assertThat(ncp.requests(RequestKind.DEPLOY_REQUEST)).isEmpty();
        assertThat(tracker.history().list(HistoryQuery.all(10))).isEmpty();
    }

    @Test
    void aNewTrackerOnTheSameSqliteFileResumesNcpChecksFromTheStoredReferences() {
        NcpEmulator ncp = emulator();
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(ncp.createHistory(P, NcpScript.of(step("inprogress", Duration.ofHours(1)), end("success"))));
        }
        JdbcHistoryStore firstStore = JdbcHistoryStore.sqlite(dir.resolve("shared.db"));
        DeploymentTracker first = trackerBuilder(firstStore, source(ncp)).build().start();
        List<DeploymentHandle> handles = new ArrayList<>();
        ids.forEach(id -> handles.add(first.track(request(), NcpPollingSource.ref(P, id))));
        eventually("all three followed", () -> handles.stream()
                .allMatch(h -> Objects.equals(lastStatus(first, h.id()), "inprogress")));

        first.close();
        firstStore.close();
        for (DeploymentHandle h : handles) {
            assertThat(h.completion()).failsWithin(Duration.ofSeconds(5)).withThrowableThat()
                    .havingRootCause().isInstanceOf(TrackerClosedException.class);
        }
        ncpClock.advance(Duration.ofSeconds(30));
        ncp.setStatus(P, ids.get(0), "success");
        ncp.setStatus(P, ids.get(1), "canary_reject");
        ncp.setStatus(P, ids.get(2), "canceled");
        ncp.clearRequests();

        // Another process, as far as the tracker can tell: a new store, client and source on the same file.
        DeploymentTracker second = closeLater(trackerBuilder(store("shared.db"), source(ncp)).build().start());
        List<Deployment> ended = handles.stream().map(h -> done(second.awaitCompletion(h.id()))).toList();

        assertThat(ended).extracting(d -> d.status().word()).containsExactly("success", "failed", "cancelled");
        assertThat(ended).allSatisfy(d -> {
            assertThat(d.completedAt()).isEqualTo(t0.plusSeconds(30));
            assertThat(d.totalDuration()).isEqualTo(Duration.ofSeconds(30));
        });
        assertThat(ncp.requests(RequestKind.DETAIL)).extracting(r -> r.historyId())
                .containsExactlyInAnyOrderElementsOf(ids);
        assertThat(second.history().events(ended.get(0).id())).anySatisfy(e -> assertThat(e.type()).isEqualTo("resumed"));
    }

    @Test
    void logsNameTheStatusesAndNeverTheSecret() {
        Logger ours = (Logger) LoggerFactory.getLogger("io.deploytrack");
        Level before = ours.getLevel();
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        ours.addAppender(captured);
        ours.setLevel(Level.DEBUG);
        NcpEmulator ncp = emulator();
        try {
            ncp.addScenario(P, STAGE, SCENARIO);
            ncp.onDeploy(SCENARIO, NcpScript.of(step("inprogress", Duration.ofSeconds(20)), end("success")));
            NcpPollingSource source = source(ncp);
            DeploymentTracker tracker = tracker(source);
            DeploymentHandle h = handle(NcpDeployments.of(source, tracker).deployAndTrack(request(), P, STAGE, SCENARIO));
            eventually("inprogress seen", () -> "inprogress".equals(lastStatus(tracker, h.id())));
            ncpClock.advance(Duration.ofSeconds(20));
            assertThat(done(h.completion()).status()).isEqualTo(DeploymentStatus.SUCCESS);

            // An undocumented word, polled again and again: logged once, and the deployment goes on.
            long odd = ncp.createHistory(P, NcpScript.of(step("inprogress", Duration.ofHours(1)), end("success")));
            ncp.setStatus(P, odd, "rolling_back");
            DeploymentHandle unknown = tracker.track(request(), NcpPollingSource.ref(P, odd));
            eventually("polled three times", () -> ncp.requestsFor(odd).size() >= 3);
            assertThat(lastStatus(tracker, unknown.id())).isEqualTo("rolling_back");
            assertThat(tracker.history().find(unknown.id()).orElseThrow().status()).isEqualTo(DeploymentStatus.RUNNING);

            // Wrong credentials: the failure is logged, the secret is not.
            NcpPollingSource wrong = NcpPollingSource.of(client(ncp, "a-wrong-secret-3f9"));
            DeploymentTracker other = closeLater(trackerBuilder(store("other.db"), wrong).build().start());
            assertThat(done(other.track(request(), NcpPollingSource.ref(P, odd)).completion()).status())
                    .isEqualTo(DeploymentStatus.FAILED);
        } finally {
            ours.detachAppender(captured);
            ours.setLevel(before);
        }
        List<String> lines = new ArrayList<>();
        for (ILoggingEvent e : List.copyOf(captured.list)) {
            lines.add(e.getFormattedMessage());
            if (e.getThrowableProxy() != null) {
                lines.add(ThrowableProxyUtil.asString(e.getThrowableProxy()));
            }
        }
        assertThat(lines).anySatisfy(l -> assertThat(l)
                .startsWith("deployment_status_checked project_id=7 history_id=8001 ncp_status=inprogress"));
        assertThat(lines).anySatisfy(l -> assertThat(l)
                .startsWith("deployment_status_checked project_id=7 history_id=8001 ncp_status=success"));
        assertThat(lines).anySatisfy(l -> assertThat(l)
                .startsWith("ncp_deployment_started project_id=7 stage_id=70 scenario_id=700 history_id=8001"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("deployment_completed_successfully"));
        assertThat(lines).filteredOn(l -> l.startsWith("ncp_unknown_status status=rolling_back")).hasSize(1);
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("secret key"));
        assertThat(lines).allSatisfy(l -> assertThat(l).doesNotContain(ncp.secretKey())
                .doesNotContain("a-wrong-secret-3f9"));
    }
}
