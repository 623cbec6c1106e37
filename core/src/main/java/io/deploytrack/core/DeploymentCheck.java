package io.deploytrack.core;

import java.time.Duration;
import java.time.Instant;

/**
 * One check of a deployment as stored: which source follows it, where, and what it last saw.
 *
 * @param name             unique within the deployment; the {@code errorStage} when it fails
 * @param ref              the source type and reference; enough to resume in another process
 * @param status           the check's own status
 * @param startedAt        when the source says it started, or when tracking began if the source does not say
 * @param completedAt      when it ended (the source's time where it reports one)
 * @param deadlineAt       when it times out if still running (moves while waiting for approval)
 * @param lastSourceStatus the source's last word, e.g. {@code inprogress}
 * @param awaitingApproval whether the last observation was "waiting for a human"
 * @param message          the last message (a failure's reason, kubectl's message)
 * @param timeout          the rollout deadline, counted from the start or from the approval
 * @param approvalTimeout  how long it may wait for a human's approval
 * @param stage            whether it is one of the deployment's declared stages (e.g. {@code sourcebuild}, then
 *                         {@code sourcedeploy}), which run one after the other in the order of the checks; a stage
 *                         whose reference is not known yet has a reference without fields and no start time
 */
public record DeploymentCheck(String name, CheckRef ref, DeploymentStatus status, Instant startedAt,
                              Instant completedAt, Instant deadlineAt, String lastSourceStatus,
                              boolean awaitingApproval, String message, Duration timeout, Duration approvalTimeout,
                              boolean stage) {

    /** A check that is not a declared stage (a single check, or one of parallel checks). */
    public DeploymentCheck(String name, CheckRef ref, DeploymentStatus status, Instant startedAt,
                           Instant completedAt, Instant deadlineAt, String lastSourceStatus,
                           boolean awaitingApproval, String message, Duration timeout, Duration approvalTimeout) {
        this(name, ref, status, startedAt, completedAt, deadlineAt, lastSourceStatus, awaitingApproval, message,
                timeout, approvalTimeout, false);
    }

    /**
     * Whether its source follows it: true for every check but a declared stage whose reference has not arrived yet
     * (see {@link DeploymentTracker#startStage}).
     */
    public boolean isStarted() {
        return !stage || !ref.fields().isEmpty();
    }

    /** The source type, e.g. {@code ncp}. */
    public String sourceType() {
        return ref.type();
    }

    /** A copy with other progress fields. */
    public DeploymentCheck withProgress(DeploymentStatus status, Instant startedAt, Instant completedAt,
                                        Instant deadlineAt, String lastSourceStatus, boolean awaitingApproval,
                                        String message) {
        return new DeploymentCheck(name, ref, status, startedAt, completedAt, deadlineAt, lastSourceStatus,
                awaitingApproval, message, timeout, approvalTimeout, stage);
    }

    /** A copy of a stage that has just received its reference: started at {@code at}, its deadline from then. */
    public DeploymentCheck startedWith(CheckRef newRef, Instant at) {
        return new DeploymentCheck(name, newRef, status, at, completedAt, at.plus(timeout), lastSourceStatus,
                awaitingApproval, message, timeout, approvalTimeout, stage);
    }

    /** A copy with another deadline (a waiting stage's, counted again when the stage before it ended). */
    public DeploymentCheck withDeadline(Instant newDeadline) {
        return new DeploymentCheck(name, ref, status, startedAt, completedAt, newDeadline, lastSourceStatus,
                awaitingApproval, message, timeout, approvalTimeout, stage);
    }
}
