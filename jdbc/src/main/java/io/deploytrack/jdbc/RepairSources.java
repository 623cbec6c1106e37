package io.deploytrack.jdbc;

import io.deploytrack.core.CheckRef;
import io.deploytrack.core.Observation;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The status sources a repair may ask about stale rows (given by its caller, e.g. the CLI from the environment).
 */
public interface RepairSources {

    /** What a source said about one check, or why it could not say. */
    record Answer(Observation observation, String failure) {
    }

    /** Whether a source of this type can be asked here. */
    boolean has(String sourceType);

    /** Why a type has no source here, for people. */
    String whyNot(String sourceType);

    /** Asks the source of {@code ref}'s type once, waiting at most {@code timeout}. */
    Answer ask(CheckRef ref, Duration timeout);

    /**
     * For a running row without checks: a check its attributes name (e.g. an NCP project and history id kept in
     * the host's columns), to ask before timing the row out. Empty by default.
     */
    default Optional<CheckRef> checkFor(Map<String, String> attributes) {
        return Optional.empty();
    }

    /** No source at all: stale rows are timed out. */
    static RepairSources none() {
        return new RepairSources() {
            @Override
            public boolean has(String sourceType) {
                return false;
            }

            @Override
            public String whyNot(String sourceType) {
                return "no status source of type '" + sourceType + "' was given";
            }

            @Override
            public Answer ask(CheckRef ref, Duration timeout) {
                return new Answer(null, whyNot(ref.type()));
            }
        };
    }
}
