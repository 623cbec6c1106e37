package io.deploytrack.ncp.emulator;

/**
 * The SourceDeploy, SourceBuild and SourcePipeline calls the emulator understands, used to target faults and to read
 * the request log.
 */
public enum RequestKind {
    /** {@code POST .../scenario/{id}/deploy}: start a deployment. */
    DEPLOY,
    /** {@code POST .../scenario/{id}/deploy/request}: start a deployment that needs an approval. */
    DEPLOY_REQUEST,
    /** {@code POST .../history/{id}/approval/accept}. */
    APPROVE,
    /** {@code GET .../history/{id}}: one deployment. */
    DETAIL,
    /** {@code GET .../history?pageNo=..&pageSize=..}: a page of a project's deployments. */
    LIST,
    /** {@code POST .../history/{id}/cancel}. */
    CANCEL,
    /** SourceBuild {@code POST /api/v1/project/{id}/build}: start a build. */
    BUILD_START,
    /** SourceBuild {@code GET /api/v1/project/{id}/history}: the project's builds (the only per-build read). */
    BUILD_HISTORY,
    /** SourceBuild {@code DELETE /api/v1/project/{id}/build} with {@code {"buildId":..}}: cancel a build. */
    BUILD_CANCEL,
    /** SourceBuild {@code GET /api/v1/project/{id}}: the build project's detail (its image). */
    BUILD_PROJECT,
    /** SourcePipeline {@code POST /api/v1/project/{id}/do}: run a pipeline. */
    PIPELINE_RUN,
    /** SourcePipeline {@code GET /api/v1/project/{id}/history}: the pipeline's runs. */
    PIPELINE_LIST,
    /** SourcePipeline {@code GET /api/v1/project/{id}/history/{historyId}}: one run with its tasks. */
    PIPELINE_DETAIL,
    /** SourcePipeline {@code POST /api/v1/project/{id}/history/{historyId}/cancel}. */
    PIPELINE_CANCEL,
    /** A path that is none of the above (answered 404). */
    UNKNOWN
}
