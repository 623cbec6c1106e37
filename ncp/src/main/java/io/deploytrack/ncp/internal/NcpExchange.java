package io.deploytrack.ncp.internal;

import io.deploytrack.ncp.NcpApiException;
import io.deploytrack.ncp.NcpClient;
import io.deploytrack.ncp.NcpCredentials;
import io.deploytrack.ncp.NcpEndpoint;
import io.deploytrack.ncp.NcpSignature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * One signed HTTP exchange of an {@link NcpClient}: the request built and signed (API Gateway signature v2 over the
 * raw path and query), sent, and its answer read into a value or an {@link NcpApiException}. The events are the
 * client's ({@code ncp_request}, {@code ncp_request_failed}, on the {@code NcpClient} logger).
 */
public final class NcpExchange {
    private static final Logger log = LoggerFactory.getLogger(NcpClient.class);

    private final NcpCredentials credentials;
    private final Duration requestTimeout;
    private final Clock clock;
    private final HttpClient http;
    /** Where answers are read; null to read them where the HttpClient completes them (a host's client without executor). */
    private final Executor answers;
    /**
     * Where requests are sent and answered, blocking ({@code HttpClient.send}), when the builder created the
     * HttpClient: {@code sendAsync} hands every answer to a new unnamed thread on machines with two CPUs or fewer
     * (the JDK's async pool when the common pool has one thread); null with a host's client or executor.
     */
    private final ExecutorService senders;
    private final String userAgent;

    /**
     * @param credentials    what requests are signed with
     * @param requestTimeout how long one request may take
     * @param clock          the clock of the signed timestamp and of {@code Retry-After} dates
     * @param http           the HttpClient
     * @param senders        the threads that send blocking, or null to send with {@code sendAsync}
     * @param userAgent      the {@code User-Agent} header
     */
    public NcpExchange(NcpCredentials credentials, Duration requestTimeout, Clock clock, HttpClient http,
                       ExecutorService senders, String userAgent) {
        this.credentials = credentials;
        this.requestTimeout = requestTimeout;
        this.clock = clock;
        this.http = http;
        this.answers = http.executor().orElse(null);
        this.senders = senders;
        this.userAgent = userAgent;
    }

    /**
     * @param service      the service called
     * @param method       the HTTP method
     * @param pathAndQuery the path as the client was asked for it (logged and named in messages)
     * @param uri          where it goes: the endpoint's host for the service and the path
     * @param jsonBody     a JSON body, or null for none
     * @param reader       reads a 2xx body
     * @param <T>          what the reader returns
     * @return the reader's value, or an {@link NcpApiException}
     */
    public <T> CompletableFuture<T> send(NcpEndpoint.Service service, String method, String pathAndQuery, URI uri,
                                         String jsonBody, Function<byte[], T> reader) {
        HttpRequest request = signed(method, uri, jsonBody);
        long started = System.nanoTime();
        CompletableFuture<T> result = new CompletableFuture<>();
        BiConsumer<HttpResponse<byte[]>, Throwable> onAnswer = (response, error) -> {
            long elapsedMs = (System.nanoTime() - started) / 1_000_000;
            int status = response == null ? 0 : response.statusCode();
            try {
                if (error != null) {
                    throw NcpAnswers.transportFailure(service, method, pathAndQuery, uri, SourceFailures.unwrap(error));
                }
                T value = NcpAnswers.read(service, method, pathAndQuery, response, reader, clock,
                        credentials.maskedAccessKey());
                log.debug("ncp_request method={} path={} status={} elapsed_ms={}", method, pathAndQuery, status, elapsedMs);
                result.complete(value);
            } catch (NcpApiException e) {
                log.debug("ncp_request_failed method={} path={} status={} kind={} elapsed_ms={} error=\"{}\"",
                        method, pathAndQuery, status, e.kind(), elapsedMs, e.getMessage());
                result.completeExceptionally(e);
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        };
        if (senders != null) {
            try {
                senders.execute(() -> sendBlocking(request, onAnswer));
                return result;
            } catch (RejectedExecutionException e) {
                // Shut down: fall through to the JDK's own async path.
            }
        }
        CompletableFuture<HttpResponse<byte[]>> sent = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        if (answers == null) {
            sent.whenComplete(onAnswer);
        } else {
            // Read the answer on the client's executor, not on whatever thread completed the JDK's future.
            sent.whenComplete((response, error) -> {
                try {
                    answers.execute(() -> onAnswer.accept(response, error));
                } catch (RejectedExecutionException e) {
                    onAnswer.accept(response, error);
                }
            });
        }
        return result;
    }

    private HttpRequest signed(String method, URI uri, String jsonBody) {
        // Sign exactly what goes on the wire: the raw path (a base URI may add a prefix) and raw query.
        String signedTarget = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        // The timestamp is taken when the request leaves, not when it was queued behind the limiter.
        long timestamp = clock.millis();
        HttpRequest.Builder requestBuilder = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(jsonBody))
                .header("Accept", "application/json")
                .header("User-Agent", userAgent)
                .header("x-ncp-apigw-timestamp", Long.toString(timestamp))
                .header("x-ncp-iam-access-key", credentials.accessKey())
                .header("x-ncp-apigw-signature-v2",
                        NcpSignature.sign(method, signedTarget, timestamp, credentials.accessKey(), credentials.secretKey()));
        if (jsonBody != null) {
            requestBuilder.header("Content-Type", "application/json");
        }
        return requestBuilder.build();
    }

    private void sendBlocking(HttpRequest request, BiConsumer<HttpResponse<byte[]>, Throwable> onAnswer) {
        HttpResponse<byte[]> response = null;
        Throwable error = null;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            error = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = e;
        }
        onAnswer.accept(response, error);
    }
}
