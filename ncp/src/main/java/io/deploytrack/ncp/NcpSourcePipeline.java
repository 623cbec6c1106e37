package io.deploytrack.ncp;

import io.deploytrack.ncp.internal.PipelineResponses;
import io.deploytrack.ncp.internal.Responses;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The NCP SourcePipeline calls, on an {@link NcpClient}'s credentials, signature, limits and threads, sent to the
 * endpoint's SourcePipeline host ({@link NcpEndpoint#sourcePipelineUri()}). Paths from the NCP API reference
 * (devtools-sourcepipeline-do, -projecthistorydetail, -cancel). Every call returns a future that fails with an
 * {@link NcpApiException} as the client's SourceDeploy calls do.
 */
public final class NcpSourcePipeline {
    private static final String API = "/api/v1/project/";

    private final NcpClient client;

    private NcpSourcePipeline(NcpClient client) {
        this.client = client;
    }

    /**
     * @param client the client whose credentials, limits and endpoint the calls use
     * @return the SourcePipeline calls
     */
    public static NcpSourcePipeline of(NcpClient client) {
        return new NcpSourcePipeline(Objects.requireNonNull(client, "client"));
    }

    /** @return the client the calls go through */
    public NcpClient client() {
        return client;
    }

    /**
     * Runs a pipeline: {@code POST /api/v1/project/{projectId}/do}, no body.
     *
     * @param projectId the pipeline (project), positive
     * @return the new run's history id
     */
    public CompletableFuture<Long> run(long projectId) {
        return client.call(NcpEndpoint.Service.SOURCEPIPELINE, "POST", API + positive("projectId", projectId) + "/do",
                null, PipelineResponses::historyId);
    }

    /**
     * One run with its tasks: {@code GET /api/v1/project/{projectId}/history/{historyId}}.
     *
     * @param projectId the pipeline, positive
     * @param historyId the run, positive
     * @return the run
     */
    public CompletableFuture<NcpPipelineRun> history(long projectId, long historyId) {
        return client.call(NcpEndpoint.Service.SOURCEPIPELINE, "GET", API + positive("projectId", projectId)
                + "/history/" + positive("historyId", historyId), null, body -> PipelineResponses.run(body, projectId));
    }

    /**
     * Cancels a run: {@code POST /api/v1/project/{projectId}/history/{historyId}/cancel}.
     *
     * @param projectId the pipeline, positive
     * @param historyId the run, positive
     * @return NCP's {@code result.result}
     */
    public CompletableFuture<Boolean> cancel(long projectId, long historyId) {
        return client.call(NcpEndpoint.Service.SOURCEPIPELINE, "POST", API + positive("projectId", projectId)
                + "/history/" + positive("historyId", historyId) + "/cancel", null, Responses::cancelResult);
    }

    private static long positive(String field, long id) {
        if (id <= 0) {
            throw new IllegalArgumentException(field + " must be a positive number, got " + id);
        }
        return id;
    }

    @Override
    public String toString() {
        return "NcpSourcePipeline[" + client + "]";
    }
}
