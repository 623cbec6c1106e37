package io.deploytrack.spring;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.DeploymentEvent;
import io.deploytrack.core.RollbackTarget;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deployments as JSON-ready maps with the keys of the CLI's {@code --json}: {@code id, owner, repo, environment,
 * commitSha, rollback, status, startedAt, deployedAt, completedAt, totalDurationSeconds, errorStage, errorMessage}
 * (ISO-8601 UTC times, null when unset); {@link #detail} adds {@code checks} and {@code events}. Plain maps, so any
 * JSON library (Jackson 2 on Boot 3, Jackson 3 on Boot 4) writes them alike.
 */
public final class DeploymentViews {

    private DeploymentViews() {
    }

    /**
     * One deployment.
     *
     * @param d the deployment
     * @return its keys, in the CLI's order
     */
    public static Map<String, Object> deployment(Deployment d) {
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
     * One deployment with its checks and its event log (oldest first), as {@code show --json} prints it.
     *
     * @param d      the deployment
     * @param events its events
     * @return its keys plus {@code checks} and {@code events}
     */
    public static Map<String, Object> detail(Deployment d, List<DeploymentEvent> events) {
        Map<String, Object> o = deployment(d);
        o.put("checks", d.checks().stream().map(DeploymentViews::check).toList());
        o.put("events", events.stream().map(DeploymentViews::event).toList());
        return o;
    }

    /**
     * Several deployments.
     *
     * @param all the deployments
     * @return one map each, in order
     */
    public static List<Map<String, Object>> deployments(List<Deployment> all) {
        return all.stream().map(DeploymentViews::deployment).toList();
    }

    /**
     * A check.
     *
     * @param c the check
     * @return its keys, as the CLI's {@code show --json}
     */
    public static Map<String, Object> check(DeploymentCheck c) {
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
     * An event.
     *
     * @param e the event
     * @return its keys, as the CLI's {@code show --json}
     */
    public static Map<String, Object> event(DeploymentEvent e) {
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
     * A rollback target.
     *
     * @param t the target
     * @return {@code current} and {@code target}, each a deployment
     */
    public static Map<String, Object> rollbackTarget(RollbackTarget t) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("current", deployment(t.current()));
        o.put("target", deployment(t.target()));
        return o;
    }

    private static String time(Instant t) {
        return t == null ? null : t.toString();
    }

    /** Whole seconds, rounded as the store and the CLI round them. */
    private static long seconds(Duration d) {
        return Math.round(d.toMillis() / 1000.0);
    }
}
