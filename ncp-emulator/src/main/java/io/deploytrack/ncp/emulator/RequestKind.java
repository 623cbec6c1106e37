package io.deploytrack.ncp.emulator;

/** The SourceDeploy calls the emulator understands, used to target faults and to read the request log. */
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
    /** A path that is none of the above (answered 404). */
    UNKNOWN
}
