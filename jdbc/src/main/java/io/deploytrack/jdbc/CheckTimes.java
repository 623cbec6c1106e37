package io.deploytrack.jdbc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks of a row whose recorded end is before their start: what a pushed observation with a {@code finishedAt}
 * before its {@code startedAt} left before the webhook receiver refused such pushes (the row's own start then moved to
 * the check's end, so the row alone looks healthy). Part of {@link Diagnosis}.
 */
final class CheckTimes {
    private CheckTimes() {
    }

    /** A {@link Problem.Kind#COMPLETED_BEFORE_START} for every check that ended before it started. */
    static List<Problem> endedBeforeStart(Map<Long, Diagnosis.Row> rows, Map<Long, List<Diagnosis.Check>> checks,
                                          Set<Long> endedByPush) {
        List<Problem> out = new ArrayList<>();
        for (Diagnosis.Row r : rows.values()) {
            for (Diagnosis.Check k : checks.getOrDefault(r.id(), List.of())) {
                if (k.startedAt() == null || k.completedAt() == null || !k.completedAt().isBefore(k.startedAt())) {
                    continue;
                }
                out.add(new Problem(Problem.Kind.COMPLETED_BEFORE_START, List.of(r.id()), r.label() + ": check '"
                        + k.name() + "' completed " + Texts.time(k.completedAt()) + ", "
                        + Texts.duration(Duration.between(k.completedAt(), k.startedAt())) + " before it started "
                        + Texts.time(k.startedAt()) + (endedByPush.contains(r.id())
                        ? " (its end came from a push whose finishedAt is before its startedAt)" : "")));
            }
        }
        return out;
    }
}
