package io.deploytrack.ncp;

import io.deploytrack.ncp.internal.HttpExecutor;
import io.deploytrack.ncp.internal.MalformedResponseException;
import io.deploytrack.ncp.internal.NcpExchange;
import io.deploytrack.ncp.internal.RequestLimiter;
import io.deploytrack.ncp.internal.Responses;
import io.deploytrack.ncp.internal.SourceDeployPaths;
import io.deploytrack.ncp.internal.SourceFailures;
import io.deploytrack.ncp.internal.UnknownStatusWords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
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
    private static final String DEFAULT_USER_AGENT = "deploytrack-ncp";

    private final NcpEndpoint endpoint;
    private final NcpCredentials credentials;
    private final Duration requestTimeout;
    /** The threads that send blocking when the builder created the HttpClient (see NcpExchange), else null. */
    private final ExecutorService senders;
    private final NcpExchange exchange;
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
        this.senders = senders;
        this.userAgent = b.userAgent;
        this.exchange = new NcpExchange(credentials, b.requestTimeout, b.clock, http, senders, b.userAgent);
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
        return call("POST", SourceDeployPaths.scenario(projectId, stageId, scenarioId) + "/deploy",
                Responses::historyId);
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
        return call("POST", SourceDeployPaths.scenario(projectId, stageId, scenarioId) + "/deploy/request",
                Responses::historyId);
    }

    /**
     * Approves a pending deployment: {@code POST /api/v1/project/{projectId}/history/{historyId}/approval/accept}.
     *
     * @param projectId positive project id
     * @param historyId positive history id
     * @return completes when NCP accepted the approval
     */
    public CompletableFuture<Void> approve(long projectId, long historyId) {
        return call("POST", SourceDeployPaths.history(projectId, historyId) + "/approval/accept", body -> {
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
        return call("GET", SourceDeployPaths.history(projectId, historyId), body -> {
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
        return call("GET", SourceDeployPaths.historyPage(projectId, pageNo, pageSize), body -> {
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
        return call("POST", SourceDeployPaths.history(projectId, historyId) + "/cancel", Responses::cancelResult);
    }

    /**
     * The {@link NcpApiException} behind a failure of one of this client's futures, unwrapping
     * {@link CompletionException} and {@link ExecutionException}.
     *
     * @param failure what {@code join()}, {@code get()} or a stage reported
     * @return the NcpApiException, or null when the failure is something else
     */
    public static NcpApiException apiException(Throwable failure) {
        Throwable t = SourceFailures.unwrap(failure);
        return t instanceof NcpApiException api ? api : null;
    }

    @Override
    public String toString() {
        return "NcpClient[endpoint=" + endpoint + ", credentials=" + credentials + ", userAgent=" + userAgent
                + ", requestTimeout=" + requestTimeout + "]";
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
        return exchange.send(service, method, pathAndQuery, endpoint.resolve(service, pathAndQuery), jsonBody, reader);
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
