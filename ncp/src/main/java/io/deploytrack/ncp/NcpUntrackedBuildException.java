package io.deploytrack.ncp;

/**
 * NCP SourceBuild started a build but deploytrack could not record it (the store refused the row, the tracker was
 * closed, ...). The build runs at NCP untracked; {@link #projectId()} and {@link #buildId()} say which one, so a caller
 * can pick it up once the cause is fixed ({@code deploytrack ncp track-build --build-project-id P --build-id B}).
 */
public final class NcpUntrackedBuildException extends NcpUntrackedException {
    private static final long serialVersionUID = 1L;

    private final String buildId;

    /**
     * @param projectId the build project
     * @param buildId   the id NCP gave the started build
     * @param cause     why it could not be recorded
     */
    public NcpUntrackedBuildException(long projectId, String buildId, RuntimeException cause) {
        super("NCP SourceBuild started build " + buildId + " of project " + projectId + " but it could not be tracked ("
                + cause.getMessage() + "); it runs at NCP: track it with tracker.track(request, "
                + "NcpBuildPollingSource.ref(" + projectId + ", \"" + buildId + "\"))", projectId, cause);
        this.buildId = buildId;
    }

    /** The id of the untracked build. */
    public String buildId() {
        return buildId;
    }
}
