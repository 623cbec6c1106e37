package io.deploytrack.core;

/** Bad input: names the field, the value and the form that is expected. Nothing was written. */
public class InvalidRequestException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String field;

    /** Creates the exception; the message already names the field. */
    public InvalidRequestException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The name of the field that was refused, e.g. {@code commitSha}. */
    public String field() {
        return field;
    }
}
