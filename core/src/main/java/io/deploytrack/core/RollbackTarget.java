package io.deploytrack.core;

import java.util.List;
import java.util.Objects;

/**
 * What runs now and what to roll back to, for one project and environment.
 *
 * @param current the newest {@code success} by {@code deployedAt}
 * @param target  the newest {@code success} before it with a different commit that no later rollback went back past
 * @param skipped the newer successes passed over on the way to {@code target}, newest first, each with the rollback
 *                that left it
 */
public record RollbackTarget(Deployment current, Deployment target, List<SkippedVersion> skipped) {

    /** Validates and copies. */
    public RollbackTarget {
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(target, "target");
        skipped = List.copyOf(skipped);
    }

    /** A target that skipped nothing. */
    public static RollbackTarget of(Deployment current, Deployment target) {
        return new RollbackTarget(current, target, List.of());
    }
}
