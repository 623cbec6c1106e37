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
 * Answers every request as SourceDeploy behind its API gateway would: faults first (they stand for
 * the gateway and the network), then the signature check, then the call itself. Called from
 * MockWebServer's connection threads at once: holds no lock of its own, and each request touches
 * one project or one history.
 */
public final class EmulatorDispatcher extends Dispatcher {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API_PREFIX = "/api/v1/project/";

    private final EmulatorState state;
    private final SignatureCheck signatures;
    private final FaultQueue faults = new FaultQueue();
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
        this.state = state;
        this.signatures = new SignatureCheck(accessKey, secretKey);
        this.log = new RequestLog(requestLogCapacity);
        this.numericErrorCodes = numericErrorCodes;
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
        Instant now = state.clock().instant();
        String method = request.getMethod() == null ? "" : request.getMethod();
        String target = request.getPath() == null ? "" : request.getPath();
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        String query = q < 0 ? null : target.substring(q + 1);
        Route route = Route.parse(method, path);

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
                Handled handled = handle(route, query);
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

    private record Handled(ObjectNode body, Long historyId) {
    }

    private Handled handle(Route route, String query) {
        if (route.kind() == RequestKind.UNKNOWN) {
            throw ApiError.notFound("no such API; SourceDeploy paths start with " + API_PREFIX);
        }
        if (route.badId() != null) {
            throw ApiError.notFound("\"" + route.badId() + "\" is not an id");
        }
        long projectId = route.projectId();
        ObjectNode result = JSON.createObjectNode();
        switch (route.kind()) {
            case DEPLOY, DEPLOY_REQUEST -> {
                long id = state.deploy(projectId, route.stageId(), route.scenarioId(),
                        route.kind() == RequestKind.DEPLOY_REQUEST);
                result.put("historyId", id);
                return new Handled(wrap(result), id);
            }
            case APPROVE -> {
                state.approve(projectId, route.historyId());
                result.put("result", true);
            }
            case CANCEL -> result.put("result", state.cancel(projectId, route.historyId()));
            case DETAIL -> {
                EmulatedHistory.View view = state.view(projectId, route.historyId());
                writeDetail(result, view);
            }
            case LIST -> {
                int pageNo = pageParameter(query, "pageNo", 1, Integer.MAX_VALUE, 1);
                int pageSize = pageParameter(query, "pageSize", 1, 100, 100);
                var list = result.putArray("historyList");
                for (EmulatedHistory.View view : state.page(projectId, pageNo, pageSize)) {
                    ObjectNode item = list.addObject();
                    named(item, "project", view.project());
                    named(item, "stage", view.stage());
                    named(item, "scenario", view.scenario());
                    item.put("id", Long.toString(view.id())); // a String here, as NCP documents the list
                    item.put("startTime", view.startTime().toEpochMilli());
                    item.put("status", view.status());
                }
            }
            default -> throw new IllegalStateException("unhandled " + route.kind());
        }
        return new Handled(wrap(result), route.historyId());
    }

    private static void writeDetail(ObjectNode result, EmulatedHistory.View view) {
        named(result, "project", view.project());
        named(result, "stage", view.stage());
        named(result, "scenario", view.scenario());
        result.put("id", view.id());
        result.put("status", view.status());
        result.put("executor", view.executor());
        result.put("startTime", view.startTime().toEpochMilli());
        if (view.endTime() == null) {
            result.putNull("endTime");
        } else {
            result.put("endTime", view.endTime().toEpochMilli());
        }
        result.put("type", view.type());
        result.putObject("config");
    }

    private static void named(ObjectNode parent, String field, Project.Named named) {
        ObjectNode node = parent.putObject(field);
        node.put("id", named.id());
        node.put("name", named.name());
    }

    private static ObjectNode wrap(ObjectNode result) {
        ObjectNode root = JSON.createObjectNode();
        root.set("result", result);
        return root;
    }

    private static int pageParameter(String query, String name, int min, int max, int absent) {
        if (query == null) {
            return absent;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                String value = pair.substring(eq + 1);
                try {
                    int n = Integer.parseInt(value);
                    if (n >= min && n <= max) {
                        return n;
                    }
                } catch (NumberFormatException e) {
                    // falls through to the error below
                }
                throw ApiError.badRequest(name + " must be a number from " + min + " to " + max + ", got \"" + value + "\"");
            }
        }
        return absent;
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
