package io.deploytrack.spring;

import io.deploytrack.core.DeploymentTracker;

/**
 * A hook for the tracker's builder: every bean of this type is called (in {@code @Order}) after the starter applied
 * the {@code deploytrack.*} properties, sources and listeners, before the tracker is built.
 */
@FunctionalInterface
public interface DeploytrackCustomizer {

    /**
     * Adjusts the builder.
     *
     * @param builder the tracker's builder
     */
    void customize(DeploymentTracker.Builder builder);
}
