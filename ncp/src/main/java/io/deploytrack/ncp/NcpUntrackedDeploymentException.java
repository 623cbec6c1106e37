package io.deploytrack.ncp;

/**
 * NCP SourceDeploy started a deployment but deploytrack could not record it (the store refused the row, the tracker
 * was closed, ...). The deployment runs at NCP untracked; {@link #projectId()} and {@link #historyId()} say which one,
 * so a caller can pick it up once the cause is fixed ({@code tracker.track(request, NcpPollingSource.ref(projectId,
 * historyId))}, or {@code deploytrack ncp track --project-id P --history-id H}).
 */
public final class NcpUntrackedDeploymentException extends NcpUntrackedException {
    private static final long serialVersionUID = 1L;

    private final long historyId;

    /**
     * @param projectId the SourceDeploy project
     * @param historyId the history id NCP gave the started deployment
     * @param cause     why it could not be recorded
     */
    public NcpUntrackedDeploymentException(long projectId, long historyId, RuntimeException cause) {
        super("NCP SourceDeploy started deployment " + historyId + " of project " + projectId
                + " but it could not be tracked (" + cause.getMessage() + "); it runs at NCP: track it with "
                + "tracker.track(request, NcpPollingSource.ref(" + projectId + ", " + historyId + "))", projectId, cause);
        this.historyId = historyId;
    }

    /** The history id of the untracked deployment. */
    public long historyId() {
        return historyId;
    }
}
