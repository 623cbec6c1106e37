package io.deploytrack.core;

import java.time.Instant;
import java.util.Objects;

/**
 * What a status source saw at one moment, translated from its own words.
 *
 * @param state        the state in deploytrack's terms
 * @param sourceStatus the source's own word (e.g. NCP {@code inprogress}); stored as the last status seen
 * @param startedAt    when the source says the deployment started, or null if it does not say
 * @param finishedAt   when the source says it ended, or null (running, or not reported)
 * @param message      a human-readable detail (kubectl's message, the reason of a failure), or null
 * @param progress     the provider's own progress while it runs (e.g. "2 of 5 targets deployed, 3rd in post-deploy"),
 *                     or null; the tracker records it as an event each time it changes
 */
public record Observation(State state, String sourceStatus, Instant startedAt, Instant finishedAt, String message,
                          String progress) {

    /** The state of a check in deploytrack's terms. */
    public enum State {
        /** Still going. */
        IN_PROGRESS(false),
        /** Waiting for a human's approval: counts against the approval deadline, not the rollout deadline. */
        AWAITING_APPROVAL(false),
        /** Done: the new version is live. */
        SUCCEEDED(true),
        /** Failed at the source. */
        FAILED(true),
        /** Cancelled at the source (or superseded by another change). */
        CANCELLED(true);

        private final boolean terminal;

        State(boolean terminal) {
            this.terminal = terminal;
        }

        /** Whether this state ends the check. */
        public boolean isTerminal() {
            return terminal;
        }

        /** The check status this state ends in, or {@link DeploymentStatus#RUNNING} when not terminal. */
        public DeploymentStatus toStatus() {
            return switch (this) {
                case SUCCEEDED -> DeploymentStatus.SUCCESS;
                case FAILED -> DeploymentStatus.FAILED;
                case CANCELLED -> DeploymentStatus.CANCELLED;
                default -> DeploymentStatus.RUNNING;
            };
        }
    }

    /** Requires a state and a source status. */
    public Observation {
        Objects.requireNonNull(state, "state");
        sourceStatus = sourceStatus == null ? state.name().toLowerCase(java.util.Locale.ROOT) : sourceStatus;
    }

    /** An observation without the provider's progress. */
    public Observation(State state, String sourceStatus, Instant startedAt, Instant finishedAt, String message) {
        this(state, sourceStatus, startedAt, finishedAt, message, null);
    }

    /** Still going. */
    public static Observation inProgress(String sourceStatus) {
        return new Observation(State.IN_PROGRESS, sourceStatus, null, null, null);
    }

    /** Waiting for approval. */
    public static Observation awaitingApproval(String sourceStatus) {
        return new Observation(State.AWAITING_APPROVAL, sourceStatus, null, null, null);
    }

    /** Succeeded. */
    public static Observation succeeded(String sourceStatus) {
        return new Observation(State.SUCCEEDED, sourceStatus, null, null, null);
    }

    /** Failed, with the reason. */
    public static Observation failed(String sourceStatus, String message) {
        return new Observation(State.FAILED, sourceStatus, null, null, message);
    }

    /** Cancelled, with the reason. */
    public static Observation cancelled(String sourceStatus, String message) {
        return new Observation(State.CANCELLED, sourceStatus, null, null, message);
    }

    /** A copy with the times the source reported. */
    public Observation withTimes(Instant startedAt, Instant finishedAt) {
        return new Observation(state, sourceStatus, startedAt, finishedAt, message, progress);
    }

    /** A copy with a message. */
    public Observation withMessage(String message) {
        return new Observation(state, sourceStatus, startedAt, finishedAt, message, progress);
    }

    /** A copy with the provider's progress (e.g. targets done). */
    public Observation withProgress(String progress) {
        return new Observation(state, sourceStatus, startedAt, finishedAt, message, progress);
    }
}
