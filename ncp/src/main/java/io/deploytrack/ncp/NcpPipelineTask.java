package io.deploytrack.ncp;

import java.util.List;
import java.util.Optional;

/**
 * One task of a SourcePipeline run, as the run's history detail shows it
 * ({@code GET /api/v1/project/{projectId}/history/{historyId}}, {@code result.history.tasks[]};
 * devtools-sourcepipeline-projecthistorydetail, Go SDK get_history_detail_response_tasks.go).
 *
 * @param id          the task id
 * @param name        the task name
 * @param type        {@code SourceBuild} or {@code SourceDeploy}
 * @param linkedTasks the names of the tasks before it ({@code []} for the first)
 * @param statusWord  the pipeline's word for the task, or null: NCP documents no task status words, so it is shown,
 *                    never used to decide an outcome
 * @param resultId    the job result id, or null while none is reported (empty or absent): the SourceBuild build id of
 *                    a SourceBuild task, the SourceDeploy history id of a SourceDeploy task (inferred from the field's
 *                    description "job result ID"; NCP does not say more)
 * @param projectId   {@code config.projectId}: the SourceBuild or SourceDeploy project, or null when absent
 * @param stageId     {@code config.stageId} of a SourceDeploy task, or null
 * @param scenarioId  {@code config.scenarioId} of a SourceDeploy task, or null
 */
public record NcpPipelineTask(long id, String name, String type, List<String> linkedTasks, String statusWord,
                              String resultId, Long projectId, Long stageId, Long scenarioId) {

    /** The task type of a build. */
    public static final String SOURCE_BUILD = "SourceBuild";
    /** The task type of a deploy. */
    public static final String SOURCE_DEPLOY = "SourceDeploy";

    /** Copies the list. */
    public NcpPipelineTask {
        linkedTasks = linkedTasks == null ? List.of() : List.copyOf(linkedTasks);
    }

    /** @return whether the pipeline reported the task's job (a {@code resultId}): it has started in its service */
    public boolean started() {
        return resultId != null;
    }

    /** @return whether it is a SourceBuild task */
    public boolean isBuild() {
        return SOURCE_BUILD.equalsIgnoreCase(type);
    }

    /** @return whether it is a SourceDeploy task */
    public boolean isDeploy() {
        return SOURCE_DEPLOY.equalsIgnoreCase(type);
    }

    /** @return the SourceDeploy history id of a started deploy task, when its {@code resultId} is a number */
    public Optional<Long> deployHistoryId() {
        if (!isDeploy() || resultId == null) {
            return Optional.empty();
        }
        try {
            long v = Long.parseLong(resultId.strip());
            return v > 0 ? Optional.of(v) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
