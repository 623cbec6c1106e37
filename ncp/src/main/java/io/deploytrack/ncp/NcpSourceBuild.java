package io.deploytrack.ncp;

import io.deploytrack.ncp.internal.BuildResponses;
import io.deploytrack.ncp.internal.Responses;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The NCP SourceBuild calls, on an {@link NcpClient}'s credentials, signature, limits and threads, sent to the
 * endpoint's SourceBuild host ({@link NcpEndpoint#sourceBuildUri()}). Paths from the NCP API reference
 * (devtools-sourcebuild-build, -buildhistorylist, -buildcancel, -projectdetail). SourceBuild has no call that reads one
 * build: {@link #history} lists a project's builds, and a build is found in it by its id.
 *
 * <p>Every call returns a future that fails with an {@link NcpApiException} as the client's SourceDeploy calls do.
 */
public final class NcpSourceBuild {
    private static final String API = "/api/v1/project/";

    private final NcpClient client;

    private NcpSourceBuild(NcpClient client) {
        this.client = client;
    }

    /**
     * @param client the client whose credentials, limits and endpoint the calls use
     * @return the SourceBuild calls
     */
    public static NcpSourceBuild of(NcpClient client) {
        return new NcpSourceBuild(Objects.requireNonNull(client, "client"));
    }

    /** @return the client the calls go through */
    public NcpClient client() {
        return client;
    }

    /**
     * Starts a build: {@code POST /api/v1/project/{projectId}/build}, with no body (the reference documents none; an
     * override body as some pollers send is not documented).
     *
     * @param projectId the build project, positive
     * @return the new build's id
     */
    public CompletableFuture<String> startBuild(long projectId) {
        return client.call(NcpEndpoint.Service.SOURCEBUILD, "POST", API + positive(projectId) + "/build", null,
                BuildResponses::buildId);
    }

    /**
     * The builds of a project: {@code GET /api/v1/project/{projectId}/history} (no paging; the order is not
     * documented, so find a build by its id).
     *
     * @param projectId the build project, positive
     * @return its builds
     */
    public CompletableFuture<List<NcpBuild>> history(long projectId) {
        return client.call(NcpEndpoint.Service.SOURCEBUILD, "GET", API + positive(projectId) + "/history", null,
                body -> BuildResponses.history(body, projectId));
    }

    /**
     * Cancels a build: {@code DELETE /api/v1/project/{projectId}/build} with {@code {"buildId":"..."}}.
     *
     * @param projectId the build project, positive
     * @param buildId   the build
     * @return NCP's {@code result.result}
     */
    public CompletableFuture<Boolean> cancelBuild(long projectId, String buildId) {
        String body = "{\"buildId\":\"" + requireBuildId(buildId) + "\"}";
        return client.call(NcpEndpoint.Service.SOURCEBUILD, "DELETE", API + positive(projectId) + "/build", body,
                Responses::cancelResult);
    }

    /**
     * A build project's detail: {@code GET /api/v1/project/{projectId}}, read for the image it pushes.
     *
     * @param projectId the build project, positive
     * @return the project
     */
    public CompletableFuture<NcpBuildProject> project(long projectId) {
        return client.call(NcpEndpoint.Service.SOURCEBUILD, "GET", API + positive(projectId), null,
                body -> BuildResponses.project(body, projectId));
    }

    /** Checks a build id: what may go into JSON and a reference unescaped (letters, digits, '-', '_', '.'). */
    static String requireBuildId(String buildId) {
        if (buildId == null || !buildId.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("buildId must be SourceBuild's build id (letters, digits, '-', e.g. "
                    + "9e681620-0000-4000-8000-47858606706c), got "
                    + (buildId == null ? "null" : "\"" + buildId.replaceAll("\\p{Cntrl}", "?") + "\""));
        }
        return buildId;
    }

    private static long positive(long projectId) {
        if (projectId <= 0) {
            throw new IllegalArgumentException("projectId must be a positive number, got " + projectId);
        }
        return projectId;
    }

    @Override
    public String toString() {
        return "NcpSourceBuild[" + client + "]";
    }
}
