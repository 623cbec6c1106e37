package io.deploytrack.ncp.internal;

import io.deploytrack.core.CheckRef;
import io.deploytrack.core.InvalidRequestException;

import java.util.Set;

/**
 * The ids a {@code sourcebuild} check reference carries: the build project and the build.
 *
 * @param ref       the reference they came from
 * @param projectId the SourceBuild project
 * @param buildId   the build's id (SourceBuild's String id)
 */
public record BuildTarget(CheckRef ref, long projectId, String buildId) {

    /** The source type of SourceBuild references. */
    public static final String TYPE = "sourcebuild";
    /** Field of the build project id. */
    public static final String PROJECT_ID = "projectId";
    /** Field of the build id. */
    public static final String BUILD_ID = "buildId";

    private static final Set<String> KNOWN = Set.of(PROJECT_ID, BUILD_ID);

    /**
     * @param ref    a {@code sourcebuild} reference
     * @param strict whether other fields are refused
     * @return the parsed ids
     * @throws InvalidRequestException naming the field that is missing or wrong
     */
    public static BuildTarget parse(CheckRef ref, boolean strict) {
        if (ref == null || !TYPE.equals(ref.type())) {
            throw new InvalidRequestException("type", "reference " + ref + " is not a SourceBuild reference: expected "
                    + "type 'sourcebuild' (NcpBuildPollingSource.ref(projectId, buildId))");
        }
        if (strict) {
            for (String key : ref.fields().keySet()) {
                if (!KNOWN.contains(key)) {
                    throw new InvalidRequestException(key, "a SourceBuild reference has no field '" + key
                            + "': expected projectId and buildId");
                }
            }
        }
        String p = ref.fields().get(PROJECT_ID);
        long projectId;
        try {
            projectId = p == null ? -1 : Long.parseLong(p.strip());
        } catch (NumberFormatException e) {
            projectId = -1;
        }
        if (projectId <= 0) {
            throw new InvalidRequestException(PROJECT_ID, "SourceBuild projectId '" + (p == null ? "" : p)
                    + "' is not usable: expected a positive number, e.g. 14");
        }
        String buildId = ref.fields().get(BUILD_ID);
        if (buildId == null || !buildId.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new InvalidRequestException(BUILD_ID, "SourceBuild buildId '" + (buildId == null ? "" : buildId)
                    + "' is not usable: expected SourceBuild's build id, e.g. 9e681620-0000-4000-8000-47858606706c");
        }
        return new BuildTarget(ref, projectId, buildId);
    }
}
