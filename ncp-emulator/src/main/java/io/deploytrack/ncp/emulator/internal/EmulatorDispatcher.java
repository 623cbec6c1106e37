package io.deploytrack.ncp.emulator.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deploytrack.ncp.emulator.EmulatorRequest;
import io.deploytrack.ncp.emulator.NcpFault;
import io.deploytrack.ncp.emulator.RequestKind;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Answers every request as an NCP service behind its API gateway would: faults first (they stand for
 * the gateway and the network), then the signature check, then the call itself ({@link ServiceHandler}:
 * SourceDeploy, SourceBuild or SourcePipeline, each on its own port as each has its own host). Called from
 * MockWebServer's connection threads at once: holds no lock of its own, and each request touches
 * one project or one history.
 */
public final class EmulatorDispatcher extends Dispatcher {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServiceHandler service;
    private final java.time.Clock clock;
    private final SignatureCheck signatures;
    private final FaultQueue faults;
    private final RequestLog log;
    private final boolean numericErrorCodes;
    private volatile MockWebServer server;

    /**
     * @param state             what the emulator knows
     * @param accessKey         the access key it accepts
     * @param secretKey         the secret key that signs requests
     * @param requestLogCapacity how many recent requests the log keeps
     * @param numericErrorCodes write {@code errorCode} as a Number (older docs) instead of a String
     */
    public EmulatorDispatcher(EmulatorState state, String accessKey, String secretKey, int requestLogCapacity,
                              boolean numericErrorCodes) {
        this(new DeployHandler(state), state.clock(), new SignatureCheck(accessKey, secretKey), new FaultQueue(),
                new RequestLog(requestLogCapacity), numericErrorCodes);
    }

    private EmulatorDispatcher(ServiceHandler service, java.time.Clock clock, SignatureCheck signatures,
                               FaultQueue faults, RequestLog log, boolean numericErrorCodes) {
        this.service = service;
        this.clock = clock;
        this.signatures = signatures;
        this.faults = faults;
        this.log = log;
        this.numericErrorCodes = numericErrorCodes;
    }

    /**
     * A dispatcher for SourceBuild on the same credentials, faults and request log as this one.
     *
     * @param builds what the emulator knows about builds
     * @return the dispatcher of the SourceBuild port
     */
    public EmulatorDispatcher sourceBuild(BuildState builds) {
        return new EmulatorDispatcher(new BuildHandler(builds), clock, signatures, faults, log, numericErrorCodes);
    }

    /**
     * A dispatcher for SourcePipeline on the same credentials, faults and request log as this one.
     *
     * @param pipelines what the emulator knows about pipelines
     * @return the dispatcher of the SourcePipeline port
     */
    public EmulatorDispatcher sourcePipeline(PipelineState pipelines) {
        return new EmulatorDispatcher(new PipelineHandler(pipelines), clock, signatures, faults, log, numericErrorCodes);
    }

    /**
     * Lets the dispatcher empty the server's own list of recorded requests, which otherwise grows
     * with every request for the server's whole life.
     *
     * @param server the server this dispatcher answers for
     */
    public void attach(MockWebServer server) {
        this.server = server;
    }

    /** @param fault a fault for the next matching requests */
    public void inject(NcpFault fault) {
        faults.add(fault);
    }

    /** Forgets every fault not yet applied. */
    public void clearFaults() {
        faults.clear();
    }

    /** @return how many faulted answers are still to come */
    public int pendingFaults() {
        return faults.pending();
    }

    /** @return the newest requests, oldest first */
    public List<EmulatorRequest> requests() {
        return log.snapshot();
    }

    /**
     * @param kind a call kind
     * @return how many requests of that kind arrived
     */
    public long count(RequestKind kind) {
        return log.count(kind);
    }

    /** @return how many requests arrived */
    public long total() {
        return log.total();
    }

    /** Empties the request log and its counters. */
    public void clearRequests() {
        log.clear();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        drainServerQueue();
        Instant now = clock.instant();
        String method = request.getMethod() == null ? "" : request.getMethod();
        String target = request.getPath() == null ? "" : request.getPath();
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        String query = q < 0 ? null : target.substring(q + 1);
        Route route = service.parse(method, path);

        NcpFault fault = faults.take(route.kind(), route.historyId());
        Long historyId = route.historyId();
        MockResponse response;
        if (fault != null && fault.type() != NcpFault.Type.SLOW) {
            response = faultResponse(fault);
        } else {
            String refusal = signatures.refusal(method, target, request.getHeader("x-ncp-apigw-timestamp"),
                    request.getHeader("x-ncp-iam-access-key"), request.getHeader("x-ncp-apigw-signature-v2"), now);
            try {
                if (refusal != null) {
                    throw ApiError.authentication(refusal);
                }
                ServiceHandler.Handled handled = service.handle(route, query, request.getBody().readUtf8());
                historyId = handled.historyId();
                response = json(200, handled.body());
            } catch (ApiError e) {
                response = error(e.httpStatus(), e.errorCode(), e.ncpMessage(), e.details());
            }
            if (fault != null) {
                response.setHeadersDelay(fault.delay().toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        int status = fault != null && fault.type() == NcpFault.Type.DISCONNECT ? 0 : responseCode(response);
        log.add(new EmulatorRequest(now, method, path, query, route.kind(), route.projectId(), historyId,
                request.getHeader("User-Agent"), request.getHeader("x-ncp-iam-access-key"), status));
        return response;
    }

    private void drainServerQueue() throws InterruptedException {
        MockWebServer s = server;
        if (s != null) {
            while (s.takeRequest(0, TimeUnit.NANOSECONDS) != null) {
                // MockWebServer keeps every request for takeRequest(); the emulator has its own log.
            }
        }
    }

    private MockResponse faultResponse(NcpFault fault) {
        return switch (fault.type()) {
            case HTTP_ERROR -> {
                MockResponse r = error(fault.httpStatus(), fault.errorCode(), fault.message(), "injected fault");
                if (fault.retryAfterHeader() != null) {
                    r.setHeader("Retry-After", fault.retryAfterHeader());
                }
                yield r;
            }
            case DISCONNECT -> new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST);
            case MALFORMED_JSON -> new MockResponse().setResponseCode(200)
                    .setHeader("Content-Type", "application/json;charset=UTF-8")
                    .setBody("{\"result\":{\"id\":17,\"status\":\"inpro");
            case SLOW -> throw new IllegalStateException("a slow fault is a delayed normal answer");
        };
    }

    private MockResponse error(int httpStatus, String code, String message, String details) {
        ObjectNode error = JSON.createObjectNode();
        if (numericErrorCodes) {
            error.put("errorCode", Integer.parseInt(code));
        } else {
            error.put("errorCode", code);
        }
        error.put("message", message);
        error.put("details", details);
        ObjectNode root = JSON.createObjectNode();
        root.set("error", error);
        return json(httpStatus, root);
    }

    private static MockResponse json(int status, ObjectNode body) {
        try {
            return new MockResponse().setResponseCode(status)
                    .setHeader("Content-Type", "application/json;charset=UTF-8")
                    .setBody(JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    private static int responseCode(MockResponse response) {
        // MockResponse keeps only the status line ("HTTP/1.1 200 OK").
        String[] parts = response.getStatus().split(" ", 3);
        return Integer.parseInt(parts[1]);
    }
}
