package io.deploytrack.ncp;

import io.deploytrack.core.CheckSpec;
import io.deploytrack.core.DeploymentHandle;
import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.InvalidRequestException;
import io.deploytrack.ncp.internal.SourceFailures;
import io.deploytrack.ncp.internal.TrackExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Starts NCP SourcePipeline runs and tracks them: one run is one deployment whose declared stages are its tasks, in
 * the order they run, named by task type ({@value NcpBuilds#STAGE_BUILD}, {@value NcpBuilds#STAGE_DEPLOY}; a second
 * task of one type gets {@code -2}, ...), each followed by the {@code sourcepipeline} source
 * ({@link NcpPipelinePollingSource}, which must be registered with the tracker).
 *
 * <pre>{@code
 * NcpPipelines pipelines = NcpPipelines.of(pipelineSource, tracker);
 * DeploymentHandle h = pipelines.runAndTrack(request, pipelineId, Duration.ofMinutes(30)).join();
 * h.completion().join();   // success once every task succeeded; failed at the task that failed
 * }</pre>
 *
 * <p>The run's tasks are read once, right after it started (its history detail), to declare the stages; the
 * deployment records the attributes {@value #ATTRIBUTE_PIPELINE_ID} and {@value #ATTRIBUTE_PIPELINE_HISTORY_ID}, and
 * when the run already reports it, the first build's {@value NcpBuilds#ATTRIBUTE_BUILD_ID}. Thread-safe.
 */
public final class NcpPipelines {

    /** Attribute: the SourcePipeline project id. */
    public static final String ATTRIBUTE_PIPELINE_ID = "ncp_pipeline_id";
    /** Attribute: the run's history id. */
    public static final String ATTRIBUTE_PIPELINE_HISTORY_ID = "ncp_pipeline_history_id";

    private static final Logger log = LoggerFactory.getLogger(NcpPipelines.class);

    private final NcpSourcePipeline pipelines;
    private final DeploymentTracker tracker;
    private final Executor trackExecutor;

    private NcpPipelines(NcpSourcePipeline pipelines, DeploymentTracker tracker, Executor trackExecutor) {
        this.pipelines = pipelines;
        this.tracker = tracker;
        this.trackExecutor = trackExecutor;
    }

    /**
     * @param source  the {@code sourcepipeline} source registered with {@code tracker}; its client starts runs
     * @param tracker the tracker
     * @return the facade, recording on a small shared pool of daemon threads
     */
    public static NcpPipelines of(NcpPipelinePollingSource source, DeploymentTracker tracker) {
        return of(source, tracker, TrackExecutor.shared());
    }

    /**
     * @param source        the {@code sourcepipeline} source registered with {@code tracker}
     * @param tracker       the tracker
     * @param trackExecutor where a started run is recorded, never on HTTP threads
     * @return the facade
     */
    public static NcpPipelines of(NcpPipelinePollingSource source, DeploymentTracker tracker, Executor trackExecutor) {
        return new NcpPipelines(Objects.requireNonNull(source, "source must not be null").pipelines(),
                Objects.requireNonNull(tracker, "tracker must not be null"),
                Objects.requireNonNull(trackExecutor, "trackExecutor must not be null"));
    }

    /**
     * Runs a pipeline ({@code POST .../project/{id}/do}) and tracks the run, one stage per task.
     *
     * @param request    what the run builds and deploys, not null
     * @param pipelineId the SourcePipeline project, positive
     * @param timeout    each stage's deadline, counted from now (a task that has not started by then times the
     *                   deployment out), or null for the tracker's default
     * @return the handle once NCP started the run and the tracker recorded it; fails with the {@link NcpApiException}
     *         when NCP refused, with an {@link NcpUntrackedPipelineException} when it started but was not recorded
     * @throws InvalidRequestException when an argument is not usable; nothing is started then
     */
    public CompletableFuture<DeploymentHandle> runAndTrack(DeploymentRequest request, long pipelineId, Duration timeout) {
        check(request, pipelineId, 1, timeout);
        return pipelines.run(pipelineId).thenCompose(historyId -> {
            log.info("sourcepipeline_started project_id={} history_id={}", pipelineId, historyId);
            return track(request, pipelineId, historyId, timeout);
        });
    }

    /**
     * Tracks a run started elsewhere (the console, a trigger): reads its tasks and records one stage per task.
     *
     * @param request    what the run builds and deploys, not null
     * @param pipelineId the SourcePipeline project, positive
     * @param historyId  the run, positive
     * @param timeout    each stage's deadline, or null for the tracker's default
     * @return the handle once recorded; fails with an {@link NcpUntrackedPipelineException} when it could not be
     * @throws InvalidRequestException when an argument is not usable
     */
    public CompletableFuture<DeploymentHandle> track(DeploymentRequest request, long pipelineId, long historyId,
                                                     Duration timeout) {
        check(request, pipelineId, historyId, timeout);
        return pipelines.history(pipelineId, historyId).handleAsync((run, error) -> {
            if (error != null) {
                throw new NcpUntrackedPipelineException(pipelineId, historyId, SourceFailures.unwrap(error));
            }
            try {
                return tracker.track(attributes(request, run), stages(run, timeout));
            } catch (RuntimeException e) {
                log.error("sourcepipeline_untracked project_id={} history_id={} error=\"{}\"", pipelineId, historyId,
                        e.getMessage());
                throw new NcpUntrackedPipelineException(pipelineId, historyId, e);
            }
        }, trackExecutor);
    }

    /**
     * The stages of a run: one per task, in the order they run ({@code linkedTasks} first, else as listed).
     *
     * @param run     the run with its tasks
     * @param timeout each stage's deadline, or null for the tracker's default
     * @return the specs
     * @throws IllegalArgumentException when the run reports no task
     */
    public static List<CheckSpec> stages(NcpPipelineRun run, Duration timeout) {
        if (run.tasks().isEmpty()) {
            throw new IllegalArgumentException("SourcePipeline run " + run.id() + " of project " + run.projectId()
                    + " reports no tasks: nothing to follow");
        }
        Map<String, Integer> seen = new HashMap<>();
        List<CheckSpec> out = new ArrayList<>();
        for (NcpPipelineTask t : inOrder(run.tasks())) {
            String base = t.isBuild() ? NcpBuilds.STAGE_BUILD : t.isDeploy() ? NcpBuilds.STAGE_DEPLOY
                    : t.type().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "");
            int n = seen.merge(base, 1, Integer::sum);
            out.add(new CheckSpec(n == 1 ? base : base + "-" + n,
                    NcpPipelinePollingSource.ref(run.projectId(), run.id(), t.id()), timeout, null, null, true));
        }
        return out;
    }

    /** Tasks whose linked tasks are all placed come next; a cycle or an unknown name keeps the listed order. */
    private static List<NcpPipelineTask> inOrder(List<NcpPipelineTask> tasks) {
        List<NcpPipelineTask> out = new ArrayList<>();
        Set<String> placed = new LinkedHashSet<>();
        List<NcpPipelineTask> left = new ArrayList<>(tasks);
        while (!left.isEmpty()) {
            NcpPipelineTask next = left.stream().filter(t -> placed.containsAll(t.linkedTasks())).findFirst()
                    .orElse(left.get(0));
            left.remove(next);
            out.add(next);
            placed.add(next.name());
        }
        return out;
    }

    private static DeploymentRequest attributes(DeploymentRequest request, NcpPipelineRun run) {
        DeploymentRequest r = request.withAttribute(ATTRIBUTE_PIPELINE_ID, Long.toString(run.projectId()))
                .withAttribute(ATTRIBUTE_PIPELINE_HISTORY_ID, Long.toString(run.id()));
        for (NcpPipelineTask t : run.tasks()) {
            if (t.isBuild() && t.projectId() != null && r.attributes().get(NcpBuilds.ATTRIBUTE_BUILD_PROJECT_ID) == null) {
                r = r.withAttribute(NcpBuilds.ATTRIBUTE_BUILD_PROJECT_ID, Long.toString(t.projectId()));
                if (t.resultId() != null) {
                    r = r.withAttribute(NcpBuilds.ATTRIBUTE_BUILD_ID, t.resultId());
                }
            }
            if (t.isDeploy() && t.projectId() != null && r.attributes().get(NcpDeployments.ATTRIBUTE_PROJECT_ID) == null) {
                r = r.withAttribute(NcpDeployments.ATTRIBUTE_PROJECT_ID, Long.toString(t.projectId()));
                if (t.stageId() != null && t.scenarioId() != null) {
                    r = r.withAttribute(NcpDeployments.ATTRIBUTE_STAGE_ID, Long.toString(t.stageId()))
                            .withAttribute(NcpDeployments.ATTRIBUTE_SCENARIO_ID, Long.toString(t.scenarioId()));
                }
            }
        }
        return r.idempotencyKey() == null ? r.withIdempotencyKey(NcpPipelinePollingSource.keyOf(run.projectId(), run.id()))
                : r;
    }

    private static void check(DeploymentRequest request, long pipelineId, long historyId, Duration timeout) {
        if (request == null) {
            throw new InvalidRequestException("request", "a deployment request is required: "
                    + "DeploymentRequest.builder(owner, repo, commitSha).build()");
        }
        if (pipelineId <= 0) {
            throw new InvalidRequestException("pipelineId", "NCP SourcePipeline project " + pipelineId
                    + " is not usable: expected a positive number, e.g. 54");
        }
        if (historyId <= 0) {
            throw new InvalidRequestException("historyId", "NCP SourcePipeline history id " + historyId
                    + " is not usable: expected a positive number");
        }
        if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
            throw new InvalidRequestException("timeout", "timeout " + timeout
                    + " is not usable: expected a positive duration, or null for the tracker's default");
        }
    }

    @Override
    public String toString() {
        return "NcpPipelines[" + pipelines + "]";
    }
}
