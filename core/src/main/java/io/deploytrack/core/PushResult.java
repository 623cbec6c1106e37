package io.deploytrack.core;

import java.util.List;

/**
 * What became of a {@link Push}.
 *
 * <p>Either way a push that reached a running check was recorded in the store before this was returned (durable).
 *
 * @param outcome       applied here, recorded for the instance that holds the deployment, or matched nothing running
 * @param deploymentIds the deployments it reached (empty for {@link Outcome#NO_RUNNING_CHECK})
 */
public record PushResult(Outcome outcome, List<Long> deploymentIds) {

    /** Copies the list. */
    public PushResult {
        deploymentIds = List.copyOf(deploymentIds);
    }

    /** Where a push went. */
    public enum Outcome {
        /** This instance holds the deployment: the observation was recorded, and this instance applies it now. */
        APPLIED,
        /**
         * Another instance holds it, or none does: the observation is recorded in the store, and the holder applies it
         * at its next tick (a second at most), or the next instance to claim the row, before it asks the row's source.
         */
        RECORDED_FOR_HOLDER,
        /** No running check matches: unknown, or already ended. Nothing was written. */
        NO_RUNNING_CHECK
    }
}
