package io.deploytrack.cli.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.DeploymentEvent;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;

/**
 * The JSON of {@code --json}: a deployment is an object with exactly the keys {@code id}, {@code owner},
 * {@code repo}, {@code environment}, {@code commitSha}, {@code rollback}, {@code status}, {@code startedAt},
 * {@code deployedAt}, {@code completedAt} (ISO-8601 UTC), {@code totalDurationSeconds}, {@code errorStage},
 * {@code errorMessage}, null where unset. Not public API.
 */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }

    static ObjectNode deployment(Deployment d) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("id", d.id());
        o.put("owner", d.owner());
        o.put("repo", d.repo());
        o.put("environment", d.environment());
        o.put("commitSha", d.commitSha());
        o.put("rollback", d.rollback());
        o.put("status", d.status().word());
        o.put("startedAt", time(d.startedAt()));
        o.put("deployedAt", time(d.deployedAt()));
        o.put("completedAt", time(d.completedAt()));
        if (d.totalDuration() == null) {
            o.putNull("totalDurationSeconds");
        } else {
            o.put("totalDurationSeconds", seconds(d.totalDuration()));
        }
        o.put("errorStage", d.errorStage());
        o.put("errorMessage", d.errorMessage());
        return o;
    }

    static ArrayNode deployments(Collection<Deployment> all) {
        ArrayNode a = MAPPER.createArrayNode();
        all.forEach(d -> a.add(deployment(d)));
        return a;
    }

    static ObjectNode check(DeploymentCheck c) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("name", c.name());
        o.put("sourceType", c.sourceType());
        o.put("sourceRef", c.ref().encodeFields());
        o.put("status", c.status().word());
        o.put("startedAt", time(c.startedAt()));
        o.put("completedAt", time(c.completedAt()));
        o.put("deadlineAt", time(c.deadlineAt()));
        o.put("lastSourceStatus", c.lastSourceStatus());
        o.put("awaitingApproval", c.awaitingApproval());
        o.put("message", c.message());
        return o;
    }

    static ObjectNode event(DeploymentEvent e) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("id", e.id());
        o.put("at", time(e.at()));
        o.put("type", e.type());
        o.put("checkName", e.checkName());
        o.put("fromStatus", e.fromStatus() == null ? null : e.fromStatus().word());
        o.put("toStatus", e.toStatus() == null ? null : e.toStatus().word());
        o.put("sourceStatus", e.sourceStatus());
        o.put("message", e.message());
        return o;
    }

    /** ISO-8601 UTC, or null. */
    static String time(Instant t) {
        return t == null ? null : t.toString();
    }

    /** Whole seconds, rounded as the store rounds them. */
    static long seconds(Duration d) {
        return Math.round(d.toMillis() / 1000.0);
    }

    static String write(Object node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
