package io.deploytrack.cli.internal;

import io.deploytrack.core.CheckSpec;
import io.deploytrack.core.DeploymentHandle;
import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.ncp.NcpApiException;
import io.deploytrack.ncp.NcpBuildPollingSource;
import io.deploytrack.ncp.NcpBuilds;
import io.deploytrack.ncp.NcpClient;
import io.deploytrack.ncp.NcpDeployments;
import io.deploytrack.ncp.NcpPipelinePollingSource;
import io.deploytrack.ncp.NcpPipelines;
import io.deploytrack.ncp.NcpPollingSource;
import io.deploytrack.ncp.NcpUntrackedBuildException;
import io.deploytrack.ncp.NcpUntrackedPipelineException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * {@code ncp build}, {@code ncp run}, {@code ncp pipeline} and their {@code track-*} twins: NCP SourceBuild builds and
 * SourcePipeline runs as the stages of one deployment ({@code sourcebuild}, then {@code sourcedeploy}). Exit codes as
 * {@code ncp deploy}. Not public API.
 */
final class NcpStageCommands {
    private NcpStageCommands() {
    }

    /** The options every stage command takes. */
    static final class Shared {
        @Mixin
        Options.RequestOptions deployment;

        @Option(names = "--endpoint", paramLabel = "URL",
                description = "The SourceDeploy API (default: $NCP_ENDPOINT, else the VPC gateway); SourceBuild and "
                        + "SourcePipeline: $NCP_SOURCEBUILD_ENDPOINT and $NCP_SOURCEPIPELINE_ENDPOINT, else the preset's hosts.")
        String endpoint;

        @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "10s", converter = Options.DurationConverter.class,
                description = "How often NCP is asked (default ${DEFAULT-VALUE}).")
        Duration interval;

        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30m", converter = Options.DurationConverter.class,
                description = "Each stage's deadline (default ${DEFAULT-VALUE}); a stage that has not ended by then times "
                        + "the deployment out.")
        Duration timeout;

        @Option(names = "--json", description = "Print the final deployment, its stages in order, as a JSON object.")
        boolean json;

        /** Every NCP source the stages need, on one client: SourceDeploy, SourceBuild and SourcePipeline. */
        NcpSources sources(BaseCommand cmd) {
            NcpPollingSource deploys = NcpCommand.source(cmd, endpoint, interval);
            NcpClient client = deploys.client();
            return new NcpSources(client, deploys, NcpBuildPollingSource.of(client, interval),
                    NcpPipelinePollingSource.builder(client).pollInterval(interval).build());
        }

        int track(BaseCommand cmd, NcpSources s, Function<DeploymentTracker, DeploymentHandle> start)
                throws InterruptedException {
            try (Database db = cmd.openOrCreate()) {
                return Tracking.track(cmd, db, List.of(s.deploys, s.builds, s.pipelines),
                        new Tracking.Plan(start, interval, timeout, null, json));
            }
        }

        String again() {
            return deployment.asArguments();
        }
    }

    /** The three sources of one client. */
    record NcpSources(NcpClient client, NcpPollingSource deploys, NcpBuildPollingSource builds,
                      NcpPipelinePollingSource pipelines) {
    }

    /**
     * Waits for NCP to accept the start and the tracker to record it. Refused: "did not start". Started but not
     * recorded: says so, with the command that picks it up.
     */
    static DeploymentHandle started(CompletableFuture<DeploymentHandle> f, String service, String what, Shared shared) {
        try {
            return f.join();
        } catch (CompletionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            if (c instanceof CliException ce) {
                throw ce;
            }
            if (c instanceof NcpUntrackedBuildException u) {
                throw new CliException(ExitCodes.FAILURE, "NCP SourceBuild started build " + u.buildId() + " (" + what
                        + "), but deploytrack could not record it: " + u.reason() + ". It runs at NCP untracked; once "
                        + "that is fixed, pick it up with: deploytrack ncp track-build --build-project-id "
                        + u.projectId() + " --build-id " + u.buildId() + " " + shared.again(), c);
            }
            if (c instanceof NcpUntrackedPipelineException u) {
                throw new CliException(ExitCodes.FAILURE, "NCP SourcePipeline started run " + u.historyId() + " (" + what
                        + "), but deploytrack could not record it: " + u.reason() + ". It runs at NCP untracked; once "
                        + "that is fixed, pick it up with: deploytrack ncp track-pipeline --pipeline-id "
                        + u.projectId() + " --history-id " + u.historyId() + " " + shared.again(), c);
            }
            String reason = c instanceof NcpApiException ? c.getMessage() : c.getClass().getSimpleName() + ": " + c.getMessage();
            throw new CliException(ExitCodes.FAILURE, "NCP " + service + " did not start " + what + ": " + reason, c);
        }
    }

    /** {@code ncp build}: starts a SourceBuild build and tracks it as the one stage {@code sourcebuild}. */
    @Command(name = "build", mixinStandardHelpOptions = true,
            description = {"Starts an NCP SourceBuild build and tracks it to the end (stage sourcebuild). Credentials "
                    + "come from NCP_ACCESS_KEY and NCP_SECRET_KEY only.",
                    "Exit code 0: success; 6: failed, cancelled or timed out."})
    static final class Build extends BaseCommand {
        @Mixin
        Shared shared;

        @Option(names = "--build-project-id", required = true, paramLabel = "B", description = "The SourceBuild project id.")
        long buildProjectId;

        @Override
        public Integer call() throws InterruptedException {
            NcpCommand.checkIds(this, "--build-project-id", buildProjectId);
            DeploymentRequest request = shared.deployment.request(this);
            NcpSources s = shared.sources(this);
            return shared.track(this, s, tracker -> started(NcpBuilds.of(s.client(), tracker)
                    .buildAndTrack(request, buildProjectId, shared.timeout), "SourceBuild",
                    "a build of project " + buildProjectId, shared));
        }
    }

    /** {@code ncp run}: a build, then the deploy once it succeeded: stages {@code sourcebuild}, {@code sourcedeploy}. */
    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {"Starts an NCP SourceBuild build and, once it succeeded, the SourceDeploy scenario: two stages "
                    + "(sourcebuild, sourcedeploy) of one deployment, tracked to the end.",
                    "Exit code 0: success; 6: failed, cancelled or timed out."})
    static final class Run extends BaseCommand {
        @Mixin
        Shared shared;

        @Option(names = "--build-project-id", required = true, paramLabel = "B", description = "The SourceBuild project id.")
        long buildProjectId;

        @Option(names = "--project-id", required = true, paramLabel = "D", description = "The SourceDeploy project id.")
        long projectId;

        @Option(names = "--stage-id", required = true, paramLabel = "S", description = "The SourceDeploy stage id.")
        long stageId;

        @Option(names = "--scenario-id", required = true, paramLabel = "C", description = "The SourceDeploy scenario id.")
        long scenarioId;

        @Override
        public Integer call() throws InterruptedException {
            NcpCommand.checkIds(this, "--build-project-id", buildProjectId);
            NcpCommand.checkIds(this, "--project-id", projectId);
            NcpCommand.checkIds(this, "--stage-id", stageId);
            NcpCommand.checkIds(this, "--scenario-id", scenarioId);
            DeploymentRequest request = shared.deployment.request(this);
            NcpSources s = shared.sources(this);
            return shared.track(this, s, tracker -> started(NcpBuilds.of(s.client(), tracker)
                    .buildThenDeploy(request, buildProjectId, projectId, stageId, scenarioId, shared.timeout,
                            shared.timeout), "SourceBuild", "a build of project " + buildProjectId, shared));
        }
    }

    /** {@code ncp pipeline}: runs a SourcePipeline and tracks the run, one stage per task. */
    @Command(name = "pipeline", mixinStandardHelpOptions = true,
            description = {"Runs an NCP SourcePipeline and tracks the run to the end: one deployment whose stages are its "
                    + "tasks, named by type (sourcebuild, sourcedeploy).",
                    "Exit code 0: success; 6: failed, cancelled or timed out."})
    static final class Pipeline extends BaseCommand {
        @Mixin
        Shared shared;

        @Option(names = "--pipeline-id", required = true, paramLabel = "P", description = "The SourcePipeline project id.")
        long pipelineId;

        @Override
        public Integer call() throws InterruptedException {
            NcpCommand.checkIds(this, "--pipeline-id", pipelineId);
            DeploymentRequest request = shared.deployment.request(this);
            NcpSources s = shared.sources(this);
            return shared.track(this, s, tracker -> started(NcpPipelines.of(s.pipelines(), tracker)
                    .runAndTrack(request, pipelineId, shared.timeout), "SourcePipeline", "a run of pipeline "
                    + pipelineId, shared));
        }
    }

    /** {@code ncp track-build}: tracks a build started elsewhere. */
    @Command(name = "track-build", mixinStandardHelpOptions = true,
            description = {"Tracks an NCP SourceBuild build that was already started (stage sourcebuild).",
                    "Exit code 0: success; 6: failed, cancelled or timed out."})
    static final class TrackBuild extends BaseCommand {
        @Mixin
        Shared shared;

        @Option(names = "--build-project-id", required = true, paramLabel = "B", description = "The SourceBuild project id.")
        long buildProjectId;

        @Option(names = "--build-id", required = true, paramLabel = "ID", description = "The build's id.")
        String buildId;

        @Override
        public Integer call() throws InterruptedException {
            NcpCommand.checkIds(this, "--build-project-id", buildProjectId);
            CheckSpec build = buildStage(this, buildProjectId, buildId, shared.timeout);
            DeploymentRequest request = buildAttributes(shared.deployment.request(this), buildProjectId, buildId);
            NcpSources s = shared.sources(this);
            return shared.track(this, s, Tracking.recordAndFollow(request, build));
        }
    }

    /**
     * {@code ncp track-run}: a build started elsewhere, then its deploy: the one started elsewhere too
     * ({@code --history-id}), or the one this command starts once the build succeeded.
     */
    @Command(name = "track-run", mixinStandardHelpOptions = true,
            description = {"Tracks an NCP SourceBuild build already started and its SourceDeploy deploy as stages "
                    + "sourcebuild and sourcedeploy: with --history-id the deploy was started elsewhere too, without "
                    + "it this command starts the scenario once the build succeeded.",
                    "Exit code 0: success; 6: failed, cancelled or timed out."})
    static final class TrackRun extends BaseCommand {
        @Mixin
        Shared shared;

        @Option(names = "--build-project-id", required = true, paramLabel = "B", description = "The SourceBuild project id.")
        long buildProjectId;

        @Option(names = "--build-id", required = true, paramLabel = "ID", description = "The build's id.")
        String buildId;

        @Option(names = "--project-id", required = true, paramLabel = "D", description = "The SourceDeploy project id.")
        long projectId;

        @Option(names = "--history-id", paramLabel = "H", description = "The deploy's history id, when it was started.")
        Long historyId;

        @Option(names = "--stage-id", paramLabel = "S", description = "The SourceDeploy stage id (to start the deploy).")
        Long stageId;

        @Option(names = "--scenario-id", paramLabel = "C", description = "The scenario id (to start the deploy).")
        Long scenarioId;

        @Override
        public Integer call() throws InterruptedException {
            NcpCommand.checkIds(this, "--build-project-id", buildProjectId);
            NcpCommand.checkIds(this, "--project-id", projectId);
            if (historyId == null && (stageId == null || scenarioId == null)) {
                throw usage("--history-id (a deploy already started) or both --stage-id and --scenario-id (the deploy "
                        + "to start once the build succeeded) are needed");
            }
            CheckSpec build = buildStage(this, buildProjectId, buildId, shared.timeout);
            CheckSpec deploy = historyId != null
                    ? new CheckSpec(NcpBuilds.STAGE_DEPLOY, NcpPollingSource.ref(projectId, historyId), shared.timeout,
                    null, null, true)
                    : CheckSpec.pendingStage(NcpBuilds.STAGE_DEPLOY, NcpPollingSource.TYPE).withTimeout(shared.timeout);
            DeploymentRequest request = buildAttributes(shared.deployment.request(this), buildProjectId, buildId)
                    .withAttribute(NcpDeployments.ATTRIBUTE_PROJECT_ID, Long.toString(projectId));
            if (historyId != null) {
                request = request.withAttribute(NcpDeployments.ATTRIBUTE_HISTORY_ID, Long.toString(historyId));
            }
            DeploymentRequest r = request;
            NcpSources s = shared.sources(this);
            return shared.track(this, s, tracker -> {
                DeploymentHandle h = tracker.track(r, build, deploy);
                if (historyId == null) {
                    NcpBuilds.of(s.client(), tracker).deployAfterBuild(h.id(), projectId, stageId, scenarioId);
                }
                return h;
            });
        }
    }

    /** {@code ncp track-pipeline}: tracks a SourcePipeline run started elsewhere. */
    @Command(name = "track-pipeline", mixinStandardHelpOptions = true,
            description = {"Tracks an NCP SourcePipeline run that was already started (the console, a trigger): one "
                    + "stage per task.",
                    "Exit code 0: success; 6: failed, cancelled or timed out."})
    static final class TrackPipeline extends BaseCommand {
        @Mixin
        Shared shared;

        @Option(names = "--pipeline-id", required = true, paramLabel = "P", description = "The SourcePipeline project id.")
        long pipelineId;

        @Option(names = "--history-id", required = true, paramLabel = "H", description = "The run's history id.")
        long historyId;

        @Override
        public Integer call() throws InterruptedException {
            NcpCommand.checkIds(this, "--pipeline-id", pipelineId);
            NcpCommand.checkIds(this, "--history-id", historyId);
            DeploymentRequest request = shared.deployment.request(this);
            NcpSources s = shared.sources(this);
            return shared.track(this, s, tracker -> started(NcpPipelines.of(s.pipelines(), tracker)
                    .track(request, pipelineId, historyId, shared.timeout), "SourcePipeline", "run " + historyId
                    + " of pipeline " + pipelineId, shared));
        }
    }

    private static CheckSpec buildStage(BaseCommand cmd, long buildProjectId, String buildId, Duration timeout) {
        try {
            return new CheckSpec(NcpBuilds.STAGE_BUILD, NcpBuildPollingSource.ref(buildProjectId, buildId), timeout,
                    null, null, true);
        } catch (IllegalArgumentException e) {
            throw cmd.usage("--build-id: " + e.getMessage());
        }
    }

    private static DeploymentRequest buildAttributes(DeploymentRequest r, long buildProjectId, String buildId) {
        return r.withAttribute(NcpBuilds.ATTRIBUTE_BUILD_PROJECT_ID, Long.toString(buildProjectId))
                .withAttribute(NcpBuilds.ATTRIBUTE_BUILD_ID, buildId);
    }
}
