package io.deploytrack.ncp.emulator;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * A fault the emulator applies to the next matching requests instead of (or, for {@link #slow},
 * on top of) its normal answer. Immutable: the {@code times}, {@code forHistory} and
 * {@code forKind} methods return changed copies.
 *
 * <pre>{@code
 * emulator.inject(NcpFault.throttled(Duration.ofSeconds(3)).forKind(RequestKind.DETAIL).times(2));
 * }</pre>
 *
 * <p>A faulted request changes no state (a faulted deploy starts nothing), except a slow one,
 * which is answered normally after the delay.
 */
public final class NcpFault {

    /** What the fault does. */
    public enum Type {
        /** An HTTP error status with NCP's error body. */
        HTTP_ERROR,
        /** The normal answer, with its headers delayed. */
        SLOW,
        /** The request is read, then the connection is closed without an answer. */
        DISCONNECT,
        /** HTTP 200 with a body that is not valid JSON. */
        MALFORMED_JSON
    }

    private final Type type;
    private final int httpStatus;
    private final String errorCode;
    private final String message;
    private final String retryAfter;
    private final Duration delay;
    private final int times;
    private final Long historyId;
    private final RequestKind kind;

    private NcpFault(Type type, int httpStatus, String errorCode, String message, String retryAfter,
                     Duration delay, int times, Long historyId, RequestKind kind) {
        this.type = type;
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
        this.message = message;
        this.retryAfter = retryAfter;
        this.delay = delay;
        this.times = times;
        this.historyId = historyId;
        this.kind = kind;
    }

    /**
     * Any HTTP error with NCP's error body {@code {"error":{"errorCode":..,"message":..,"details":..}}}.
     *
     * @param httpStatus an HTTP status from 400 to 599
     * @param errorCode  NCP's error code, e.g. "900" (digits)
     * @param message    NCP's message, e.g. "Unexpected Error"
     * @return the fault, applied once
     */
    public static NcpFault httpError(int httpStatus, String errorCode, String message) {
        if (httpStatus < 400 || httpStatus > 599) {
            throw new IllegalArgumentException("an error fault needs an HTTP status from 400 to 599, got " + httpStatus);
        }
        Objects.requireNonNull(errorCode, "errorCode");
        if (!errorCode.matches("\\d+")) {
            throw new IllegalArgumentException("NCP error codes are digits, like \"900\", got \"" + errorCode + "\"");
        }
        return new NcpFault(Type.HTTP_ERROR, httpStatus, errorCode, Objects.requireNonNull(message, "message"),
                null, Duration.ZERO, 1, null, null);
    }

    /** @return HTTP 500, code 900 "Unexpected Error" */
    public static NcpFault unexpectedError() {
        return httpError(500, "900", "Unexpected Error");
    }

    /** @return HTTP 503, code 500 "Endpoint Error" */
    public static NcpFault endpointError() {
        return httpError(503, "500", "Endpoint Error");
    }

    /** @return HTTP 504, code 510 "Endpoint Timeout" */
    public static NcpFault endpointTimeout() {
        return httpError(504, "510", "Endpoint Timeout");
    }

    /**
     * HTTP 429, code 420 "Rate Limited", with {@code Retry-After} in whole seconds.
     *
     * @param retryAfter the wait to announce (rounded down to seconds)
     * @return the fault
     */
    public static NcpFault throttled(Duration retryAfter) {
        return httpError(429, "420", "Rate Limited").retryAfter(retryAfter);
    }

    /**
     * The normal answer, sent after {@code delay}: makes a client's request timeout fire.
     *
     * @param delay how long the emulator waits before the response headers
     * @return the fault
     */
    public static NcpFault slow(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative() || delay.isZero()) {
            throw new IllegalArgumentException("a slow fault needs a positive delay, got " + delay);
        }
        return new NcpFault(Type.SLOW, 0, null, null, null, delay, 1, null, null);
    }

    /** @return a fault that reads the request and closes the connection without answering */
    public static NcpFault disconnect() {
        return new NcpFault(Type.DISCONNECT, 0, null, null, null, Duration.ZERO, 1, null, null);
    }

    /** @return a fault that answers HTTP 200 with a truncated JSON body */
    public static NcpFault malformedJson() {
        return new NcpFault(Type.MALFORMED_JSON, 200, null, null, null, Duration.ZERO, 1, null, null);
    }

    /**
     * This HTTP error fault with a {@code Retry-After} header in seconds.
     *
     * @param wait the announced wait, zero or more
     * @return a changed copy
     */
    public NcpFault retryAfter(Duration wait) {
        Objects.requireNonNull(wait, "wait");
        if (wait.isNegative()) {
            throw new IllegalArgumentException("Retry-After must not be negative, got " + wait);
        }
        return withRetryAfter(Long.toString(wait.getSeconds()));
    }

    /**
     * This HTTP error fault with a {@code Retry-After} header as an HTTP date (RFC 1123).
     *
     * @param until the announced moment
     * @return a changed copy
     */
    public NcpFault retryAfterDate(Instant until) {
        Objects.requireNonNull(until, "until");
        return withRetryAfter(DateTimeFormatter.RFC_1123_DATE_TIME.format(until.atOffset(ZoneOffset.UTC)));
    }

    private NcpFault withRetryAfter(String value) {
        if (type != Type.HTTP_ERROR) {
            throw new IllegalStateException("Retry-After goes with an HTTP error fault, not with " + type);
        }
        return new NcpFault(type, httpStatus, errorCode, message, value, delay, times, historyId, kind);
    }

    /**
     * Applies the fault to the next {@code n} matching requests.
     *
     * @param n one or more
     * @return a changed copy
     */
    public NcpFault times(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("a fault applies to one request or more, got times(" + n + ")");
        }
        return new NcpFault(type, httpStatus, errorCode, message, retryAfter, delay, n, historyId, kind);
    }

    /**
     * Applies the fault only to requests about one history (detail, approve, cancel).
     *
     * @param id the history id
     * @return a changed copy
     */
    public NcpFault forHistory(long id) {
        return new NcpFault(type, httpStatus, errorCode, message, retryAfter, delay, times, id, kind);
    }

    /**
     * Applies the fault only to one kind of call.
     *
     * @param requestKind the call
     * @return a changed copy
     */
    public NcpFault forKind(RequestKind requestKind) {
        return new NcpFault(type, httpStatus, errorCode, message, retryAfter, delay, times, historyId,
                Objects.requireNonNull(requestKind, "requestKind"));
    }

    /** @return what the fault does */
    public Type type() {
        return type;
    }

    /** @return the HTTP status answered (200 for malformed JSON, 0 for slow and disconnect) */
    public int httpStatus() {
        return httpStatus;
    }

    /** @return NCP's error code, or null when the fault is not an HTTP error */
    public String errorCode() {
        return errorCode;
    }

    /** @return NCP's error message, or null when the fault is not an HTTP error */
    public String message() {
        return message;
    }

    /** @return the {@code Retry-After} header value, or null */
    public String retryAfterHeader() {
        return retryAfter;
    }

    /** @return the delay of a slow fault, zero otherwise */
    public Duration delay() {
        return delay;
    }

    /** @return how many matching requests the fault applies to */
    public int times() {
        return times;
    }

    /** @return the history the fault is limited to, or null for any */
    public Long historyId() {
        return historyId;
    }

    /** @return the call kind the fault is limited to, or null for any */
    public RequestKind kind() {
        return kind;
    }

    /**
     * Whether a request matches this fault's filters.
     *
     * @param requestKind the request's call kind
     * @param requestHistoryId the history it concerns, or null
     * @return true when the fault applies to it
     */
    public boolean matches(RequestKind requestKind, Long requestHistoryId) {
        return (kind == null || kind == requestKind)
                && (historyId == null || historyId.equals(requestHistoryId));
    }

    @Override
    public String toString() {
        return "NcpFault[" + type + (httpStatus > 0 ? " " + httpStatus : "") + (errorCode != null ? " code " + errorCode : "")
                + (retryAfter != null ? " Retry-After " + retryAfter : "") + (type == Type.SLOW ? " delay " + delay : "")
                + " x" + times + (kind != null ? " kind " + kind : "") + (historyId != null ? " history " + historyId : "")
                + "]";
    }
}
