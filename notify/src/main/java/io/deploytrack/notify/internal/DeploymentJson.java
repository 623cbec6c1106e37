package io.deploytrack.notify.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deploytrack.core.Deployment;

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
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", d.id());
        n.put("owner", d.owner());
        n.put("repo", d.repo());
        n.put("environment", d.environment());
        n.put("commitSha", d.commitSha());
        n.put("rollback", d.rollback());
        n.put("status", d.status().word());
        n.put("startedAt", time(d.startedAt()));
        n.put("deployedAt", time(d.deployedAt()));
        n.put("completedAt", time(d.completedAt()));
        if (d.totalDuration() == null) {
            n.putNull("totalDurationSeconds");
        } else {
            n.put("totalDurationSeconds", Math.round(d.totalDuration().toMillis() / 1000.0));
        }
        n.put("errorStage", d.errorStage());
        n.put("errorMessage", d.errorMessage());
        return n;
    }

    /** ISO-8601 UTC, or null. */
    public static String time(Instant t) {
        return t == null ? null : t.toString();
    }
}
