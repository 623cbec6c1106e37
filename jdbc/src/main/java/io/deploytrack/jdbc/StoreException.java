package io.deploytrack.jdbc;

/** The history store could not do what was asked; the message says what failed and, where it can, how to fix it. */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
