package io.deploytrack.ncp.internal;

import io.deploytrack.core.CheckRef;
import io.deploytrack.core.InvalidRequestException;

import java.util.Set;

/**
 * The ids an {@code ncp} check reference carries, parsed and checked.
 *
 * @param ref        the reference they came from
 * @param projectId  the SourceDeploy project
 * @param historyId  the deployment (history) id
 * @param stageId    the stage, or null when the reference does not say
 * @param scenarioId the scenario, or null when the reference does not say
 */
public record NcpTarget(CheckRef ref, long projectId, long historyId, Long stageId, Long scenarioId) {

    /** The source type of NCP references. */
    public static final String TYPE = "ncp";
    /** Field of the project id. */
    public static final String PROJECT_ID = "projectId";
    /** Field of the history id. */
    public static final String HISTORY_ID = "historyId";
    /** Field of the stage id (optional). */
    public static final String STAGE_ID = "stageId";
    /** Field of the scenario id (optional). */
    public static final String SCENARIO_ID = "scenarioId";

    private static final Set<String> KNOWN = Set.of(PROJECT_ID, HISTORY_ID, STAGE_ID, SCENARIO_ID);

    /**
     * Parses a reference.
     *
     * @param ref    an {@code ncp} reference
     * @param strict whether fields other than the four known ones are refused (when a reference is first tracked)
     * @return the parsed ids
     * @throws InvalidRequestException naming the field that is missing or wrong
     */
    public static NcpTarget parse(CheckRef ref, boolean strict) {
        if (ref == null) {
            throw new InvalidRequestException("ref", "an NCP check needs a reference: NcpPollingSource.ref(projectId, historyId)");
        }
        if (!TYPE.equals(ref.type())) {
            throw new InvalidRequestException("type", "reference type '" + ref.type()
                    + "' is not an NCP reference: expected type 'ncp' (NcpPollingSource.ref(projectId, historyId))");
        }
        if (strict) {
            for (String key : ref.fields().keySet()) {
                if (!KNOWN.contains(key)) {
                    throw new InvalidRequestException(key, "an NCP reference has no field '" + key
                            + "': expected projectId, historyId and optionally stageId and scenarioId");
                }
            }
        }
        long projectId = required(ref, PROJECT_ID);
        long historyId = required(ref, HISTORY_ID);
        Long stageId = optional(ref, STAGE_ID);
        Long scenarioId = optional(ref, SCENARIO_ID);
        return new NcpTarget(ref, projectId, historyId, stageId, scenarioId);
    }

    /** @return the idempotency key of the deployment: {@code ncp:{projectId}:{historyId}} */
    public String idempotencyKey() {
        return key(projectId, historyId);
    }

    /**
     * @param projectId the project
     * @param historyId the history
     * @return {@code ncp:{projectId}:{historyId}}
     */
    public static String key(long projectId, long historyId) {
        return TYPE + ":" + projectId + ":" + historyId;
    }

    private static long required(CheckRef ref, String field) {
        String value = ref.fields().get(field);
        if (value == null) {
            throw new InvalidRequestException(field, "an NCP reference needs the field '" + field
                    + "' (a positive number); it has " + ref.fields().keySet());
        }
        return positive(field, value);
    }

    private static Long optional(CheckRef ref, String field) {
        String value = ref.fields().get(field);
        return value == null ? null : positive(field, value);
    }

    private static long positive(String field, String value) {
        long n;
        try {
            n = Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n <= 0) {
            throw new InvalidRequestException(field, "NCP " + field + " '" + printable(value)
                    + "' is not usable: expected a positive number, e.g. 8012");
        }
        return n;
    }

    private static String printable(String s) {
        String cut = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
