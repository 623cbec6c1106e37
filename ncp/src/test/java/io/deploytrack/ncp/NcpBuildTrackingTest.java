package io.deploytrack.ncp;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.DeploymentHandle;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.Observation;
import io.deploytrack.ncp.emulator.NcpEmulator;
import io.deploytrack.ncp.emulator.NcpScript;
import io.deploytrack.ncp.emulator.RequestKind;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static io.deploytrack.ncp.emulator.NcpScript.end;
import static io.deploytrack.ncp.emulator.NcpScript.step;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SourceBuild over real HTTP against the emulator: every documented word, a failed build ending the deployment at once
 * with its phase (not at its deadline), the configured image as an attribute, and build then deploy as two stages.
 */
class NcpBuildTrackingTest extends TrackerFixture {
    private static final long B = 14;

    private NcpEmulator ncp() {
        NcpEmulator ncp = emulator();
        ncp.addBuildProject(B, "web-build", "acme.kr.ncr.ntruss.com", "web", "3f2c1a9");
        return ncp;
    }

    private static Observation poll(NcpBuildPollingSource source, String buildId) {
        return source.poll(NcpBuildPollingSource.ref(B, buildId)).toCompletableFuture()
                .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    @Test
    void everyDocumentedWordMeansWhatSourceBuildSays() {
        NcpEmulator ncp = ncp();
        NcpClient client = client(ncp, ncp.secretKey());
        NcpBuildPollingSource source = NcpBuildPollingSource.of(client);
        ncp.onBuild(B, NcpScript.of(step("prepare", Duration.ofSeconds(10)), step("upload", Duration.ofSeconds(5)),
                end("success")), null);
        String id = NcpSourceBuild.of(client).startBuild(B).join();
        assertThat(id).matches("[0-9a-f-]{36}");
        assertThat(poll(source, id).state()).isEqualTo(Observation.State.IN_PROGRESS);
        assertThat(poll(source, id).sourceStatus()).isEqualTo("prepare");
        assertThat(poll(source, id).startedAt()).isEqualTo(t0);
        ncpClock.advance(Duration.ofSeconds(11));
        assertThat(poll(source, id).sourceStatus()).isEqualTo("upload");
        assertThat(poll(source, id).finishedAt()).isNull();
        ncpClock.advance(Duration.ofSeconds(30));
        Observation ok = poll(source, id);
        assertThat(ok.state()).isEqualTo(Observation.State.SUCCEEDED);
        assertThat(ok.finishedAt()).as("NCP's end, not when it was looked at").isEqualTo(t0.plusSeconds(15));

        String failed = NcpSourceBuild.of(client).startBuild(B).join();
        ncp.setBuildStatus(B, failed, "fail", "post-build");
        Observation f = poll(source, failed);
        assertThat(f.state()).isEqualTo(Observation.State.FAILED);
        assertThat(f.message()).contains("failed in post-build").contains(failed);

        String canceled = NcpSourceBuild.of(client).startBuild(B).join();
        assertThat(NcpSourceBuild.of(client).cancelBuild(B, canceled).join()).isTrue();
        assertThat(poll(source, canceled).state()).isEqualTo(Observation.State.CANCELLED);

        String odd = NcpSourceBuild.of(client).startBuild(B).join();
        for (String notOurs : new String[]{"failed", "cancelled", "running", "succeeded"}) {
            ncp.setBuildStatus(B, odd, notOurs, null);
            assertThat(poll(source, odd).state()).as(notOurs + " is not a SourceBuild word")
                    .isEqualTo(Observation.State.IN_PROGRESS);
        }
        assertThat(ncp.requests(RequestKind.BUILD_HISTORY)).isNotEmpty();
        assertThat(ncp.requests(RequestKind.DETAIL)).as("no SourceDeploy call for a build").isEmpty();
    }

    @Test
    void aFailedBuildEndsTheDeploymentAtOnceWithItsPhaseAndTheImageIsAnAttribute() {
        NcpEmulator ncp = ncp();
        NcpClient client = client(ncp, ncp.secretKey());
        ncp.onBuild(B, NcpScript.of(step("prepare", Duration.ofSeconds(4)), end("fail")), "post-build");
        DeploymentTracker tracker = closeLater(trackerBuilder(store("build.db"), NcpPollingSource.of(client))
                .source(NcpBuildPollingSource.of(client)).build().start());
        DeploymentHandle h = NcpBuilds.of(client, tracker).buildAndTrack(request(), B, Duration.ofMinutes(30)).join();
        ncpClock.advance(Duration.ofSeconds(5));
        Deployment d = done(h.completion());
        assertThat(d.status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(d.errorStage()).isEqualTo("sourcebuild");
        assertThat(d.errorMessage()).contains("failed in post-build");
        assertThat(d.completedAt()).as("the build's own end").isEqualTo(t0.plusSeconds(4));
        assertThat(d.stages()).extracting(DeploymentCheck::name).containsExactly("sourcebuild");
        assertThat(d.attributes()).containsEntry(NcpBuilds.ATTRIBUTE_BUILD_IMAGE, "acme.kr.ncr.ntruss.com/web:3f2c1a9")
                .containsEntry(NcpBuilds.ATTRIBUTE_BUILD_PROJECT_ID, "14");
    }

    @Test
    void buildThenDeployAreTwoStagesAndTheDeployStartsOnlyAfterTheBuildSucceeded() {
        NcpEmulator ncp = ncp();
        ncp.addScenario(7, 8, 9);
        ncp.onDeploy(9, NcpScript.of(step("inprogress", Duration.ofSeconds(3)), end("success")));
        ncp.onBuild(B, NcpScript.of(step("prepare", Duration.ofSeconds(4)), end("success")), null);
        NcpClient client = client(ncp, ncp.secretKey());
        DeploymentTracker tracker = closeLater(trackerBuilder(store("run.db"), NcpPollingSource.of(client))
                .source(NcpBuildPollingSource.of(client)).build().start());
        DeploymentHandle h = NcpBuilds.of(client, tracker).buildThenDeploy(request(), B, 7, 8, 9, null, null).join();
        eventually("the build polled", () -> !ncp.requests(RequestKind.BUILD_HISTORY).isEmpty());
        assertThat(ncp.requests(RequestKind.DEPLOY)).as("no deploy while the build runs").isEmpty();
        ncpClock.advance(Duration.ofSeconds(5));
        eventually("the deploy started", () -> !ncp.requests(RequestKind.DEPLOY).isEmpty());
        ncpClock.advance(Duration.ofSeconds(5));
        Deployment d = done(h.completion());
        assertThat(d.status()).isEqualTo(DeploymentStatus.SUCCESS);
        assertThat(d.stages()).extracting(DeploymentCheck::name).containsExactly("sourcebuild", "sourcedeploy");
        assertThat(d.stages()).allSatisfy(s -> assertThat(s.status()).isEqualTo(DeploymentStatus.SUCCESS));
        assertThat(d.stages().get(0).completedAt()).isEqualTo(t0.plusSeconds(4));
        assertThat(d.stages().get(1).ref().type()).isEqualTo(NcpPollingSource.TYPE);
    }
}
