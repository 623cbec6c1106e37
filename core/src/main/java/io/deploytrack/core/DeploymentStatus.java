package io.deploytrack.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The status of a deployment (and of each of its checks), stored as its lowercase {@link #word()}.
 *
 * <p>The allowed transitions are spelled out here and nowhere else:
 * <ul>
 *   <li>{@code running} to any other status;</li>
 *   <li>{@code timed_out} to {@code success}, {@code failed} or {@code cancelled}, but only through an explicit
 *       reconcile with evidence from the source (or an operator's reasoned decision);</li>
 *   <li>nothing else: a terminal status never changes again.</li>
 * </ul>
 */
public enum DeploymentStatus {
    /** Being followed; not finished. */
    RUNNING("running"),
    /** The new version is live. */
    SUCCESS("success"),
    /** The deployment failed; {@code errorStage} names the check that failed. */
    FAILED("failed"),
    /** Cancelled at the source or by an operator. */
    CANCELLED("cancelled"),
    /** No terminal status was seen before the deadline. */
    TIMED_OUT("timed_out");

    private final String word;

    DeploymentStatus(String word) {
        this.word = word;
    }

    /** The word stored in the database and shown to people, e.g. {@code timed_out}. */
    public String word() {
        return word;
    }

    /** Whether the deployment has ended ({@code running} is the only non-terminal status). */
    public boolean isTerminal() {
        return this != RUNNING;
    }

    /**
     * Whether this status may change to {@code target}.
     *
     * @param reconcile true when the change comes from an explicit reconcile with evidence (or a manual mark with a
     *                  reason); only such a change may move a {@code timed_out} deployment on
     */
    public boolean canTransitionTo(DeploymentStatus target, boolean reconcile) {
        if (target == null || target == this || target == RUNNING) {
            return false;
        }
        return switch (this) {
            case RUNNING -> true;
            case TIMED_OUT -> reconcile && target != TIMED_OUT;
            default -> false;
        };
    }

    /**
     * Checks a transition, throwing when it is not allowed.
     *
     * @throws IllegalTransitionException naming both statuses and the rule
     */
    public void checkTransitionTo(DeploymentStatus target, boolean reconcile) {
        if (!canTransitionTo(target, reconcile)) {
            throw new IllegalTransitionException(this, target, reconcile);
        }
    }

    /**
     * Parses a stored word ({@code running}, {@code success}, {@code failed}, {@code cancelled}, {@code timed_out}).
     *
     * @throws IllegalArgumentException naming the bad value and the accepted words
     */
    public static DeploymentStatus fromWord(String word) {
        if (word != null) {
            String w = word.trim().toLowerCase(Locale.ROOT);
            for (DeploymentStatus s : values()) {
                if (s.word.equals(w)) {
                    return s;
                }
            }
        }
        throw new IllegalArgumentException("unknown deployment status '" + word + "': expected one of "
                + Arrays.stream(values()).map(DeploymentStatus::word).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return word;
    }
}
