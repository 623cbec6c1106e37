package io.deploytrack.ncp.internal;

/**
 * The paths of the SourceDeploy calls {@code NcpClient} makes, their ids checked first: an id that is not positive,
 * or a page out of NCP's range, is refused at once with an {@link IllegalArgumentException} naming it.
 */
public final class SourceDeployPaths {
    private static final String API = "/api/v1/project/";

    private SourceDeployPaths() {
    }

    /** @return {@code /api/v1/project/{projectId}/stage/{stageId}/scenario/{scenarioId}} */
    public static String scenario(long projectId, long stageId, long scenarioId) {
        return API + positive("projectId", projectId) + "/stage/" + positive("stageId", stageId)
                + "/scenario/" + positive("scenarioId", scenarioId);
    }

    /** @return {@code /api/v1/project/{projectId}/history/{historyId}} */
    public static String history(long projectId, long historyId) {
        return API + positive("projectId", projectId) + "/history/" + positive("historyId", historyId);
    }

    /** @return {@code /api/v1/project/{projectId}/history?pageNo=..&pageSize=..} (page 1 or more, size 1 to 100) */
    public static String historyPage(long projectId, int pageNo, int pageSize) {
        positive("projectId", projectId);
        if (pageNo < 1) {
            throw new IllegalArgumentException("pageNo must be 1 or more, got " + pageNo);
        }
        if (pageSize < 1 || pageSize > 100) {
            throw new IllegalArgumentException("pageSize must be from 1 to 100 (NCP's limit), got " + pageSize);
        }
        return API + projectId + "/history?pageNo=" + pageNo + "&pageSize=" + pageSize;
    }

    private static long positive(String name, long id) {
        if (id <= 0) {
            throw new IllegalArgumentException(name + " must be a positive number, got " + id);
        }
        return id;
    }
}
