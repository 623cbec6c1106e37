package io.deploytrack.cli.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.DeploymentEvent;
import io.deploytrack.core.support.DeploymentFields;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Collection;

/**
 * The JSON of {@code --json}: a deployment is an object with exactly the keys {@code id}, {@code owner},
 * {@code repo}, {@code environment}, {@code commitSha}, {@code rollback}, {@code status}, {@code startedAt},
 * {@code deployedAt}, {@code completedAt} (ISO-8601 UTC), {@code totalDurationSeconds}, {@code errorStage},
 * {@code errorMessage}, null where unset (the fields of {@link DeploymentFields}). Not public API.
 */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }

    static ObjectNode deployment(Deployment d) {
        return MAPPER.valueToTree(DeploymentFields.of(d));
    }

    static ArrayNode deployments(Collection<Deployment> all) {
        ArrayNode a = MAPPER.createArrayNode();
        all.forEach(d -> a.add(deployment(d)));
        return a;
    }

    /**
     * The declared stages in order (empty for a single or parallel check): each check's fields plus
     * {@code durationSeconds}, from its own start to its own end.
     */
    static ArrayNode stages(Deployment d) {
        ArrayNode a = MAPPER.createArrayNode();
        for (DeploymentCheck c : d.stages()) {
            ObjectNode o = check(c);
            o.put("durationSeconds", c.startedAt() == null || c.completedAt() == null ? null
                    : java.time.Duration.between(c.startedAt(), c.completedAt()).toMillis() / 1000.0);
            a.add(o);
        }
        return a;
    }

    /** A deployment and, when it declared any, its stages in order: what a tracking command prints. */
    static ObjectNode tracked(Deployment d) {
        ObjectNode o = deployment(d);
        if (!d.stages().isEmpty()) {
            o.set("stages", stages(d));
        }
        return o;
    }

    static ObjectNode check(DeploymentCheck c) {
        return MAPPER.valueToTree(DeploymentFields.ofCheck(c));
    }

    static ObjectNode event(DeploymentEvent e) {
        return MAPPER.valueToTree(DeploymentFields.ofEvent(e));
    }

    /** ISO-8601 UTC, or null. */
    static String time(Instant t) {
        return DeploymentFields.time(t);
    }

    static String write(Object node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
