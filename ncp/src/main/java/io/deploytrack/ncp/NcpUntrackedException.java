package io.deploytrack.ncp;

/**
 * NCP started something (a deployment, a build, a pipeline run) but deploytrack could not record it (the store refused
 * the row, the tracker was closed, ...). It runs at NCP untracked; the subclass says which one, so a caller can pick
 * it up once the cause is fixed.
 */
public abstract sealed class NcpUntrackedException extends IllegalStateException
        permits NcpUntrackedDeploymentException, NcpUntrackedBuildException, NcpUntrackedPipelineException {
    private static final long serialVersionUID = 1L;

    private final long projectId;

    NcpUntrackedException(String message, long projectId, Throwable cause) {
        super(message, cause);
        this.projectId = projectId;
    }

    /** The NCP project (SourceDeploy project, build project or pipeline) of what runs untracked. */
    public long projectId() {
        return projectId;
    }

    /** Why it could not be recorded, in the store's or tracker's words. */
    public String reason() {
        return getCause().getMessage();
    }
}
