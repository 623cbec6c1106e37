package io.deploytrack.notify.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.support.DeploymentFields;

import java.time.Instant;

/** A deployment with the keys of the CLI's {@code --json} output. Not public API. */
public final class DeploymentJson {
    /** One mapper for the module (thread-safe once configured). */
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private DeploymentJson() {
    }

    /** {@code id, owner, repo, environment, commitSha, rollback, status, startedAt, deployedAt, completedAt,
     * totalDurationSeconds, errorStage, errorMessage} (UTC times, null when unset). */
    public static ObjectNode of(Deployment d) {
        return MAPPER.valueToTree(DeploymentFields.of(d));
    }

    /** ISO-8601 UTC, or null. */
    public static String time(Instant t) {
        return DeploymentFields.time(t);
    }
}
