package io.deploytrack.cli.internal;

/** The exit codes of the {@code deploytrack} command; scripts rely on them. Not public API. */
public final class ExitCodes {
    /** Done; {@code doctor}: healthy; tracking: the deployment succeeded. */
    public static final int OK = 0;
    /** Any failure; {@code doctor}: problems found. */
    public static final int FAILURE = 1;
    /** A usage error: a missing or bad option or argument. */
    public static final int USAGE = 2;
    /** {@code rollback-target}: there is none. */
    public static final int NO_ROLLBACK_TARGET = 3;
    /** No deployment with that id. */
    public static final int NOT_FOUND = 4;
    /** {@code mark}: the transition is not allowed. */
    public static final int NOT_ALLOWED = 5;
    /** Tracking: the deployment failed, was cancelled or timed out. */
    public static final int DEPLOYMENT_DID_NOT_SUCCEED = 6;

    private ExitCodes() {
    }
}
