package io.deploytrack.spring;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.DeploymentEvent;
import io.deploytrack.core.support.DeploymentFields;
import io.deploytrack.core.RollbackTarget;

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
        return DeploymentFields.of(d);
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
        return DeploymentFields.ofCheck(c);
    }

    /**
     * An event.
     *
     * @param e the event
     * @return its keys, as the CLI's {@code show --json}
     */
    public static Map<String, Object> event(DeploymentEvent e) {
        return DeploymentFields.ofEvent(e);
    }

    /**
     * A rollback target.
     *
     * @param t the target
     * @return {@code current} and {@code target}, each a deployment, and {@code skipped}: the versions a later
     *         rollback went back past, each with {@code id}, {@code commitSha}, {@code leftByRollback}, {@code reason}
     */
    public static Map<String, Object> rollbackTarget(RollbackTarget t) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("current", deployment(t.current()));
        o.put("target", deployment(t.target()));
        o.put("skipped", t.skipped().stream().map(s -> {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("id", s.deployment().id());
            v.put("commitSha", s.deployment().commitSha());
            v.put("leftByRollback", s.rollback().id());
            v.put("reason", s.reason());
            return v;
        }).toList());
        return o;
    }
}
