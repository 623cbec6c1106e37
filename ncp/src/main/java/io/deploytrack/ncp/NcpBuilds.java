package io.deploytrack.ncp;

import io.deploytrack.core.CheckRef;
import io.deploytrack.core.CheckSpec;
import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.DeploymentHandle;
import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.InvalidRequestException;
import io.deploytrack.core.Observation;
import io.deploytrack.ncp.internal.SourceFailures;
import io.deploytrack.ncp.internal.TrackExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Starts NCP SourceBuild builds and tracks them, alone or as the first stage of a deployment whose second stage is the
 * SourceDeploy deploy started once the build succeeded: the facade over an {@link NcpClient} and a
 * {@link DeploymentTracker} with the {@code sourcebuild} ({@link NcpBuildPollingSource}) and {@code ncp}
 * ({@link NcpPollingSource}) sources registered.
 *
 * <pre>{@code
 * NcpBuilds builds = NcpBuilds.of(client, tracker);
 * DeploymentHandle h = builds.buildThenDeploy(request, buildProjectId, projectId, stageId, scenarioId, null, null).join();
 * h.completion().join();   // success once the build and then the deploy succeeded
 * }</pre>
 *
 * <p>The image a build pushes is not in any SourceBuild build answer; it is what the build project is configured to push
 * ({@code cmd.dockerbuild} of the project detail), recorded as the attribute {@value #ATTRIBUTE_BUILD_IMAGE} when the
 * detail has one. Thread-safe.
 */
public final class NcpBuilds {

    /** The name of the build stage: {@value}. */
    public static final String STAGE_BUILD = NcpBuildPollingSource.TYPE;
    /** The name of the deploy stage: {@value}. */
    public static final String STAGE_DEPLOY = "sourcedeploy";
    /** Attribute of a started build: the SourceBuild project id. */
    public static final String ATTRIBUTE_BUILD_PROJECT_ID = "ncp_build_project_id";
    /** Attribute of a started build: its build id. */
    public static final String ATTRIBUTE_BUILD_ID = "ncp_build_id";
    /** Attribute of a started build: the image its project pushes, {@code registry/image:tag}. */
    public static final String ATTRIBUTE_BUILD_IMAGE = "ncp_build_image";

    private static final Logger log = LoggerFactory.getLogger(NcpBuilds.class);

    private final NcpClient client;
    private final NcpSourceBuild builds;
    private final DeploymentTracker tracker;
    private final Executor trackExecutor;

    private NcpBuilds(NcpClient client, DeploymentTracker tracker, Executor trackExecutor) {
        this.client = client;
        this.builds = NcpSourceBuild.of(client);
        this.tracker = tracker;
        this.trackExecutor = trackExecutor;
    }

    /**
     * @param client  the client that starts builds and deploys
     * @param tracker the tracker, with the {@code sourcebuild} and {@code ncp} sources registered
     * @return the facade, recording on a small shared pool of daemon threads
     */
    public static NcpBuilds of(NcpClient client, DeploymentTracker tracker) {
        return of(client, tracker, TrackExecutor.shared());
    }

    /**
     * @param client        the client that starts builds and deploys
     * @param tracker       the tracker
     * @param trackExecutor where a started build is recorded and a deploy is started, never on HTTP threads
     * @return the facade
     */
    public static NcpBuilds of(NcpClient client, DeploymentTracker tracker, Executor trackExecutor) {
        return new NcpBuilds(Objects.requireNonNull(client, "client must not be null"),
                Objects.requireNonNull(tracker, "tracker must not be null"),
                Objects.requireNonNull(trackExecutor, "trackExecutor must not be null"));
    }

    /**
     * Starts a build ({@code POST .../project/{id}/build}) and tracks it as the single stage {@value #STAGE_BUILD}.
     *
     * @param request        what is built, not null
     * @param buildProjectId the SourceBuild project, positive
     * @param timeout        the build's deadline, or null for the tracker's default
     * @return the handle once NCP started the build and the tracker recorded it; fails with the
     *         {@link NcpApiException} when NCP refused, with an {@link NcpUntrackedBuildException} when it started
     *         but could not be recorded
     * @throws InvalidRequestException when an argument is not usable; nothing is started then
     */
    public CompletableFuture<DeploymentHandle> buildAndTrack(DeploymentRequest request, long buildProjectId,
                                                             Duration timeout) {
        checkRequest(request);
        positive("buildProjectId", buildProjectId);
        positive("timeout", timeout);
        return startBuild(request, buildProjectId, timeout, List.of());
    }

    /**
     * Starts a build and tracks it as stage {@value #STAGE_BUILD} of a deployment whose stage {@value #STAGE_DEPLOY}
     * is a SourceDeploy deploy started only once the build succeeded ({@link #deployAfterBuild}). A failed build ends
     * the deployment at once; a deploy NCP refuses to start fails it at stage {@value #STAGE_DEPLOY}; a deploy that
     * never starts times it out at its deadline, counted from the build's end.
     *
     * @param request         what is built and deployed, not null
     * @param buildProjectId  the SourceBuild project, positive
     * @param projectId       the SourceDeploy project, positive
     * @param stageId         its stage, positive
     * @param scenarioId      its scenario, positive
     * @param buildTimeout    the build's deadline, or null for the tracker's default
     * @param deployTimeout   the deploy's deadline, or null for the tracker's default
     * @return the handle once the build started and the deployment is recorded
     * @throws InvalidRequestException when an argument is not usable; nothing is started then
     */
    public CompletableFuture<DeploymentHandle> buildThenDeploy(DeploymentRequest request, long buildProjectId,
                                                               long projectId, long stageId, long scenarioId,
                                                               Duration buildTimeout, Duration deployTimeout) {
        checkRequest(request);
        positive("buildProjectId", buildProjectId);
        positive("projectId", projectId);
        positive("stageId", stageId);
        positive("scenarioId", scenarioId);
        positive("timeout", buildTimeout);
        positive("timeout", deployTimeout);
        DeploymentRequest r = request.withAttribute(NcpDeployments.ATTRIBUTE_PROJECT_ID, Long.toString(projectId))
                .withAttribute(NcpDeployments.ATTRIBUTE_STAGE_ID, Long.toString(stageId))
                .withAttribute(NcpDeployments.ATTRIBUTE_SCENARIO_ID, Long.toString(scenarioId));
        CheckSpec deploy = new CheckSpec(STAGE_DEPLOY, new CheckRef(NcpPollingSource.TYPE, null), deployTimeout, null,
                null, true);
        return startBuild(r, buildProjectId, buildTimeout, List.of(deploy)).thenApply(h -> {
            deployAfterBuild(h.id(), projectId, stageId, scenarioId);
            return h;
        });
    }

    /**
     * Starts the deploy of stage {@value #STAGE_DEPLOY} once stage {@value #STAGE_BUILD} of deployment {@code id}
     * succeeded (at once when it already has): the chain {@link #buildThenDeploy} arms, and what a host re-arms for a
     * deployment it resumed. When the build did not succeed nothing is started.
     *
     * @param id         a deployment this tracker follows, with both stages
     * @param projectId  the SourceDeploy project
     * @param stageId    its stage
     * @param scenarioId its scenario
     * @return the deploy stage as it was started (null when the build did not succeed); fails when it could not start
     */
    public CompletableFuture<DeploymentCheck> deployAfterBuild(long id, long projectId, long stageId, long scenarioId) {
        return tracker.awaitStage(id, STAGE_BUILD).thenComposeAsync(build -> {
            if (build.status() != DeploymentStatus.SUCCESS) {
                return CompletableFuture.completedFuture(null);
            }
            String what = "scenario " + scenarioId + " of project " + projectId;
            return client.startDeployment(projectId, stageId, scenarioId).handleAsync((historyId, error) -> {
                if (error != null) {
                    String reason = SourceFailures.unwrap(error).getMessage();
                    log.warn("ncp_deploy_not_started deployment_id={} project_id={} scenario_id={} error=\"{}\"", id,
                            projectId, scenarioId, reason);
                    tracker.observeStage(id, STAGE_DEPLOY, Observation.failed("not_started",
                            "NCP SourceDeploy did not start " + what + " after the build succeeded: " + reason));
                    throw new IllegalStateException(reason, SourceFailures.unwrap(error));
                }
                log.info("ncp_deployment_started deployment_id={} project_id={} stage_id={} scenario_id={} history_id={} "
                        + "after=sourcebuild", id, projectId, stageId, scenarioId, historyId);
                return tracker.startStage(id, STAGE_DEPLOY, NcpPollingSource.ref(projectId, historyId, stageId,
                        scenarioId)).check(STAGE_DEPLOY).orElseThrow();
            }, trackExecutor);
        }, trackExecutor);
    }

    private CompletableFuture<DeploymentHandle> startBuild(DeploymentRequest request, long buildProjectId,
                                                           Duration timeout, List<CheckSpec> after) {
        CompletableFuture<String> started = builds.startBuild(buildProjectId);
        // The image comes from the project's configuration; a project detail that cannot be read only loses it.
        CompletableFuture<String> image = builds.project(buildProjectId)
                .thenApply(p -> p.imageReference().orElse(null))
                .exceptionally(e -> {
                    log.warn("sourcebuild_project_unread project_id={} error=\"{}\"", buildProjectId,
                            SourceFailures.unwrap(e).getMessage());
                    return null;
                });
        return started.thenCombine(image, (buildId, img) -> new String[]{buildId, img}).thenApplyAsync(b -> {
            String buildId = b[0];
            log.info("sourcebuild_started project_id={} build_id={} image={}", buildProjectId, buildId, b[1]);
            try {
                DeploymentRequest r = request.withAttribute(ATTRIBUTE_BUILD_PROJECT_ID, Long.toString(buildProjectId))
                        .withAttribute(ATTRIBUTE_BUILD_ID, buildId);
                if (b[1] != null) {
                    r = r.withAttribute(ATTRIBUTE_BUILD_IMAGE, b[1]);
                }
                if (r.idempotencyKey() == null) {
                    r = r.withIdempotencyKey(NcpBuildPollingSource.keyOf(buildProjectId, buildId));
                }
                List<CheckSpec> checks = new ArrayList<>();
                checks.add(new CheckSpec(STAGE_BUILD, NcpBuildPollingSource.ref(buildProjectId, buildId), timeout, null,
                        null, true));
                checks.addAll(after);
                return tracker.track(r, checks);
            } catch (RuntimeException e) {
                log.error("sourcebuild_untracked project_id={} build_id={} error=\"{}\"", buildProjectId, buildId,
                        e.getMessage());
                throw new NcpUntrackedBuildException(buildProjectId, buildId, e);
            }
        }, trackExecutor);
    }

    private static void checkRequest(DeploymentRequest request) {
        if (request == null) {
            throw new InvalidRequestException("request", "a deployment request is required: "
                    + "DeploymentRequest.builder(owner, repo, commitSha).build()");
        }
    }

    private static void positive(String field, long id) {
        if (id <= 0) {
            throw new InvalidRequestException(field, "NCP " + field + " " + id
                    + " is not usable: expected a positive number, e.g. 14");
        }
    }

    private static void positive(String field, Duration d) {
        if (d != null && (d.isZero() || d.isNegative())) {
            throw new InvalidRequestException(field, field + " " + d
                    + " is not usable: expected a positive duration, or null for the tracker's default");
        }
    }

    @Override
    public String toString() {
        return "NcpBuilds[client=" + client + "]";
    }
}
