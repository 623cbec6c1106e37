package io.deploytrack.core;

import java.time.Duration;
import java.util.Optional;

/**
 * A failure of a status source, classified so that the tracker knows what to do: back off and go on, retry a few
 * times, or end the check. Messages must never contain secrets.
 */
public class SourceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What the tracker does with the failure. */
    public enum Kind {
        /** 5xx, 429, timeouts, refused connections, malformed answers: back off and keep polling. */
        TRANSIENT,
        /** The target does not (yet) know the deployment: retried a few times, then the check fails. */
        NOT_FOUND,
        /** Wrong credentials, forbidden, a bad reference: the check fails at once with this message. */
        PERMANENT
    }

    private final Kind kind;
    private final transient Duration retryAfter;

    /** Creates a classified failure. */
    public SourceException(Kind kind, String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.retryAfter = retryAfter;
    }

    /** A transient failure. */
    public static SourceException transientFailure(String message, Duration retryAfter, Throwable cause) {
        return new SourceException(Kind.TRANSIENT, message, retryAfter, cause);
    }

    /** A permanent failure. */
    public static SourceException permanent(String message, Throwable cause) {
        return new SourceException(Kind.PERMANENT, message, null, cause);
    }

    /** Not found at the source. */
    public static SourceException notFound(String message, Throwable cause) {
        return new SourceException(Kind.NOT_FOUND, message, null, cause);
    }

    /** The classification. */
    public Kind kind() {
        return kind;
    }

    /** Whether polling goes on after a backoff. */
    public boolean isTransient() {
        return kind == Kind.TRANSIENT;
    }

    /** How long the source asked us to wait ({@code Retry-After}), if it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
