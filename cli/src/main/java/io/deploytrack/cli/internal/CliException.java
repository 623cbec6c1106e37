package io.deploytrack.cli.internal;

/** A failure with its exit code and a one-line message for the operator. Not public API. */
public final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    /** A failure that exits with {@code exitCode}. */
    public CliException(int exitCode, String message) {
        this(exitCode, message, null);
    }

    /** A failure that exits with {@code exitCode}, keeping the cause for {@code --verbose}. */
    public CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** The exit code. */
    public int exitCode() {
        return exitCode;
    }
}
