package io.deploytrack.core;

import java.util.concurrent.CompletableFuture;

/**
 * What {@link DeploymentTracker#track} returns: the recorded deployment and a future of its end.
 *
 * @param deployment the deployment as recorded (or as found, when the request was a repeat)
 * @param created    whether this call recorded it (false: an existing record with the same key or identity)
 * @param completion completes with the terminal deployment; completes exceptionally with
 *                   {@link TrackerClosedException} when the tracker closes first (the row stays running and the next
 *                   tracker resumes it)
 */
public record DeploymentHandle(Deployment deployment, boolean created, CompletableFuture<Deployment> completion) {

    /** The deployment's id. */
    public long id() {
        return deployment.id();
    }
}
