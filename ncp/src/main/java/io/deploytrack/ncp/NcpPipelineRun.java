package io.deploytrack.ncp;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One SourcePipeline run, as its history detail shows it ({@code GET /api/v1/project/{projectId}/history/{historyId}};
 * devtools-sourcepipeline-projecthistorydetail).
 *
 * @param id         the run's history id
 * @param projectId  the pipeline (project)
 * @param begin      when it began, or null
 * @param end        when it ended, or null while it runs
 * @param statusWord the pipeline's word, or null: NCP documents no pipeline status words, so the run counts as ended
 *                   only by its {@code end}
 * @param tasks      its tasks, in the order the answer lists them
 */
public record NcpPipelineRun(long id, long projectId, Instant begin, Instant end, String statusWord,
                             List<NcpPipelineTask> tasks) {

    /** Copies the list. */
    public NcpPipelineRun {
        tasks = tasks == null ? List.of() : List.copyOf(tasks);
    }

    /** @return whether the run reports an end time (its status words are not documented; the end is) */
    public boolean ended() {
        return end != null;
    }

    /**
     * @param taskId a task id
     * @return that task of this run
     */
    public Optional<NcpPipelineTask> task(long taskId) {
        return tasks.stream().filter(t -> t.id() == taskId).findFirst();
    }
}
