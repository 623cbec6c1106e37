package io.deploytrack.ncp;

import io.deploytrack.core.CheckSpec;
import io.deploytrack.core.DeploymentHandle;
import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.InvalidRequestException;
import io.deploytrack.ncp.internal.TrackExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Starts NCP SourceDeploy deployments and tracks them, in one asynchronous call: the facade over an
 * {@link NcpClient} (which starts the work) and a {@link DeploymentTracker} (which records and follows it through
 * its {@code ncp} status source). The source itself only translates what NCP says.
 *
 * <pre>{@code
 * NcpDeployments deployments = NcpDeployments.of(ncpSource, tracker);
 * DeploymentHandle h = deployments.deployAndTrack(request, projectId, stageId, scenarioId).join();
 * }</pre>
 *
 * <p>Every argument is checked before NCP is asked to start anything; a refused argument is an
 * {@link InvalidRequestException} naming the value and what is expected, thrown by the call itself. Once NCP
 * accepted a deployment, the record is written on {@link Builder#trackExecutor(Executor) the track executor}, never on
 * the HTTP client's threads.
 *
 * <p>Thread-safe; holds nothing but its client, tracker and executor.
 */
public final class NcpDeployments {

    /** Attribute every started deployment records: the NCP project id. */
    public static final String ATTRIBUTE_PROJECT_ID = "ncp_project_id";
    /** Attribute every started deployment records: the NCP stage id. */
    public static final String ATTRIBUTE_STAGE_ID = "ncp_stage_id";
    /** Attribute every started deployment records: the NCP scenario id. */
    public static final String ATTRIBUTE_SCENARIO_ID = "ncp_scenario_id";
    /** Attribute every started deployment records: the NCP history id of the deployment. */
    public static final String ATTRIBUTE_HISTORY_ID = "ncp_history_id";

    private static final Logger log = LoggerFactory.getLogger(NcpDeployments.class);

    private final NcpClient client;
    private final DeploymentTracker tracker;
    private final Executor trackExecutor;

    private NcpDeployments(Builder b) {
        this.client = b.client;
        this.tracker = b.tracker;
        this.trackExecutor = b.trackExecutor != null ? b.trackExecutor : TrackExecutor.shared();
    }

    /**
     * A builder over the client that starts deployments and the tracker that records them.
     *
     * @param client  the SourceDeploy client, not null
     * @param tracker the tracker, with an {@code ncp} status source registered, not null
     * @return the builder
     */
    public static Builder builder(NcpClient client, DeploymentTracker tracker) {
        return new Builder(client, tracker);
    }

    /**
     * The facade with the defaults, on the client of {@code source}.
     *
     * @param source  the NCP status source (registered with the tracker), not null
     * @param tracker the tracker, not null
     * @return the facade
     */
    public static NcpDeployments of(NcpPollingSource source, DeploymentTracker tracker) {
        return builder(Objects.requireNonNull(source, "source must not be null").client(), tracker).build();
    }

    /** @return the client deployments are started with */
    public NcpClient client() {
        return client;
    }

    /** @return the tracker deployments are recorded in */
    public DeploymentTracker tracker() {
        return tracker;
    }

    /**
     * Starts a SourceDeploy deployment ({@code POST .../scenario/{scenarioId}/deploy}) and tracks it: the request is
     * recorded with the idempotency key {@code ncp:{projectId}:{historyId}} (unless it carries its own) and the
     * attributes {@value #ATTRIBUTE_PROJECT_ID}, {@value #ATTRIBUTE_STAGE_ID}, {@value #ATTRIBUTE_SCENARIO_ID} and
     * {@value #ATTRIBUTE_HISTORY_ID}, with one check named {@code ncp} and the tracker's default deadlines.
     *
     * @param request    what is deployed (owner, repo, environment, commit), not null
     * @param projectId  the SourceDeploy project, positive
     * @param stageId    the stage, positive
     * @param scenarioId the scenario, positive
     * @return the handle, once NCP accepted the deployment and the tracker recorded it; fails with the
     *         {@link NcpApiException} when NCP refused to start it, or with an {@link NcpUntrackedDeploymentException}
     *         naming the history id when NCP started it but the tracker could not record it
     * @throws InvalidRequestException when an argument is not usable; nothing is started then
     */
    public CompletableFuture<DeploymentHandle> deployAndTrack(DeploymentRequest request, long projectId, long stageId,
                                                              long scenarioId) {
        return startAndTrack(request, projectId, stageId, scenarioId, false, null, null);
    }

    /**
     * As {@link #deployAndTrack(DeploymentRequest, long, long, long)}, with a rollout deadline for this deployment.
     *
     * @param request    what is deployed, not null
     * @param projectId  the SourceDeploy project, positive
     * @param stageId    the stage, positive
     * @param scenarioId the scenario, positive
     * @param timeout    the rollout deadline (positive), or null for the tracker's default
     * @return the handle, once NCP accepted the deployment and the tracker recorded it
     * @throws InvalidRequestException when an argument is not usable; nothing is started then
     */
    public CompletableFuture<DeploymentHandle> deployAndTrack(DeploymentRequest request, long projectId, long stageId,
                                                              long scenarioId, Duration timeout) {
        return startAndTrack(request, projectId, stageId, scenarioId, false, timeout, null);
    }

    /**
     * Starts a SourceDeploy deployment that needs a human's approval ({@code POST .../deploy/request}) and tracks it
     * as {@link #deployAndTrack(DeploymentRequest, long, long, long)} does. While NCP reports {@code pending}, the
     * approval deadline applies (the tracker's default, 24 hours), not the rollout deadline.
     *
     * @param request    what is deployed, not null
     * @param projectId  the SourceDeploy project, positive
     * @param stageId    the stage, positive
     * @param scenarioId the scenario, positive
     * @return the handle, once NCP accepted the request and the tracker recorded it
     * @throws InvalidRequestException when an argument is not usable; nothing is started then
     */
    public CompletableFuture<DeploymentHandle> requestAndTrack(DeploymentRequest request, long projectId, long stageId,
                                                               long scenarioId) {
        return startAndTrack(request, projectId, stageId, scenarioId, true, null, null);
    }

    /**
     * As {@link #requestAndTrack(DeploymentRequest, long, long, long)}, with this deployment's deadlines.
     *
     * @param request         what is deployed, not null
     * @param projectId       the SourceDeploy project, positive
     * @param stageId         the stage, positive
     * @param scenarioId      the scenario, positive
     * @param timeout         the rollout deadline once approved (positive), or null for the tracker's default
     * @param approvalTimeout how long it may wait for the approval (positive), or null for the tracker's default
     * @return the handle, once NCP accepted the request and the tracker recorded it
     * @throws InvalidRequestException when an argument is not usable; nothing is started then
     */
    public CompletableFuture<DeploymentHandle> requestAndTrack(DeploymentRequest request, long projectId, long stageId,
                                                               long scenarioId, Duration timeout,
                                                               Duration approvalTimeout) {
        return startAndTrack(request, projectId, stageId, scenarioId, true, timeout, approvalTimeout);
    }

    private CompletableFuture<DeploymentHandle> startAndTrack(DeploymentRequest request, long projectId, long stageId,
                                                              long scenarioId, boolean approval, Duration timeout,
                                                              Duration approvalTimeout) {
        // Everything that can be refused is refused here, before NCP starts anything.
        if (request == null) {
            throw new InvalidRequestException("request", "a deployment request is required: "
                    + "DeploymentRequest.builder(owner, repo, commitSha).build()");
        }
        requirePositive("projectId", projectId);
        requirePositive("stageId", stageId);
        requirePositive("scenarioId", scenarioId);
        requirePositive("timeout", timeout);
        requirePositive("approvalTimeout", approvalTimeout);
        CompletableFuture<Long> started = approval
                ? client.requestDeployment(projectId, stageId, scenarioId)
                : client.startDeployment(projectId, stageId, scenarioId);
        return started.thenApplyAsync(historyId -> {
            log.info("ncp_deployment_started project_id={} stage_id={} scenario_id={} history_id={} approval_required={}",
                    projectId, stageId, scenarioId, historyId, approval);
            try {
                CheckSpec check = CheckSpec.of(NcpPollingSource.TYPE,
                        NcpPollingSource.ref(projectId, historyId, stageId, scenarioId), timeout, approvalTimeout);
                DeploymentRequest r = request.withAttribute(ATTRIBUTE_PROJECT_ID, Long.toString(projectId))
                        .withAttribute(ATTRIBUTE_STAGE_ID, Long.toString(stageId))
                        .withAttribute(ATTRIBUTE_SCENARIO_ID, Long.toString(scenarioId))
                        .withAttribute(ATTRIBUTE_HISTORY_ID, Long.toString(historyId));
                if (r.idempotencyKey() == null) {
                    r = r.withIdempotencyKey(NcpPollingSource.keyOf(projectId, historyId));
                }
                return tracker.track(r, check);
            } catch (RuntimeException e) {
                log.error("ncp_deployment_untracked project_id={} history_id={} error=\"{}\"", projectId, historyId,
                        e.getMessage());
                throw new NcpUntrackedDeploymentException(projectId, historyId, e);
            }
        }, trackExecutor);
    }

    private static void requirePositive(String field, long id) {
        if (id <= 0) {
            throw new InvalidRequestException(field, "NCP " + field + " " + id
                    + " is not usable: expected a positive number, e.g. 8012");
        }
    }

    private static void requirePositive(String field, Duration d) {
        if (d != null && (d.isZero() || d.isNegative())) {
            throw new InvalidRequestException(field, field + " " + d
                    + " is not usable: expected a positive duration, or null for the tracker's default");
        }
    }

    @Override
    public String toString() {
        return "NcpDeployments[client=" + client + "]";
    }

    /** Configuration of {@link NcpDeployments}. */
    public static final class Builder {
        private final NcpClient client;
        private final DeploymentTracker tracker;
        private Executor trackExecutor;

        private Builder(NcpClient client, DeploymentTracker tracker) {
            this.client = Objects.requireNonNull(client, "client must not be null");
            this.tracker = Objects.requireNonNull(tracker, "tracker must not be null");
        }

        /**
         * @param executor where a started deployment is recorded (a store write) once NCP answered; default a small
         *                 shared pool of daemon threads that end when idle
         * @return this builder
         */
        public Builder trackExecutor(Executor executor) {
            this.trackExecutor = Objects.requireNonNull(executor, "executor must not be null");
            return this;
        }

        /** @return the facade */
        public NcpDeployments build() {
            return new NcpDeployments(this);
        }
    }
}
