package io.deploytrack.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How far one stage (or check) of a deployment is, at one moment.
 *
 * @param name        the stage's name, e.g. {@code sourcebuild}
 * @param status      its status
 * @param phase       waiting, running within what history makes likely, running longer (overrun), or ended
 * @param startedAt   when it started, or null while it waits
 * @param completedAt when it ended, or null
 * @param elapsed     how long it has run (to its end once it ended); zero while it waits
 * @param expected    how long it usually takes, or null when no history has it (unknown)
 * @param percent     0 to 99 while it runs (from elapsed against the expected duration, or against its deadline when
 *                    the expected duration is unknown, and never below the provider's share of targets done); 100 only
 *                    once it really ended; 0 while it waits
 * @param targets     the provider's own progress (targets done of total), or null when it reports none
 * @param summary     what a person reads: "about 20 s left", "longer than usual, typically 45 s", ...
 */
public record StageProgress(String name, DeploymentStatus status, Phase phase, Instant startedAt, Instant completedAt,
                            Duration elapsed, ExpectedDuration expected, int percent, TargetProgress targets,
                            String summary) {

    /** Where a stage is. */
    public enum Phase {
        /** Not started: a declared stage whose reference has not arrived, or whose turn has not come. */
        WAITING,
        /** Running, within what history makes likely (or with no history). */
        RUNNING,
        /** Running longer than history makes likely: no countdown, "longer than usual". */
        OVERRUN,
        /** Ended (see the status). */
        ENDED;

        /** The word shown and written in JSON, e.g. {@code overrun}. */
        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Requires the fields every phase has. */
    public StageProgress {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(elapsed, "elapsed");
        if (percent < 0 || percent > 100 || (percent == 100) != (phase == Phase.ENDED)) {
            throw new IllegalArgumentException("percent " + percent + " is not usable in phase " + phase
                    + ": expected 100 exactly when ended, else 0 to 99");
        }
    }
}
