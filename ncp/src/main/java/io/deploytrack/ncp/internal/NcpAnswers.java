package io.deploytrack.ncp.internal;

import io.deploytrack.ncp.NcpApiException;
import io.deploytrack.ncp.NcpEndpoint;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;

/**
 * What an NCP answer means: a 2xx body read by the call's reader, anything else (and a transport failure) an
 * {@link NcpApiException} whose kind the tracker acts on and whose message says the call, NCP's error and, for
 * 401/403, what to check.
 */
public final class NcpAnswers {
    private NcpAnswers() {
    }

    /**
     * @param service         the service called
     * @param method          the HTTP method
     * @param pathAndQuery    the path as the client was asked for it (named in messages)
     * @param response        NCP's answer
     * @param reader          reads a 2xx body, throwing MalformedResponseException when it is unusable
     * @param clock           the clock of {@code Retry-After} dates
     * @param maskedAccessKey the access key as messages may show it
     * @param <T>             what the reader returns
     * @return what the reader returned
     * @throws NcpApiException for an answer that is not 2xx, or a 2xx body the reader cannot use
     */
    public static <T> T read(NcpEndpoint.Service service, String method, String pathAndQuery,
                             HttpResponse<byte[]> response, Function<byte[], T> reader, Clock clock,
                             String maskedAccessKey) {
        int status = response.statusCode();
        byte[] body = response.body() == null ? new byte[0] : response.body();
        String call = service.displayName() + " " + method + " " + pathAndQuery;
        if (status >= 200 && status < 300) {
            try {
                return reader.apply(body);
            } catch (MalformedResponseException e) {
                throw new NcpApiException(NcpApiException.Kind.MALFORMED_RESPONSE,
                        call + " returned an unusable answer: " + e.getMessage(), status, null, null, null, null, e);
            }
        }
        Responses.ErrorBody error = Responses.error(body);
        Duration retryAfter = RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null), clock)
                .orElse(null);
        NcpApiException.Kind kind = kindOf(status);
        StringBuilder message = new StringBuilder(call).append(" failed: HTTP ").append(status);
        if (error.message() != null) {
            message.append(' ').append(error.message());
        }
        if (error.errorCode() != null) {
            message.append(" (errorCode ").append(error.errorCode()).append(')');
        }
        if (error.details() != null && !error.details().isBlank()) {
            message.append(": ").append(error.details());
        }
        if (error.message() == null && error.errorCode() == null && body.length > 0) {
            message.append(": ").append(Responses.excerpt(body));
        }
        if (kind == NcpApiException.Kind.AUTHENTICATION) {
            message.append(". Check the NCP access key (").append(maskedAccessKey)
                    .append(") and secret key, their permission for ").append(service.product())
                    .append(", and this machine's clock:")
                    .append(" the API gateway refuses requests whose timestamp is 5 minutes or more off its own");
        }
        if (retryAfter != null) {
            message.append("; retry after ").append(retryAfter.toSeconds()).append(" s");
        }
        throw new NcpApiException(kind, message.toString(), status, error.errorCode(), error.message(),
                error.details(), retryAfter, null);
    }

    private static NcpApiException.Kind kindOf(int status) {
        if (status == 401 || status == 403) {
            return NcpApiException.Kind.AUTHENTICATION;
        }
        if (status == 404) {
            return NcpApiException.Kind.NOT_FOUND;
        }
        if (status == 429) {
            return NcpApiException.Kind.THROTTLED;
        }
        if (status >= 400 && status < 500) {
            return NcpApiException.Kind.BAD_REQUEST;
        }
        if (status >= 500 && status < 600) {
            return NcpApiException.Kind.SERVER_ERROR;
        }
        // 1xx, 3xx: the JDK client does not follow redirects here, and SourceDeploy sends none.
        return NcpApiException.Kind.MALFORMED_RESPONSE;
    }

    /**
     * @param service      the service called
     * @param method       the HTTP method
     * @param pathAndQuery the path as the client was asked for it
     * @param uri          where the request went
     * @param cause        what the HttpClient failed with, unwrapped
     * @return the TRANSPORT failure
     */
    public static NcpApiException transportFailure(NcpEndpoint.Service service, String method, String pathAndQuery,
                                                   URI uri, Throwable cause) {
        return new NcpApiException(NcpApiException.Kind.TRANSPORT, service.displayName() + " " + method + " "
                + pathAndQuery + " " + TransportFailure.describe(uri, cause), 0, null, null, null, null, cause);
    }
}
