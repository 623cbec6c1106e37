package io.deploytrack.core.support;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.DeploymentEvent;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Deployments, checks and events as the plain key/value maps of the CLI's {@code --json} output, for every module that
 * shows them (CLI, Spring endpoint, notification payloads) so that all of them agree on keys, order and formats. Values
 * are only strings, numbers, booleans and nulls: times are ISO-8601 UTC strings and the total duration is whole
 * seconds, so any JSON library writes them alike. Each call returns a new, mutable {@link LinkedHashMap} the caller may
 * extend.
 */
public final class DeploymentFields {

    private DeploymentFields() {
    }

    /**
     * A deployment: {@code id, owner, repo, environment, commitSha, rollback, status, startedAt, deployedAt,
     * completedAt, totalDurationSeconds, errorStage, errorMessage}, in this order, null where unset.
     *
     * @param d the deployment
     * @return its fields, in the CLI's order
     */
    public static Map<String, Object> of(Deployment d) {
        Map<String, Object> o = new LinkedHashMap<>();
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
        o.put("totalDurationSeconds", d.totalDuration() == null ? null : seconds(d.totalDuration()));
        o.put("errorStage", d.errorStage());
        o.put("errorMessage", d.errorMessage());
        return o;
    }

    /**
     * A check: {@code name, sourceType, sourceRef, status, startedAt, completedAt, deadlineAt, lastSourceStatus,
     * awaitingApproval, message}, in this order, as {@code show --json} prints it.
     *
     * @param c the check
     * @return its fields
     */
    public static Map<String, Object> ofCheck(DeploymentCheck c) {
        Map<String, Object> o = new LinkedHashMap<>();
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

    /**
     * An event: {@code id, at, type, checkName, fromStatus, toStatus, sourceStatus, message}, in this order, as
     * {@code show --json} prints it.
     *
     * @param e the event
     * @return its fields
     */
    public static Map<String, Object> ofEvent(DeploymentEvent e) {
        Map<String, Object> o = new LinkedHashMap<>();
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

    /**
     * A time as the JSON output writes it.
     *
     * @param t a time, or null
     * @return ISO-8601 UTC, or null
     */
    public static String time(Instant t) {
        return t == null ? null : t.toString();
    }

    /**
     * A duration as the JSON output writes it.
     *
     * @param d a duration
     * @return whole seconds, rounded half up as the store rounds them
     */
    public static long seconds(Duration d) {
        return Math.round(d.toMillis() / 1000.0);
    }
}
