package io.deploytrack.core;

/**
 * Typed callbacks, called after the store has committed the change they report. A listener that throws is logged
 * and ignored: it never breaks tracking. Callbacks run on the tracker's worker threads: return quickly and hand
 * slow work (HTTP calls) to your own executor.
 *
 * <p>{@link #onCompleted} fires exactly once per deployment across all instances sharing a store; only when a
 * process dies between the commit and the callback is it repeated (by the instance that takes the row over), so a
 * listener with outside effects should be idempotent by {@link Deployment#id()}.
 */
public interface DeploymentListener {

    /** A new deployment was recorded. */
    default void onStarted(Deployment deployment) {
    }

    /** A check saw a new source status, or the deployment's status changed. */
    default void onStatusChanged(Deployment deployment, DeploymentCheck check) {
    }

    /** The deployment reached a terminal status. */
    default void onCompleted(Deployment deployment) {
    }
}
