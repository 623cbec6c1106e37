package io.deploytrack.ncp;

/**
 * NCP SourcePipeline started a run but deploytrack could not record it (its tasks could not be read, the store
 * refused the row, the tracker was closed, ...). The run goes on at NCP untracked; {@link #projectId()} and
 * {@link #historyId()} say which one, so a caller can pick it up once the cause is fixed
 * ({@code deploytrack ncp track-pipeline --pipeline-id P --history-id H}).
 */
public final class NcpUntrackedPipelineException extends NcpUntrackedException {
    private static final long serialVersionUID = 1L;

    private final long historyId;

    /**
     * @param projectId the pipeline
     * @param historyId the id NCP gave the started run
     * @param cause     why it could not be recorded
     */
    public NcpUntrackedPipelineException(long projectId, long historyId, Throwable cause) {
        super("NCP SourcePipeline started run " + historyId + " of pipeline " + projectId
                + " but it could not be tracked (" + cause.getMessage() + "); it runs at NCP: track it with "
                + "NcpPipelines.track(request, " + projectId + ", " + historyId + ", timeout)", projectId, cause);
        this.historyId = historyId;
    }

    /** The history id of the untracked run. */
    public long historyId() {
        return historyId;
    }
}
