package io.deploytrack.ncp.internal;

import io.deploytrack.core.CheckRef;
import io.deploytrack.core.InvalidRequestException;

import java.util.Set;

/**
 * The ids a {@code sourcepipeline} check reference carries: the pipeline, its run and the run's task the check
 * (one stage of the deployment) follows.
 *
 * @param ref       the reference they came from
 * @param projectId the SourcePipeline project
 * @param historyId the run's history id
 * @param taskId    the task's id in the run
 */
public record PipelineTarget(CheckRef ref, long projectId, long historyId, long taskId) {

    /** The source type of SourcePipeline references. */
    public static final String TYPE = "sourcepipeline";
    /** Field of the pipeline's project id. */
    public static final String PROJECT_ID = "projectId";
    /** Field of the run's history id. */
    public static final String HISTORY_ID = "historyId";
    /** Field of the task id. */
    public static final String TASK_ID = "taskId";

    private static final Set<String> KNOWN = Set.of(PROJECT_ID, HISTORY_ID, TASK_ID);

    /** @return the key of the run, {@code projectId:historyId}: the tasks of one run share its detail call */
    public String runKey() {
        return projectId + ":" + historyId;
    }

    /**
     * @param ref    a {@code sourcepipeline} reference
     * @param strict whether other fields are refused
     * @return the parsed ids
     * @throws InvalidRequestException naming the field that is missing or wrong
     */
    public static PipelineTarget parse(CheckRef ref, boolean strict) {
        if (ref == null || !TYPE.equals(ref.type())) {
            throw new InvalidRequestException("type", "reference " + ref + " is not a SourcePipeline reference: "
                    + "expected type 'sourcepipeline' (NcpPipelinePollingSource.ref(projectId, historyId, taskId))");
        }
        if (strict) {
            for (String key : ref.fields().keySet()) {
                if (!KNOWN.contains(key)) {
                    throw new InvalidRequestException(key, "a SourcePipeline reference has no field '" + key
                            + "': expected projectId, historyId and taskId");
                }
            }
        }
        return new PipelineTarget(ref, positive(ref, PROJECT_ID, "14"), positive(ref, HISTORY_ID, "54"),
                positive(ref, TASK_ID, "1"));
    }

    private static long positive(CheckRef ref, String field, String example) {
        String v = ref.fields().get(field);
        long id;
        try {
            id = v == null ? -1 : Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            id = -1;
        }
        if (id <= 0) {
            throw new InvalidRequestException(field, "SourcePipeline " + field + " '" + (v == null ? "" : v)
                    + "' is not usable: expected a positive number, e.g. " + example);
        }
        return id;
    }
}
