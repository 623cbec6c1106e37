package io.deploytrack.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One deployment as recorded: immutable, read from the store.
 *
 * @param id             the store's id
 * @param owner          GitHub owner
 * @param repo           GitHub repository
 * @param environment    e.g. {@code production}
 * @param commitSha      lower-case hex, 7 to 40 characters
 * @param rollback       whether it rolled back to an earlier version
 * @param rollbackOf     the id of the deployment it replaced, or null
 * @param idempotencyKey unique; given by the caller or derived from the first check's reference
 * @param status         its status
 * @param startedAt      when it started (the source's time where it reports one)
 * @param deployedAt     when the new version went live (success only)
 * @param completedAt    when it ended
 * @param totalDuration  {@code completedAt - startedAt}, or null while running
 * @param errorStage     the name of the check that failed or timed out, or null
 * @param errorMessage   why it failed, was cancelled or timed out, or null
 * @param checks         one per status source
 * @param attributes     free key/values
 */
public record Deployment(long id, String owner, String repo, String environment, String commitSha, boolean rollback,
                         Long rollbackOf, String idempotencyKey, DeploymentStatus status, Instant startedAt,
                         Instant deployedAt, Instant completedAt, Duration totalDuration, String errorStage,
                         String errorMessage, List<DeploymentCheck> checks, Map<String, String> attributes) {

    /** Copies the collections. */
    public Deployment {
        checks = checks == null ? List.of() : List.copyOf(checks);
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    /** {@code owner/repo}. */
    public String project() {
        return owner + "/" + repo;
    }

    /** The first seven characters of the commit SHA. */
    public String shortSha() {
        return commitSha.length() > 7 ? commitSha.substring(0, 7) : commitSha;
    }

    /** Whether it has ended. */
    public boolean isTerminal() {
        return status.isTerminal();
    }

    /** The check with this name. */
    public Optional<DeploymentCheck> check(String name) {
        return checks.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /**
     * Its declared stages in their order (e.g. {@code sourcebuild}, then {@code sourcedeploy}), each with its status
     * and times; empty for a deployment of a single check or of parallel checks.
     */
    public List<DeploymentCheck> stages() {
        return checks.stream().filter(DeploymentCheck::stage).toList();
    }

    /** A copy with other checks. */
    public Deployment withChecks(List<DeploymentCheck> newChecks) {
        return new Deployment(id, owner, repo, environment, commitSha, rollback, rollbackOf, idempotencyKey, status,
                startedAt, deployedAt, completedAt, totalDuration, errorStage, errorMessage, newChecks, attributes);
    }

    /** A copy with another id. */
    public Deployment withId(long newId) {
        return new Deployment(newId, owner, repo, environment, commitSha, rollback, rollbackOf, idempotencyKey, status,
                startedAt, deployedAt, completedAt, totalDuration, errorStage, errorMessage, checks, attributes);
    }

    /** A copy with a terminal outcome and its times. */
    public Deployment withOutcome(DeploymentStatus newStatus, Instant newStartedAt, Instant newDeployedAt,
                                  Instant newCompletedAt, String newErrorStage, String newErrorMessage) {
        Duration total = newCompletedAt == null || newStartedAt == null ? null : Duration.between(newStartedAt, newCompletedAt);
        return new Deployment(id, owner, repo, environment, commitSha, rollback, rollbackOf, idempotencyKey, newStatus,
                newStartedAt, newDeployedAt, newCompletedAt, total, newErrorStage, newErrorMessage, checks, attributes);
    }

    /** A copy with another start time (the source's). */
    public Deployment withStartedAt(Instant newStartedAt) {
        return new Deployment(id, owner, repo, environment, commitSha, rollback, rollbackOf, idempotencyKey, status,
                newStartedAt, deployedAt, completedAt, totalDuration, errorStage, errorMessage, checks, attributes);
    }
}
