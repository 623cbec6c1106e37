package io.deploytrack.ncp;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A SourceDeploy call that did not succeed: an error answer, a broken connection or an answer that
 * could not be read. {@link #kind()} says what to do about it; {@link #isTransient()} says whether
 * trying again later may help. Messages never contain the secret key or a signature.
 */
public class NcpApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What went wrong, and so what a caller should do. */
    public enum Kind {
        /** 401 or 403: wrong access key, secret key or permission, or this machine's clock is 5+ minutes off. Fail fast. */
        AUTHENTICATION,
        /** 404: the project or history does not exist. */
        NOT_FOUND,
        /** Another 4xx: the request itself is wrong. */
        BAD_REQUEST,
        /** 429: quota, throttle or rate limit; back off, honouring {@link #retryAfter()}. */
        THROTTLED,
        /** 5xx: the gateway or SourceDeploy failed; retry with backoff. */
        SERVER_ERROR,
        /** No answer: connection refused or reset, or a timeout. */
        TRANSPORT,
        /** An answer that is not the JSON expected (unparseable, missing fields, unexpected status). */
        MALFORMED_RESPONSE
    }

    private final Kind kind;
    private final int httpStatus;
    private final String errorCode;
    private final String ncpMessage;
    private final String details;
    private final Duration retryAfter;

    /**
     * @param kind       what went wrong
     * @param message    the full message, naming the call
     * @param httpStatus the HTTP status, or 0 when there was no answer
     * @param errorCode  NCP's {@code errorCode}, or null
     * @param ncpMessage NCP's {@code message}, or null
     * @param details    NCP's {@code details}, or null
     * @param retryAfter the wait announced by {@code Retry-After}, or null
     * @param cause      the underlying exception, or null
     */
    public NcpApiException(Kind kind, String message, int httpStatus, String errorCode, String ncpMessage,
                           String details, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
        this.ncpMessage = ncpMessage;
        this.details = details;
        this.retryAfter = retryAfter;
    }

    /** @return what went wrong */
    public Kind kind() {
        return kind;
    }

    /** @return the HTTP status of the answer, or empty when there was none */
    public OptionalInt httpStatus() {
        return httpStatus > 0 ? OptionalInt.of(httpStatus) : OptionalInt.empty();
    }

    /** @return NCP's {@code errorCode} (a String or an Integer in the body, as text here) */
    public Optional<String> errorCode() {
        return Optional.ofNullable(errorCode);
    }

    /** @return NCP's error {@code message}, e.g. "Authentication Failed" */
    public Optional<String> ncpMessage() {
        return Optional.ofNullable(ncpMessage);
    }

    /** @return NCP's error {@code details} */
    public Optional<String> details() {
        return Optional.ofNullable(details);
    }

    /** @return how long the server asked to wait ({@code Retry-After}, seconds or an HTTP date) */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /**
     * @return true when the same call may succeed later: {@link Kind#THROTTLED},
     *         {@link Kind#SERVER_ERROR}, {@link Kind#TRANSPORT}, {@link Kind#MALFORMED_RESPONSE}
     */
    public boolean isTransient() {
        return switch (kind) {
            case THROTTLED, SERVER_ERROR, TRANSPORT, MALFORMED_RESPONSE -> true;
            case AUTHENTICATION, NOT_FOUND, BAD_REQUEST -> false;
        };
    }
}
