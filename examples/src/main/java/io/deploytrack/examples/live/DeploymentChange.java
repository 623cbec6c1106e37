package io.deploytrack.examples.live;

import io.deploytrack.core.Deployment;

import java.time.Instant;

/**
 * One change a web UI shows: a deployment started, saw a new status, or ended.
 *
 * @param kind         {@code started}, {@code status} or {@code completed}
 * @param id           the deployment
 * @param project      owner/repo
 * @param environment  the environment
 * @param commit       the short SHA
 * @param status       the deployment's status word
 * @param sourceStatus the source's last word, or null
 * @param at           when it was published
 */
public record DeploymentChange(String kind, long id, String project, String environment, String commit,
                               String status, String sourceStatus, Instant at) {

    static DeploymentChange of(String kind, Deployment d, String sourceStatus, Instant at) {
        return new DeploymentChange(kind, d.id(), d.project(), d.environment(), d.shortSha(), d.status().word(),
                sourceStatus, at);
    }

    /** The change as one line of JSON. */
    public String toJson() {
        return "{\"kind\":" + q(kind) + ",\"id\":" + id + ",\"project\":" + q(project) + ",\"environment\":"
                + q(environment) + ",\"commit\":" + q(commit) + ",\"status\":" + q(status) + ",\"sourceStatus\":"
                + q(sourceStatus) + ",\"at\":" + q(at.toString()) + "}";
    }

    private static String q(String s) {
        return s == null ? "null" : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
