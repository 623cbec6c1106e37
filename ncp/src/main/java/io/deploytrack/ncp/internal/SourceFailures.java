package io.deploytrack.ncp.internal;

import io.deploytrack.core.SourceException;
import io.deploytrack.ncp.NcpApiException;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Classifies a failed NCP call for the tracker, as the SourceDeploy source does: 401/403 end the check at once
 * (credentials or clock), 404 is "not found", other 4xx are permanent, 5xx, 429 (with its {@code Retry-After}),
 * timeouts, dropped connections and malformed answers are transient.
 */
public final class SourceFailures {
    private SourceFailures() {
    }

    /**
     * @param error   what the call failed with
     * @param service e.g. "NCP SourceBuild"
     * @param what    what was being checked, e.g. "build 9e68... of project 14"
     * @return the classified failure
     */
    public static SourceException classify(Throwable error, String service, String what) {
        return classify(error, service, what, what);
    }

    /**
     * @param error   what the call failed with
     * @param service e.g. "NCP SourceDeploy"
     * @param what    what was being checked, after "checking" or "does not know", e.g. "deployment 3 of project 8"
     * @param subject the same where it begins a message of its own, e.g. "NCP deployment 3 of project 8"
     * @return the classified failure
     */
    public static SourceException classify(Throwable error, String service, String what, String subject) {
        Throwable cause = unwrap(error);
        if (cause instanceof SourceException se) {
            return se;
        }
        if (cause instanceof NcpApiException api) {
            return switch (api.kind()) {
                case AUTHENTICATION -> SourceException.permanent("NCP refused the credentials while checking " + what
                        + ": the access key, the secret key or this machine's clock is wrong (" + api.getMessage() + ")", api);
                case NOT_FOUND -> SourceException.notFound(service + " does not know " + what + " (" + api.getMessage()
                        + ")", api);
                case BAD_REQUEST -> SourceException.permanent(service + " refused the status request for " + what + ": "
                        + api.getMessage(), api);
                case THROTTLED, SERVER_ERROR, TRANSPORT, MALFORMED_RESPONSE -> SourceException.transientFailure(
                        api.getMessage(), api.retryAfter().orElse(null), api);
            };
        }
        if (cause instanceof IllegalArgumentException) {
            return SourceException.permanent(subject + " cannot be checked: " + cause.getMessage(), cause);
        }
        return SourceException.transientFailure("checking " + subject + " failed: " + cause, null, cause);
    }

    /** @return the cause behind CompletionException and ExecutionException wrappers */
    public static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }
}
