package io.deploytrack.kubernetes;

import java.util.Objects;

/**
 * What became of one rollout attempt (a {@link RolloutTarget}) given the latest state of its workload,
 * as decided by {@link KubernetesRollouts#evaluate(io.fabric8.kubernetes.api.model.HasMetadata, RolloutTarget)}.
 *
 * @param outcome what became of the attempt
 * @param message a message for people, kubectl's words where kubectl decides
 */
public record RolloutVerdict(Outcome outcome, String message) {

    /** What became of a rollout attempt. */
    public enum Outcome {
        /** Still rolling out, or our change not yet observed by the controller. */
        PROGRESSING(false),
        /** kubectl's rules say done, and the template runs the expected images. */
        SUCCEEDED(true),
        /** kubectl's rules say failed (e.g. progress deadline exceeded), or the images are not the expected ones. */
        FAILED(true),
        /** Another change moved the workload's generation past ours: our attempt will never finish as such. */
        SUPERSEDED(true),
        /** The workload is gone (deleted, or deleted and created again). */
        DELETED(true);

        private final boolean terminal;

        Outcome(boolean terminal) {
            this.terminal = terminal;
        }

        /** @return whether no later event can change this outcome for the same attempt */
        public boolean isTerminal() {
            return terminal;
        }
    }

    /**
     * Creates a verdict.
     *
     * @param outcome the outcome, not null
     * @param message the message, not null
     */
    public RolloutVerdict {
        Objects.requireNonNull(outcome, "outcome must not be null");
        Objects.requireNonNull(message, "message must not be null");
    }

    /** @return whether no later event can change this verdict */
    public boolean isTerminal() {
        return outcome.isTerminal();
    }
}
