package io.deploytrack.ncp.emulator.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One NCP service behind the emulated API gateway (SourceDeploy, SourceBuild, SourcePipeline): takes its paths apart
 * and answers them. The gateway part (faults, signature, error bodies, the request log) is {@link EmulatorDispatcher}'s.
 */
interface ServiceHandler {

    ObjectMapper JSON = new ObjectMapper();

    /** An answer body and the history it concerns (for the request log and faults), or null. */
    record Handled(ObjectNode body, Long historyId) {
    }

    /**
     * @param method the HTTP method
     * @param path   the raw path, without the query
     * @return which call it is, {@link io.deploytrack.ncp.emulator.RequestKind#UNKNOWN} when none
     */
    Route parse(String method, String path);

    /**
     * Answers a call whose signature was accepted.
     *
     * @param route what {@link #parse} made of the path
     * @param query the raw query, or null
     * @param body  the request body as text (empty when none)
     * @return the answer
     * @throws ApiError an NCP error answer
     */
    Handled handle(Route route, String query, String body);

    /** @return {@code {"result": result}}, the wrapper of every NCP answer */
    static ObjectNode wrap(ObjectNode result) {
        ObjectNode root = JSON.createObjectNode();
        root.set("result", result);
        return root;
    }
}
