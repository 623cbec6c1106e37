package io.deploytrack.cli.internal;

import io.deploytrack.core.CheckSpec;
import io.deploytrack.core.DeploymentHandle;
import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.StatusSource;
import io.deploytrack.ncp.NcpApiException;
import io.deploytrack.ncp.NcpClient;
import io.deploytrack.ncp.NcpCredentials;
import io.deploytrack.ncp.NcpEndpoint;
import io.deploytrack.ncp.NcpDeployments;
import io.deploytrack.ncp.NcpUntrackedDeploymentException;
import io.deploytrack.ncp.NcpPollingSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/** {@code ncp}: NCP SourceDeploy deployments. */
@Command(name = "ncp", mixinStandardHelpOptions = true, description = "NCP SourceDeploy deployments, SourceBuild builds and SourcePipeline runs.",
        subcommands = {NcpCommand.Deploy.class, NcpCommand.Track.class, NcpStageCommands.Build.class,
                NcpStageCommands.Run.class, NcpStageCommands.Pipeline.class, NcpStageCommands.TrackBuild.class,
                NcpStageCommands.TrackRun.class, NcpStageCommands.TrackPipeline.class})
final class NcpCommand extends BaseCommand {
    static final String ACCESS_KEY = "NCP_ACCESS_KEY";
    static final String SECRET_KEY = "NCP_SECRET_KEY";
    static final String ENDPOINT = "NCP_ENDPOINT";

    @Override
    public Integer call() {
        throw usage("an ncp command is needed: deploy, track, build, run, pipeline, track-build, track-run or track-pipeline");
    }

    /** The options both ncp commands take. */
    static final class Shared {
        @Option(names = "--project-id", required = true, paramLabel = "P", description = "The SourceDeploy project id.")
        long projectId;

        @Mixin
        Options.RequestOptions deployment;

        @Option(names = "--endpoint", paramLabel = "URL",
                description = {"The SourceDeploy API; default: $NCP_ENDPOINT, else the VPC gateway",
                        "https://vpcsourcedeploy.apigw.ntruss.com",
                        "SourceBuild and SourcePipeline: $NCP_SOURCEBUILD_ENDPOINT and $NCP_SOURCEPIPELINE_ENDPOINT, else the "
                                + "preset's hosts."})
        String endpoint;

        @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "10s", converter = Options.DurationConverter.class,
                description = "How often NCP is asked (default ${DEFAULT-VALUE}).")
        Duration interval;

        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5m", converter = Options.DurationConverter.class,
                description = "The rollout deadline (default ${DEFAULT-VALUE}).")
        Duration timeout;

        @Option(names = "--approval-timeout", paramLabel = "DURATION", defaultValue = "24h",
                converter = Options.DurationConverter.class,
                description = "How long it may wait for a human's approval (default ${DEFAULT-VALUE}).")
        Duration approvalTimeout;

        @Option(names = "--json", description = "Print the final deployment as a JSON object.")
        boolean json;

        DeploymentRequest request(BaseCommand cmd) {
            return deployment.request(cmd);
        }
    }

    /** Credentials from the environment, endpoint from the option, the environment or the default. */
    static NcpPollingSource source(BaseCommand cmd, String endpointOption, Duration interval) {
        for (StatusSource s : cmd.context().sources()) {
            if (s instanceof NcpPollingSource n) {
                return n;
            }
        }
        return NcpPollingSource.builder(client(cmd, endpointOption)).pollInterval(interval).build();
    }

    /**
     * The client of the three services: the in-process NCP source's when one was given, else one with the credentials
     * of the environment and the endpoint of the option, the environment or the default.
     */
    static NcpClient client(BaseCommand cmd, String endpointOption) {
        Context ctx = cmd.context();
        for (StatusSource s : ctx.sources()) {
            if (s instanceof NcpPollingSource n) {
                return n.client();
            }
        }
        String access = ctx.env(ACCESS_KEY);
        String secret = ctx.env(SECRET_KEY);
        if (access == null || secret == null) {
            throw cmd.usage("NCP credentials are missing: set the environment variables " + ACCESS_KEY + " and "
                    + SECRET_KEY + " (an API access key and its secret key)");
        }
        NcpEndpoint endpoint = endpoint(cmd, ctx, endpointOption);
        return NcpClient.builder().endpoint(endpoint).credentials(NcpCredentials.of(access, secret)).build();
    }

    /**
     * The three services' base URLs: SourceDeploy's from {@code --endpoint}, else NCP_ENDPOINT (a preset's host selects
     * the preset, any other URL serves all three), SourceBuild's and SourcePipeline's from their own variables.
     */
    static NcpEndpoint endpoint(BaseCommand cmd, Context ctx, String endpointOption) {
        String url = endpointOption != null ? endpointOption : ctx.env(ENDPOINT);
        try {
            return NcpEndpoint.fromUrls(url, ctx.env(NcpEndpoint.Service.SOURCEBUILD.environmentVariable()),
                    ctx.env(NcpEndpoint.Service.SOURCEPIPELINE.environmentVariable()),
                    s -> s == NcpEndpoint.Service.SOURCEDEPLOY && endpointOption != null ? "--endpoint"
                            : s.environmentVariable());
        } catch (IllegalArgumentException e) {
            throw cmd.usage(e.getMessage() + "; expected an http or https base URL such as "
                    + "https://vpcsourcedeploy.apigw.ntruss.com");
        }
    }

    static void checkIds(BaseCommand cmd, String what, long... ids) {
        for (long id : ids) {
            if (id < 1) {
                throw cmd.usage(what + " " + id + " is not an id: expected a positive number");
            }
        }
    }


    /**
     * Waits for NCP to accept the start and the tracker to record it. NCP's refusal: "did not start". Started at NCP
     * but not recorded: says so, with the command that picks the deployment up once the cause is fixed.
     */
    static DeploymentHandle started(java.util.concurrent.CompletableFuture<DeploymentHandle> f, String what, Shared shared) {
        try {
            return f.join();
        } catch (CompletionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            if (c instanceof CliException ce) {
                throw ce;
            }
            if (c instanceof NcpUntrackedDeploymentException u) {
                throw new CliException(ExitCodes.FAILURE, "NCP SourceDeploy started deployment " + u.historyId()
                        + " (" + what + "), but deploytrack could not record it: " + u.reason() + ". It runs at NCP "
                        + "untracked; once that is fixed, pick it up with: " + trackCommand(shared, u.projectId(),
                        u.historyId()), c);
            }
            String reason = c instanceof NcpApiException ? c.getMessage() : c.getClass().getSimpleName() + ": " + c.getMessage();
            throw new CliException(ExitCodes.FAILURE, "NCP SourceDeploy did not start " + what + ": " + reason, c);
        }
    }

    /** The {@code ncp track} command that follows a deployment already started. */
    static String trackCommand(Shared shared, long projectId, long historyId) {
        return "deploytrack ncp track --project-id " + projectId + " --history-id " + historyId + " "
                + shared.deployment.asArguments();
    }

    /** {@code ncp deploy}: starts a SourceDeploy deployment and tracks it to the end. */
    @Command(name = "deploy", mixinStandardHelpOptions = true,
            description = {"Starts an NCP SourceDeploy deployment and tracks it to the end. Credentials come from "
                    + "NCP_ACCESS_KEY and NCP_SECRET_KEY only.",
                    "Exit code 0: success; 6: failed, cancelled or timed out."})
    static final class Deploy extends BaseCommand {
        @Mixin
        Shared shared;

        @Option(names = "--stage-id", required = true, paramLabel = "S", description = "The stage id.")
        long stageId;

        @Option(names = "--scenario-id", required = true, paramLabel = "C", description = "The scenario id.")
        long scenarioId;

        @Option(names = "--request-approval", description = "Start it as a request that a human approves in the "
                + "console (deploy/request); the approval timeout applies while it waits.")
        boolean requestApproval;

        @Override
        public Integer call() throws InterruptedException {
            checkIds(this, "--project-id", shared.projectId);
            checkIds(this, "--stage-id", stageId);
            checkIds(this, "--scenario-id", scenarioId);
            DeploymentRequest request = shared.request(this);
            NcpPollingSource source = source(this, shared.endpoint, shared.interval);
            String what = "scenario " + scenarioId + " of project " + shared.projectId;
            Function<DeploymentTracker, DeploymentHandle> start = tracker -> {
                NcpDeployments deployments = NcpDeployments.of(source, tracker);
                return started(requestApproval
                        ? deployments.requestAndTrack(request, shared.projectId, stageId, scenarioId, shared.timeout,
                        shared.approvalTimeout)
                        : deployments.deployAndTrack(request, shared.projectId, stageId, scenarioId, shared.timeout),
                        what, shared);
            };
            try (Database db = openOrCreate()) {
                return Tracking.track(this, db, source, new Tracking.Plan(start, shared.interval, shared.timeout,
                        shared.approvalTimeout, shared.json));
            }
        }
    }

    /** {@code ncp track}: tracks a SourceDeploy deployment already started. */
    @Command(name = "track", mixinStandardHelpOptions = true,
            description = {"Tracks an NCP SourceDeploy deployment that was already started (by the console, a pipeline).",
                    "Exit code 0: success; 6: failed, cancelled or timed out."})
    static final class Track extends BaseCommand {
        @Mixin
        Shared shared;

        @Option(names = "--history-id", required = true, paramLabel = "H", description = "The deployment's history id.")
        long historyId;

        @Override
        public Integer call() throws InterruptedException {
            checkIds(this, "--project-id", shared.projectId);
            checkIds(this, "--history-id", historyId);
            DeploymentRequest request = shared.request(this)
                    .withAttribute(NcpDeployments.ATTRIBUTE_PROJECT_ID, Long.toString(shared.projectId))
                    .withAttribute(NcpDeployments.ATTRIBUTE_HISTORY_ID, Long.toString(historyId));
            NcpPollingSource source = source(this, shared.endpoint, shared.interval);
            CheckSpec check = CheckSpec.of(NcpPollingSource.TYPE, NcpPollingSource.ref(shared.projectId, historyId),
                    shared.timeout, shared.approvalTimeout);
            try (Database db = openOrCreate()) {
                return Tracking.track(this, db, source, new Tracking.Plan(Tracking.recordAndFollow(request, check),
                        shared.interval, shared.timeout, shared.approvalTimeout, shared.json));
            }
        }
    }
}
