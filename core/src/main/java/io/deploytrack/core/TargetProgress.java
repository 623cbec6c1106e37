package io.deploytrack.core;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The provider's own progress: how many of a stage's targets (servers, pods) are done.
 *
 * @param done  targets done, 0 to {@code total}
 * @param total targets in all, 1 or more
 */
public record TargetProgress(int done, int total) {

    /** "2 of 5", "2/5": the first such pair in a provider's progress text. */
    private static final Pattern DONE_OF_TOTAL = Pattern.compile("(\\d{1,6})\\s*(?:of|/)\\s*(\\d{1,6})");

    /** Requires {@code 0 <= done <= total} and {@code total >= 1}. */
    public TargetProgress {
        if (total < 1 || done < 0 || done > total) {
            throw new IllegalArgumentException("target progress " + done + " of " + total
                    + " is not usable: expected 0 <= done <= total and total >= 1");
        }
    }

    /**
     * Reads "done of total" from the progress text a source recorded ({@link Observation#progress()}), e.g.
     * {@code "2 of 5 targets deployed"}; empty when the text has no such pair or it makes no sense (3 of 2).
     */
    public static Optional<TargetProgress> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = DONE_OF_TOTAL.matcher(text);
        if (!m.find()) {
            return Optional.empty();
        }
        int done = Integer.parseInt(m.group(1));
        int total = Integer.parseInt(m.group(2));
        return total >= 1 && done <= total ? Optional.of(new TargetProgress(done, total)) : Optional.empty();
    }

    /** {@code done * 100 / total}, rounded down. */
    public int percent() {
        return (int) ((long) done * 100 / total);
    }
}
