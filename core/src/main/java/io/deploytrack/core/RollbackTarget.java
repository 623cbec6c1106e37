package io.deploytrack.core;

/**
 * What runs now and what to roll back to, for one project and environment.
 *
 * @param current the newest {@code success} by {@code deployedAt}
 * @param target  the newest {@code success} before it with a different commit
 */
public record RollbackTarget(Deployment current, Deployment target) {
}
