package io.deploytrack.core;

/** There is nothing to roll back to: the message says why (no success at all, or none with another commit). */
public class NoRollbackTargetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public NoRollbackTargetException(String message) {
        super(message);
    }
}
