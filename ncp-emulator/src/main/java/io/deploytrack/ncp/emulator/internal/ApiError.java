package io.deploytrack.ncp.emulator.internal;

/**
 * An NCP error answer ({@code {"error":{...}}}) raised while handling a request. No stack trace:
 * it is control flow, thrown on hot paths.
 */
public final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int httpStatus;
    private final String errorCode;
    private final String ncpMessage;

    ApiError(int httpStatus, String errorCode, String ncpMessage, String details) {
        super(details, null, false, false);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
        this.ncpMessage = ncpMessage;
    }

    static ApiError badRequest(String details) {
        return new ApiError(400, "100", "Bad Request Exception", details);
    }

    static ApiError authentication(String details) {
        return new ApiError(401, "200", "Authentication Failed", details);
    }

    static ApiError notFound(String details) {
        return new ApiError(404, "300", "Not Found Exception", details);
    }

    /** @return the HTTP status */
    public int httpStatus() {
        return httpStatus;
    }

    /** @return NCP's error code (digits) */
    public String errorCode() {
        return errorCode;
    }

    /** @return NCP's error message */
    public String ncpMessage() {
        return ncpMessage;
    }

    /** @return the details text */
    public String details() {
        return getMessage();
    }
}
