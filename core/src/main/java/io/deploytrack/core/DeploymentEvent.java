package io.deploytrack.core;

import java.time.Instant;

/**
 * One entry of the append-only log of a deployment: transitions, source statuses seen, errors, manual marks.
 *
 * @param id           the store's id (0 before it is stored)
 * @param deploymentId the deployment
 * @param at           when it happened
 * @param type         what happened: {@code started}, {@code source_status}, {@code completed}, {@code poll_error},
 *                     {@code marked}, {@code lease_taken_over}, {@code repaired}, ...
 * @param checkName    the check concerned, or null
 * @param fromStatus   the deployment's status before, or null
 * @param toStatus     the deployment's status after, or null
 * @param sourceStatus the source's word, or null
 * @param message      a detail, or null
 */
public record DeploymentEvent(long id, long deploymentId, Instant at, String type, String checkName,
                              DeploymentStatus fromStatus, DeploymentStatus toStatus, String sourceStatus,
                              String message) {

    /** A new event (id 0) for a deployment. */
    public static DeploymentEvent of(long deploymentId, Instant at, String type, String checkName,
                                     DeploymentStatus from, DeploymentStatus to, String sourceStatus, String message) {
        return new DeploymentEvent(0, deploymentId, at, type, checkName, from, to, sourceStatus, message);
    }
}
