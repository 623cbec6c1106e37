package io.deploytrack.jdbc;

/**
 * The history store could not do what was asked; the message says what failed and, where it can, how to fix it. A
 * {@link io.deploytrack.core.HistoryStoreException}, so code written against the core SPI catches it too.
 */
public class StoreException extends io.deploytrack.core.HistoryStoreException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
