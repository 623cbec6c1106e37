package io.deploytrack.core;

import java.time.Duration;
import java.util.Objects;

/**
 * How insights are worked out beyond the history itself.
 *
 * @param fixWindow how soon after a deployment a redeploy marked fix ({@value Insights#FIX_ATTRIBUTE}{@code =true})
 *                  must follow it to count as its fix (default 24 hours)
 * @param resolver  where commit times come from, or null: then lead time is left out
 */
public record InsightsSettings(Duration fixWindow, CommitResolver resolver) {

    /** Validates. */
    public InsightsSettings {
        Objects.requireNonNull(fixWindow, "fixWindow");
        if (fixWindow.isNegative() || fixWindow.isZero()) {
            throw new InvalidRequestException("fixWindow", "fix window " + fixWindow + " is not usable: expected more than zero");
        }
    }

    /** A fix window of 24 hours and no resolver. */
    public static InsightsSettings defaults() {
        return new InsightsSettings(Duration.ofHours(24), null);
    }

    /** A copy with this resolver (null for none). */
    public InsightsSettings withResolver(CommitResolver r) {
        return new InsightsSettings(fixWindow, r);
    }

    /** A copy with this fix window. */
    public InsightsSettings withFixWindow(Duration w) {
        return new InsightsSettings(w, resolver);
    }
}
