package io.deploytrack.ncp.emulator;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The life of one emulated deployment: status words held for a while each, then a final word.
 *
 * <pre>{@code
 * NcpScript.of(step("waiting", Duration.ofSeconds(2)),
 *              step("inprogress", Duration.ofSeconds(20)),
 *              end("success"))
 * }</pre>
 *
 * <p>A {@code pending} step waits for an approval (HTTP {@code approval/accept}) however long it
 * takes; its duration is ignored. The final word is kept forever: a terminal word (success, fail,
 * error, reject, canary_reject, canary_waiting_timeout, canceled) gives the history its
 * {@code endTime}; a non-terminal one (say {@code end("inprogress")}) makes a deployment that never
 * ends, for deadline tests. Immutable.
 *
 * @param steps the steps in order; the last one, and only the last one, is an end step
 */
public record NcpScript(List<Step> steps) {

    private static final Pattern WORD = Pattern.compile("[a-z][a-z_]*");

    /**
     * One step of a script.
     *
     * @param word     the NCP status word reported during the step
     * @param duration how long the word is reported (zero for an end step, ignored for {@code pending})
     * @param end      true for the final step, which is never left
     */
    public record Step(String word, Duration duration, boolean end) {
        /**
         * Validates the word and the duration.
         *
         * @param word     lowercase letters and underscores
         * @param duration zero or more
         * @param end      whether this is the final step
         */
        public Step {
            Objects.requireNonNull(word, "word");
            Objects.requireNonNull(duration, "duration");
            if (!WORD.matcher(word).matches()) {
                throw new IllegalArgumentException(
                        "status word must be lowercase letters and underscores, like \"inprogress\", got \"" + word + "\"");
            }
            if (duration.isNegative()) {
                throw new IllegalArgumentException("step duration must not be negative, got " + duration + " for \"" + word + "\"");
            }
            if (end && word.equals("pending")) {
                throw new IllegalArgumentException(
                        "a script cannot end in \"pending\": use step(\"pending\", ...) followed by an end step");
            }
        }

        /** @return true when the step holds until the deployment is approved */
        public boolean awaitsApproval() {
            return !end && word.equals("pending");
        }
    }

    /**
     * Validates that the script is non-empty and ends with exactly one end step.
     *
     * @param steps the steps, copied
     */
    public NcpScript {
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a script needs at least an end step, e.g. NcpScript.of(end(\"success\"))");
        }
        for (int i = 0; i < steps.size(); i++) {
            boolean last = i == steps.size() - 1;
            if (steps.get(i).end() != last) {
                throw new IllegalArgumentException(last
                        ? "the last step must be end(...), got step(\"" + steps.get(i).word() + "\", ...)"
                        : "end(\"" + steps.get(i).word() + "\") must be the last step, found at position " + (i + 1)
                                + " of " + steps.size());
            }
        }
    }

    /**
     * A script from its steps.
     *
     * @param steps steps built with {@link #step} and a final {@link #end}
     * @return the script
     */
    public static NcpScript of(Step... steps) {
        return new NcpScript(List.of(steps));
    }

    /**
     * A step that reports {@code word} for {@code duration}.
     *
     * @param word     an NCP status word, e.g. "waiting", "inprogress", "pending"
     * @param duration how long it lasts on the emulator's clock
     * @return the step
     */
    public static Step step(String word, Duration duration) {
        return new Step(word, duration, false);
    }

    /**
     * A step that waits for an approval; the same as {@code step("pending", Duration.ZERO)}.
     *
     * @return the step
     */
    public static Step awaitApproval() {
        return step("pending", Duration.ZERO);
    }

    /**
     * The final step: {@code word} is reported from then on.
     *
     * @param word the final status word, usually terminal ("success", "fail", ...)
     * @return the step
     */
    public static Step end(String word) {
        return new Step(word, Duration.ZERO, true);
    }

    /**
     * This script with an approval wait in front: what a deployment started through
     * {@code deploy/request} runs.
     *
     * @return a new script starting with {@code pending}
     */
    public NcpScript afterApproval() {
        Step[] withApproval = new Step[steps.size() + 1];
        withApproval[0] = awaitApproval();
        for (int i = 0; i < steps.size(); i++) {
            withApproval[i + 1] = steps.get(i);
        }
        return of(withApproval);
    }
}
