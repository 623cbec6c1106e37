package io.deploytrack.ncp.internal;

/** An answer that is not the JSON expected; the client turns it into a MALFORMED_RESPONSE error. */
public final class MalformedResponseException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message what is wrong with the answer */
    public MalformedResponseException(String message) {
        super(message, null, false, false);
    }

    /**
     * @param message what is wrong with the answer
     * @param cause   the parser's exception
     */
    public MalformedResponseException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
