package io.deploytrack.jdbc;

import java.util.List;
import java.util.Objects;

/**
 * One problem that {@link StoreMaintenance#diagnose()} found in the history.
 *
 * @param kind   what is wrong
 * @param ids    the rows involved (none for a table-wide problem)
 * @param detail what is wrong, for people
 */
public record Problem(Kind kind, List<Long> ids, String detail) {

    /** The kinds of problem, in the order they are listed. */
    public enum Kind {
        /** The same deployment recorded more than once. */
        DUPLICATE,
        /** A running row past its deadline with no live lease. */
        STALE_RUNNING,
        /** A success without {@code deployed_at}. */
        SUCCESS_MISSING_DEPLOYED_AT,
        /** A success without {@code total_duration}. */
        SUCCESS_MISSING_TOTAL_DURATION,
        /** A {@code total_duration} that its times contradict. */
        DURATION_MISMATCH,
        /** A completion (or {@code deployed_at}) before the row's start that no zone offset explains. */
        COMPLETED_BEFORE_START,
        /** A time that is UTC in a table of local times: off from its row's start by exactly the zone's offset. */
        MIXED_CLOCK,
        /** A host stage status column that still says its stage runs on a row that ended. */
        STAGE_LEFT_RUNNING,
        /** A status word deploytrack does not know. */
        UNKNOWN_STATUS,
        /** A time column that holds no time. */
        UNREADABLE_TIME,
        /** A unique index that existing rows keep from being created. */
        PENDING_CONSTRAINT;

        /** The stable word: {@code duplicate}, {@code stale_running}, ... */
        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Copies the ids. */
    public Problem {
        Objects.requireNonNull(kind, "kind");
        ids = List.copyOf(ids);
    }
}
