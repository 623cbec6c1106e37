package io.deploytrack.core;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a stage usually takes, from history: the median of the last successful runs of the same stage.
 *
 * @param median     the median duration of the samples
 * @param likelyMax  past this the stage runs longer than history makes likely (an overrun): the longest sample, and
 *                   at least a quarter more than the median
 * @param samples    how many successful runs the median is taken over
 * @param basis      which runs were taken: the same project and environment, or, when those are too few, wider
 */
public record ExpectedDuration(Duration median, Duration likelyMax, int samples, Basis basis) {

    /** Which runs an expected duration was taken from, narrowest first. */
    public enum Basis {
        /** The same project, environment and stage. */
        PROJECT_ENVIRONMENT,
        /** The same project and stage, every environment. */
        PROJECT,
        /** The same stage in every project and environment. */
        ALL_PROJECTS;

        /** The word shown and written in JSON, e.g. {@code project_environment}. */
        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Requires positive durations and at least one sample. */
    public ExpectedDuration {
        Objects.requireNonNull(median, "median");
        Objects.requireNonNull(likelyMax, "likelyMax");
        Objects.requireNonNull(basis, "basis");
        if (samples < 1) {
            throw new IllegalArgumentException("samples " + samples + " is not usable: expected 1 or more");
        }
    }
}
