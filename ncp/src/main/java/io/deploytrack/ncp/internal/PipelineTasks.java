package io.deploytrack.ncp.internal;

import io.deploytrack.core.CheckRef;
import io.deploytrack.core.Observation;
import io.deploytrack.core.SourceException;
import io.deploytrack.ncp.NcpBuildPollingSource;
import io.deploytrack.ncp.NcpPipelineRun;
import io.deploytrack.ncp.NcpPipelineTask;
import io.deploytrack.ncp.NcpPollingSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;

/**
 * What one task of a SourcePipeline run says now, decided by its own service: the SourceBuild build or the
 * SourceDeploy deployment its {@code resultId} names, read through those services' sources (so their documented words,
 * times, failed phases and shared list calls apply). The pipeline's own words are not documented and decide nothing.
 */
public final class PipelineTasks {
    /** The word of a task that never started in a run that ended. */
    public static final String NOT_STARTED = "not_started";
    private static final Logger log = LoggerFactory.getLogger(PipelineTasks.class);

    private PipelineTasks() {
    }

    /**
     * @param run     the run as its detail shows it now
     * @param target  the task followed
     * @param builds  the SourceBuild source its build tasks are read with
     * @param deploys the SourceDeploy source its deploy tasks are read with
     * @return the observation to report, or null when there is nothing to report yet (not started, or its service
     *         does not answer for it yet)
     */
    public static CompletableFuture<Observation> observe(NcpPipelineRun run, PipelineTarget target,
                                                         NcpBuildPollingSource builds, NcpPollingSource deploys) {
        String runName = "SourcePipeline run " + run.id() + " of project " + run.projectId();
        NcpPipelineTask task = run.task(target.taskId()).orElse(null);
        if (task == null) {
            return done(Observation.failed("not_in_run", runName + " has no task " + target.taskId() + " (its tasks: "
                    + run.tasks().stream().map(t -> t.id() + " " + t.name()).toList() + ")"));
        }
        if (!task.started()) {
            if (run.ended()) {
                return done(Observation.cancelled(NOT_STARTED, runName + " ended (status '" + run.statusWord()
                        + "') before task '" + task.name() + "' started").withTimes(null, run.end()));
            }
            return done(null);
        }
        CheckRef ref;
        String what;
        try {
            if (task.projectId() == null) {
                throw new IllegalArgumentException("task '" + task.name() + "' of " + runName
                        + " reports no config.projectId");
            }
            if (task.isBuild()) {
                ref = NcpBuildPollingSource.ref(task.projectId(), task.resultId());
                what = "SourceBuild build " + task.resultId() + " of project " + task.projectId();
            } else if (task.isDeploy()) {
                long historyId = task.deployHistoryId().orElseThrow(() -> new IllegalArgumentException("task '"
                        + task.name() + "' of " + runName + " reports resultId '" + task.resultId()
                        + "', not a SourceDeploy history id"));
                ref = NcpPollingSource.ref(task.projectId(), historyId);
                what = "SourceDeploy deployment " + historyId + " of project " + task.projectId();
            } else {
                throw new IllegalArgumentException("task '" + task.name() + "' of " + runName + " has type '"
                        + task.type() + "': expected SourceBuild or SourceDeploy");
            }
        } catch (IllegalArgumentException e) {
            return done(Observation.failed("error", e.getMessage()));
        }
        CompletableFuture<Observation> own = (task.isBuild() ? builds.poll(ref) : deploys.poll(ref)).toCompletableFuture();
        String named = "task '" + task.name() + "': " + what;
        return own.handle((o, error) -> {
            if (error == null) {
                return o.message() == null ? o.withMessage(named) : o;
            }
            SourceException se = SourceFailures.classify(error, task.isBuild() ? "NCP SourceBuild" : "NCP SourceDeploy",
                    what);
            if (se.kind() == SourceException.Kind.PERMANENT) {
                return Observation.failed("error", se.getMessage());
            }
            // Not known yet (the run reported it first) or a passing failure: asked again at the next interval.
            log.debug("sourcepipeline_task_not_read task={} kind={} error=\"{}\"", named, se.kind(), se.getMessage());
            return null;
        });
    }

    private static CompletableFuture<Observation> done(Observation o) {
        return CompletableFuture.completedFuture(o);
    }
}
