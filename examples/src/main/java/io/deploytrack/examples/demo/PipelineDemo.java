package io.deploytrack.examples.demo;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.ncp.NcpBuilds;
import io.deploytrack.ncp.NcpClient;
import io.deploytrack.ncp.NcpPipelinePollingSource;
import io.deploytrack.ncp.NcpPipelines;
import io.deploytrack.ncp.emulator.NcpEmulator;
import io.deploytrack.ncp.emulator.NcpScript;
import io.deploytrack.ncp.emulator.PipelineTask;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.deploytrack.ncp.emulator.NcpScript.end;
import static io.deploytrack.ncp.emulator.NcpScript.step;

/**
 * The demo's whole-pipeline part, run beside its SourceDeploy deployments: one SourcePipeline run (a build, then a
 * deploy: stages {@code sourcebuild} and {@code sourcedeploy}) that succeeds, and one build then deploy
 * ({@link NcpBuilds#buildThenDeploy}) whose build fails in {@code post-build}, so nothing is deployed.
 */
final class PipelineDemo {
    static final long BUILD_PROJECT = 301;
    static final long FAILING_BUILD_PROJECT = 302;
    static final long DEPLOY_PROJECT = 311;
    static final long PIPELINE = 321;

    private PipelineDemo() {
    }

    /** A deployment started here and the status it must end in. */
    record Started(CompletableFuture<Deployment> completion, String expected) {
    }

    /** Sets the emulator up and starts both; they run while the demo's other deployments do. */
    static List<Started> start(NcpEmulator ncp, NcpClient client, NcpPipelinePollingSource pipelines,
                               DeploymentTracker tracker) throws Exception {
        ncp.addBuildProject(BUILD_PROJECT, "shop-build", "acme.kr.ncr.ntruss.com", "shop", "7b8c9d0");
        ncp.onBuild(BUILD_PROJECT, NcpScript.of(step("prepare", seconds(0.8)), step("upload", seconds(0.3)),
                end("success")), null);
        ncp.addScenario(DEPLOY_PROJECT, DEPLOY_PROJECT * 10 + 1, "production", DEPLOY_PROJECT * 100 + 11, "deploy");
        ncp.onDeploy(DEPLOY_PROJECT * 100 + 11, NcpScript.of(step("inprogress", seconds(0.8)), end("success")));
        ncp.addPipeline(PIPELINE, "shop-pipeline", PipelineTask.build(1, "build", BUILD_PROJECT),
                PipelineTask.deploy(2, "deploy", DEPLOY_PROJECT, DEPLOY_PROJECT * 10 + 1, DEPLOY_PROJECT * 100 + 11));
        ncp.addBuildProject(FAILING_BUILD_PROJECT, "pay-build", "acme.kr.ncr.ntruss.com", "pay", "f6a7b8c");
        ncp.onBuild(FAILING_BUILD_PROJECT, NcpScript.of(step("prepare", seconds(0.9)), end("fail")), "post-build");

        CompletableFuture<Deployment> pipeline = NcpPipelines.of(pipelines, tracker).runAndTrack(
                DeploymentRequest.builder().project("acme/shop").commitSha("7b8c9d0e1f2a").build(), PIPELINE,
                Duration.ofMinutes(1)).get(30, TimeUnit.SECONDS).completion();
        CompletableFuture<Deployment> failedBuild = NcpBuilds.of(client, tracker).buildThenDeploy(
                DeploymentRequest.builder().project("acme/pay").commitSha("f6a7b8c").build(), FAILING_BUILD_PROJECT,
                DEPLOY_PROJECT, DEPLOY_PROJECT * 10 + 1, DEPLOY_PROJECT * 100 + 11, Duration.ofMinutes(1),
                Duration.ofMinutes(1)).get(30, TimeUnit.SECONDS).completion();
        return List.of(new Started(pipeline, "success"), new Started(failedBuild, "failed"));
    }

    private static Duration seconds(double s) {
        return Duration.ofMillis(Math.round(s * 1000));
    }
}
