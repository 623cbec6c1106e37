package io.deploytrack.core;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a store works out for insights, for one project and environment over {@code [from, to)}: every success whose
 * {@code deployedAt} falls in the window, classified with what the history up to {@code to} says about it, and the
 * count of attempts that never reached production. Every store computes the same facts (the contract test checks it);
 * {@link Insights} turns them into figures.
 *
 * <p>The rules, so that every store agrees: a success is a <em>rollback</em> when it has the rollback flag, or (the
 * rule Datadog uses, for tables whose host sets no flag) when its commit ran before in this target but not in the
 * success just before it. A rollback <em>restores</em> the newest earlier success of its commit; the first
 * non-rollback success after that restored one is the <em>change failure</em> it answers (the ones after it were built
 * on a broken base).
 *
 * @param from           the window's start (inclusive)
 * @param to             its end (exclusive); nothing at or after it is looked at
 * @param shipped        the successes deployed in the window, oldest first (by deployedAt, then id)
 * @param failedAttempts failed, cancelled and timed-out attempts started in the window (rollbacks included)
 */
public record DeliveryFacts(Instant from, Instant to, List<Shipped> shipped, int failedAttempts) {

    /** Validates and copies. */
    public DeliveryFacts {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        shipped = List.copyOf(shipped);
    }

    /**
     * One success in the window, with its neighbours in the target's history.
     *
     * @param id                  the deployment
     * @param commitSha           its commit
     * @param rollback            whether it is a rollback (flag, or the commit rule above)
     * @param fix                 whether its {@value Insights#FIX_ATTRIBUTE} attribute is {@code true}
     * @param startedAt           when it started
     * @param deployedAt          when it went live
     * @param previousCommitSha   the commit of the success just before it, null for the target's first
     * @param previousDeployedAt  when that one went live, or null
     * @param previousRollback    whether that one is a rollback
     * @param nextDeployedAt      when the success just after it went live (before {@code to}), or null
     * @param nextFix             whether that next one is a non-rollback marked fix
     * @param rolledBackAt        when the first rollback that answers it as a change failure went live, or null
     */
    public record Shipped(long id, String commitSha, boolean rollback, boolean fix, Instant startedAt,
                          Instant deployedAt, String previousCommitSha, Instant previousDeployedAt,
                          boolean previousRollback, Instant nextDeployedAt, boolean nextFix, Instant rolledBackAt) {
    }
}
