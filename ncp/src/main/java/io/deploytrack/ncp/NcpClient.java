package io.deploytrack.ncp;

import io.deploytrack.ncp.internal.HttpExecutor;
import io.deploytrack.ncp.internal.MalformedResponseException;
import io.deploytrack.ncp.internal.RequestLimiter;
import io.deploytrack.ncp.internal.Responses;
import io.deploytrack.ncp.internal.RetryAfter;
import io.deploytrack.ncp.internal.TransportFailure;
import io.deploytrack.ncp.internal.UnknownStatusWords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * An asynchronous client of the NCP SourceDeploy API, on the JDK's {@link HttpClient}. Every
 * request is signed (API Gateway signature v2, the query included) with a timestamp from the
 * configured {@link Clock}.
 *
 * <pre>{@code
 * NcpClient ncp = NcpClient.builder().credentials(NcpCredentials.fromEnvironment()).build();
 * long historyId = ncp.startDeployment(projectId, stageId, scenarioId).join();
 * NcpHistory history = ncp.getHistory(projectId, historyId).join();
 * }</pre>
 *
 * <p>Every call returns a {@link CompletableFuture} and never blocks the caller. A call that fails
 * completes its future exceptionally with an {@link NcpApiException} (not wrapped in a
 * {@link CompletionException} for stages attached directly to the returned future); bad arguments
 * (ids that are not positive, page sizes out of range) throw {@link IllegalArgumentException}
 * at once. At most {@code maxConcurrentRequests} requests are in flight; others wait their turn
 * without holding a thread. Thread-safe; one instance serves a whole application. {@link #close()} ends the
 * threads the client created; calls after it fail with an {@link IllegalStateException}.
 */
public final class NcpClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NcpClient.class);
    private static final String API = "/api/v1/project/";
    private static final String DEFAULT_USER_AGENT = "deploytrack-ncp";

    private final NcpEndpoint endpoint;
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
    private final RequestLimiter limiter;
    private final UnknownStatusWords unknownWords = new UnknownStatusWords();
    /** The HttpClient's executor when this client created it (and so ends it), else null. */
    private final ExecutorService ownedExecutor;
    private final AtomicBoolean closed = new AtomicBoolean();

    private NcpClient(Builder b, NcpCredentials credentials, HttpClient http, ExecutorService ownedExecutor,
                      ExecutorService senders) {
        this.ownedExecutor = ownedExecutor;
        this.endpoint = b.endpoint;
        this.credentials = credentials;
        this.requestTimeout = b.requestTimeout;
        this.clock = b.clock;
        this.http = http;
        this.answers = http.executor().orElse(null);
        this.senders = senders;
        this.userAgent = b.userAgent;
        this.limiter = new RequestLimiter(b.maxConcurrentRequests);
    }

    /** @return a builder; only the credentials have no default (they come from the environment) */
    public static Builder builder() {
        return new Builder();
    }

    /** @return where requests go */
    public NcpEndpoint endpoint() {
        return endpoint;
    }

    /**
     * Starts a deployment: {@code POST /api/v1/project/{projectId}/stage/{stageId}/scenario/{scenarioId}/deploy}.
     *
     * @param projectId  positive project id
     * @param stageId    positive stage id
     * @param scenarioId positive scenario id
     * @return the new deployment's history id
     */
    public CompletableFuture<Long> startDeployment(long projectId, long stageId, long scenarioId) {
        return call("POST", scenarioPath(projectId, stageId, scenarioId) + "/deploy", Responses::historyId);
    }

    /**
     * Starts a deployment that waits for an approval ({@code pending} until approved):
     * {@code POST .../scenario/{scenarioId}/deploy/request}.
     *
     * @param projectId  positive project id
     * @param stageId    positive stage id
     * @param scenarioId positive scenario id
     * @return the new deployment's history id
     */
    public CompletableFuture<Long> requestDeployment(long projectId, long stageId, long scenarioId) {
        return call("POST", scenarioPath(projectId, stageId, scenarioId) + "/deploy/request", Responses::historyId);
    }

    /**
     * Approves a pending deployment: {@code POST /api/v1/project/{projectId}/history/{historyId}/approval/accept}.
     *
     * @param projectId positive project id
     * @param historyId positive history id
     * @return completes when NCP accepted the approval
     */
    public CompletableFuture<Void> approve(long projectId, long historyId) {
        return call("POST", historyPath(projectId, historyId) + "/approval/accept", body -> {
            Responses.acknowledgement(body);
            return null;
        });
    }

    /**
     * Reads one deployment: {@code GET /api/v1/project/{projectId}/history/{historyId}}.
     *
     * @param projectId positive project id
     * @param historyId positive history id
     * @return the deployment; an answer about another id is a MALFORMED_RESPONSE error
     */
    public CompletableFuture<NcpHistory> getHistory(long projectId, long historyId) {
        return call("GET", historyPath(projectId, historyId), body -> {
            NcpHistory history = Responses.history(body);
            if (history.id() != historyId) {
                throw new MalformedResponseException("asked for history " + historyId + ", the answer is about " + history.id());
            }
            noteUnknownStatus(history.statusWord(), history.id());
            return history;
        });
    }

    /**
     * Reads one page of a project's deployments: {@code GET /api/v1/project/{projectId}/history?pageNo=..&pageSize=..}.
     * The order of the list is not documented: look entries up by id ({@link NcpHistoryPage#find}).
     *
     * @param projectId positive project id
     * @param pageNo    page number, 1 or more
     * @param pageSize  entries per page, 1 to 100
     * @return the page
     */
    public CompletableFuture<NcpHistoryPage> listHistories(long projectId, int pageNo, int pageSize) {
        positive("projectId", projectId);
        if (pageNo < 1) {
            throw new IllegalArgumentException("pageNo must be 1 or more, got " + pageNo);
        }
        if (pageSize < 1 || pageSize > 100) {
            throw new IllegalArgumentException("pageSize must be from 1 to 100 (NCP's limit), got " + pageSize);
        }
        String path = API + projectId + "/history?pageNo=" + pageNo + "&pageSize=" + pageSize;
        return call("GET", path, body -> {
            NcpHistoryPage page = Responses.page(body, projectId, pageNo, pageSize);
            page.histories().forEach(h -> noteUnknownStatus(h.statusWord(), h.id()));
            return page;
        });
    }

    /**
     * Cancels a deployment: {@code POST /api/v1/project/{projectId}/history/{historyId}/cancel}.
     *
     * @param projectId positive project id
     * @param historyId positive history id
     * @return NCP's {@code result.result}: true when the cancel was accepted
     */
    public CompletableFuture<Boolean> cancel(long projectId, long historyId) {
        return call("POST", historyPath(projectId, historyId) + "/cancel", Responses::cancelResult);
    }

    /**
     * The {@link NcpApiException} behind a failure of one of this client's futures, unwrapping
     * {@link CompletionException} and {@link ExecutionException}.
     *
     * @param failure what {@code join()}, {@code get()} or a stage reported
     * @return the NcpApiException, or null when the failure is something else
     */
    public static NcpApiException apiException(Throwable failure) {
        Throwable t = unwrap(failure);
        return t instanceof NcpApiException api ? api : null;
    }

    @Override
    public String toString() {
        return "NcpClient[endpoint=" + endpoint + ", credentials=" + credentials + ", userAgent=" + userAgent
                + ", requestTimeout=" + requestTimeout + "]";
    }

    private static String scenarioPath(long projectId, long stageId, long scenarioId) {
        return API + positive("projectId", projectId) + "/stage/" + positive("stageId", stageId)
                + "/scenario/" + positive("scenarioId", scenarioId);
    }

    private static String historyPath(long projectId, long historyId) {
        return API + positive("projectId", projectId) + "/history/" + positive("historyId", historyId);
    }

    private static long positive(String name, long id) {
        if (id <= 0) {
            throw new IllegalArgumentException(name + " must be a positive number, got " + id);
        }
        return id;
    }

    private void noteUnknownStatus(String word, long historyId) {
        if (NcpStatus.fromWord(word).isEmpty() && unknownWords.firstSighting(word)) {
            log.warn("ncp_unknown_status status={} history_id={} note=not_in_documented_list_treated_as_not_terminal",
                    word, historyId);
        }
    }

    private <T> CompletableFuture<T> call(String method, String pathAndQuery, Function<byte[], T> reader) {
        return call(NcpEndpoint.Service.SOURCEDEPLOY, method, pathAndQuery, null, reader);
    }

    /** One signed call to {@code service}, with a JSON body or none; what {@link NcpSourceBuild} and {@link NcpSourcePipeline} send. */
    <T> CompletableFuture<T> call(NcpEndpoint.Service service, String method, String pathAndQuery, String jsonBody,
                                  Function<byte[], T> reader) {
        if (closed.get()) {
            return CompletableFuture.failedFuture(new IllegalStateException("this NcpClient is closed: "
                    + method + " " + pathAndQuery + " was not sent; build a new client"));
        }
        return limiter.submit(() -> send(service, method, pathAndQuery, jsonBody, reader));
    }

    private <T> CompletableFuture<T> send(NcpEndpoint.Service service, String method, String pathAndQuery,
                                          String jsonBody, Function<byte[], T> reader) {
        URI uri = endpoint.resolve(service, pathAndQuery);
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
        HttpRequest request = requestBuilder.build();
        long started = System.nanoTime();
        CompletableFuture<T> result = new CompletableFuture<>();
        BiConsumer<HttpResponse<byte[]>, Throwable> onAnswer = (response, error) -> {
            long elapsedMs = (System.nanoTime() - started) / 1_000_000;
            int status = response == null ? 0 : response.statusCode();
            try {
                if (error != null) {
                    throw transportFailure(service, method, pathAndQuery, uri, unwrap(error));
                }
                T value = read(service, method, pathAndQuery, response, reader);
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

    private void sendBlocking(HttpRequest request, BiConsumer<HttpResponse<byte[]>, Throwable> onAnswer) {
        HttpResponse<byte[]> response = null;
        Throwable error = null;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (java.io.IOException e) {
            error = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = e;
        }
        onAnswer.accept(response, error);
    }

    private <T> T read(NcpEndpoint.Service service, String method, String pathAndQuery, HttpResponse<byte[]> response,
                       Function<byte[], T> reader) {
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
            message.append(". Check the NCP access key (").append(credentials.maskedAccessKey())
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

    private static NcpApiException transportFailure(NcpEndpoint.Service service, String method, String pathAndQuery,
                                                    URI uri, Throwable cause) {
        return new NcpApiException(NcpApiException.Kind.TRANSPORT, service.displayName() + " " + method + " "
                + pathAndQuery + " " + TransportFailure.describe(uri, cause), 0, null, null, null, null, cause);
    }

    private static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /**
     * Closes the client: calls made afterwards fail with an {@link IllegalStateException}; calls in flight complete;
     * the threads this client created for answers end once they are done (an executor or HttpClient given to the
     * builder is the caller's to end). The JDK HttpClient's selector thread ends with the HttpClient. Idempotent.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            if (ownedExecutor != null) {
                ownedExecutor.shutdown();
            }
            if (senders != null) {
                senders.shutdown();
            }
            log.debug("ncp_client_closed endpoint={}", endpoint.baseUri());
        }
    }

    /** Configuration of an {@link NcpClient}. */
    public static final class Builder {
        private NcpEndpoint endpoint = NcpEndpoint.VPC;
        private NcpCredentials credentials;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private boolean connectTimeoutSet;
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Clock clock = Clock.systemUTC();
        private HttpClient httpClient;
        private Executor executor;
        private String userAgent = DEFAULT_USER_AGENT;
        private int maxConcurrentRequests = 64;

        private Builder() {
        }

        /**
         * @param endpoint where to send requests (default {@link NcpEndpoint#VPC})
         * @return this builder
         */
        public Builder endpoint(NcpEndpoint endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
            return this;
        }

        /**
         * @param baseUri any base URI, e.g. an emulator's; same as {@code endpoint(NcpEndpoint.of(baseUri))}
         * @return this builder
         */
        public Builder baseUri(URI baseUri) {
            return endpoint(NcpEndpoint.of(baseUri));
        }

        /**
         * @param credentials the access key and secret key (default: {@link NcpCredentials#fromEnvironment()} at build)
         * @return this builder
         */
        public Builder credentials(NcpCredentials credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            return this;
        }

        /**
         * @param timeout how long connecting may take (default 5 s); applies to the HttpClient the
         *                builder creates, not to one passed with {@link #httpClient}
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = requirePositive("connectTimeout", timeout);
            this.connectTimeoutSet = true;
            return this;
        }

        /**
         * @param timeout how long one request may take from sending to the answer's headers (default 10 s)
         * @return this builder
         */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = requirePositive("requestTimeout", timeout);
            return this;
        }

        /**
         * @param clock the clock of the signed timestamp and of {@code Retry-After} dates (default system UTC)
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @param httpClient an HttpClient to share (its own timeouts, executor and proxy apply)
         * @return this builder
         */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
            return this;
        }

        /**
         * @param executor the executor of the HttpClient the builder creates (answers are handled there); default a
         *                 few daemon threads named {@code deploytrack-ncp-http-N}, ended when idle
         * @return this builder
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * @param userAgent the {@code User-Agent} header (default "deploytrack-ncp")
         * @return this builder
         */
        public Builder userAgent(String userAgent) {
            if (userAgent == null || userAgent.isBlank() || userAgent.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new IllegalArgumentException("userAgent must be non-blank printable text, got "
                        + (userAgent == null ? "null" : "\"" + userAgent.replaceAll("\\p{Cntrl}", "?") + "\""));
            }
            this.userAgent = userAgent;
            return this;
        }

        /**
         * @param max the most requests in flight at once, 1 to 10,000 (default 64)
         * @return this builder
         */
        public Builder maxConcurrentRequests(int max) {
            if (max < 1 || max > 10_000) {
                throw new IllegalArgumentException("maxConcurrentRequests must be from 1 to 10000, got " + max);
            }
            this.maxConcurrentRequests = max;
            return this;
        }

        /**
         * @return the client
         * @throws IllegalStateException when no credentials were given and the environment has none,
         *                               or when connect timeout or executor are combined with an HttpClient
         */
        public NcpClient build() {
            if (httpClient != null && (connectTimeoutSet || executor != null)) {
                throw new IllegalStateException("connectTimeout and executor configure the HttpClient the builder "
                        + "creates; with httpClient(...) set them on that HttpClient instead");
            }
            NcpCredentials creds = credentials != null ? credentials : NcpCredentials.fromEnvironment();
            boolean own = httpClient == null && executor == null;
            ExecutorService owned = own ? HttpExecutor.internal() : null;
            HttpClient http = httpClient != null ? httpClient : newHttpClient(owned);
            // Our own client: sends block on a few named threads of ours (see NcpClient#senders).
            ExecutorService senders = own ? HttpExecutor.senders() : null;
            NcpClient client = new NcpClient(this, creds, http, owned, senders);
            log.debug("ncp_client_created endpoint={} access_key={} request_timeout_ms={} max_concurrent_requests={}",
                    endpoint.baseUri(), creds.maskedAccessKey(), requestTimeout.toMillis(), maxConcurrentRequests);
            return client;
        }

        private HttpClient newHttpClient(ExecutorService owned) {
            HttpClient.Builder b = HttpClient.newBuilder()
                    .connectTimeout(connectTimeout)
                    .followRedirects(HttpClient.Redirect.NEVER)
                    // HTTP/2 over TLS (negotiated by ALPN) multiplexes polls on few connections; over
                    // plain http (emulators, proxies) HTTP/1.1 avoids an h2c upgrade attempt per connection.
                    .version(endpoint.isSecure() ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1);
            // Bounded: the JDK's default executor is an unbounded cached pool.
            b.executor(executor != null ? executor : owned);
            return b.build();
        }

        private static Duration requirePositive(String name, Duration value) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, got " + value);
            }
            return value;
        }
    }
}
