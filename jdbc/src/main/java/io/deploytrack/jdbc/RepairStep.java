package io.deploytrack.jdbc;

import java.util.List;
import java.util.Objects;

/**
 * One change of a {@link RepairPlan}, for people: what it does to which rows.
 *
 * @param kind what kind of change
 * @param ids  the rows it changes (none for a table-wide change)
 * @param text what it does
 */
public record RepairStep(Kind kind, List<Long> ids, String text) {

    /** The kinds of change. */
    public enum Kind {
        /** Duplicates merged into the most complete row. */
        MERGE,
        /** A stale running row ended (by its source's answer, else {@code timed_out}). */
        RESOLVE,
        /** A status word written in deploytrack's spelling. */
        NORMALIZE,
        /** A missing time or duration filled from evidence. */
        FILL,
        /** A duration corrected from its times. */
        FIX,
        /** A pending unique index created. */
        CONSTRAIN;

        /** The stable word: {@code merge}, {@code resolve}, ... */
        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Copies the ids. */
    public RepairStep {
        Objects.requireNonNull(kind, "kind");
        ids = List.copyOf(ids);
    }
}
