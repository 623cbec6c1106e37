package io.deploytrack.core;

/** The tracker closed before the deployment ended; it is still recorded as running and will be resumed. */
public class TrackerClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public TrackerClosedException(String message) {
        super(message);
    }
}
