package io.deploytrack.core;

/**
 * A {@link HistoryStore} could not do what was asked (its database is unreachable, a write failed, a file is not a
 * deploytrack database). Unchecked. Every store's own failure type extends it (for example {@code StoreException} in
 * {@code deploytrack-jdbc}), so code written against the SPI can catch store failures without knowing the store. The
 * message says what failed and, where it can, how to fix it; it never carries a secret.
 */
public class HistoryStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public HistoryStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Creates the exception without a cause. */
    public HistoryStoreException(String message) {
        super(message);
    }
}
