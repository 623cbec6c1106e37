package io.deploytrack.jdbc;

import io.deploytrack.core.CheckRef;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What {@code repair} would do with a {@link Diagnosis} ({@link StoreMaintenance#plan}): merge duplicates into the
 * most complete row (the full SHA kept), resolve stale running rows (asking their source, else {@code timed_out}),
 * fill missing times from evidence only, and create the unique indexes that duplicates had kept pending. Fixed once
 * planned; {@link StoreMaintenance#apply} applies exactly these changes, each a compare-and-set.
 */
public final class RepairPlan {

    /** Duplicates merged into {@code keeper}; {@code commitSha} is the SHA it keeps (the longest of the group). */
    record Merge(long keeper, List<Long> others, String reason, String commitSha) {
    }

    /** One column set from {@code expected} (null: while it is null) to {@code value}. */
    record ColumnChange(String column, Object expected, Object value) {
    }

    /** A fill, normalisation or fix of one row: its column changes, the step's text, the event's and the result's. */
    record Fill(long id, List<ColumnChange> changes, String text, String eventText, String doneText) {
    }

    /** A stale row and the check (stored, or named by its attributes) to ask about. */
    record Stale(long id, List<Diagnosis.Check> checks) {
    }

    /**
     * An ended row whose columns name a provider's deployment, asked for its times; {@code takeStatus} when the
     * provider's answer also decides its status (a merged row, whose rows disagreed).
     */
    record Ask(long id, CheckRef ref, boolean takeStatus) {
    }

    private final Diagnosis diagnosis;
    private final Map<Long, Long> keeperOf = new HashMap<>();
    private final Map<Long, List<Long>> mergedInto = new HashMap<>();
    private final List<Ask> asks = new ArrayList<>();
    private final Set<Long> deleted = new HashSet<>();
    private final List<Merge> merges = new ArrayList<>();
    private final List<Stale> stale = new ArrayList<>();
    private final List<Fill> fills = new ArrayList<>();
    private final List<RepairStep> steps = new ArrayList<>();
    private final List<String> leftAsIs = new ArrayList<>();

    private RepairPlan(Diagnosis diagnosis) {
        this.diagnosis = diagnosis;
    }

    static RepairPlan of(Diagnosis d, RepairSources sources) {
        RepairPlan p = new RepairPlan(d);
        p.planMerges();
        p.planStale(sources);
        p.planAsks(sources);
        p.planFills();
        p.planPending();
        return p;
    }

    /** The changes, for people, in the order they are applied. */
    public List<RepairStep> steps() {
        return Collections.unmodifiableList(steps);
    }

    /** What the plan leaves as it is, and why. */
    public List<String> leftAsIs() {
        return Collections.unmodifiableList(leftAsIs);
    }

    /** The diagnosis it was planned from. */
    public Diagnosis diagnosis() {
        return diagnosis;
    }

    /** Whether there is nothing to change and nothing to report. */
    public boolean isEmpty() {
        return steps.isEmpty() && leftAsIs.isEmpty();
    }

    List<Merge> merges() {
        return merges;
    }

    List<Stale> staleRows() {
        return stale;
    }

    List<Fill> fills() {
        return fills;
    }

    List<Ask> asks() {
        return asks;
    }

    // ---------------------------------------------------------------- planning

    private void planMerges() {
        Diagnosis d = diagnosis;
        for (Diagnosis.DuplicateGroup group : d.duplicateGroups()) {
            List<Long> ids = group.ids();
            List<Diagnosis.Row> live = ids.stream().map(d.rows()::get).filter(r -> r.leaseLive(d.now())).toList();
            long keeper = ids.stream().max(Comparator.comparingLong(this::completeness)
                    .thenComparing(Comparator.comparingLong((Long id) -> id).reversed())).orElseThrow();
            List<Long> others = ids.stream().filter(id -> id != keeper).toList();
            if (live.stream().anyMatch(row -> others.contains(row.id()))) {
                leftAsIs.add("rows " + join(ids) + ": not merged while " + live.stream().map(row -> "#" + row.id()
                        + " is followed by " + row.leaseOwner() + " (lease until " + Texts.time(row.leaseUntil()) + ")")
                        .collect(Collectors.joining(", ")) + "; run repair again when it has ended");
                continue;
            }
            String sha = ids.stream().map(id -> d.rows().get(id).commitSha()).filter(s -> s != null)
                    .max(Comparator.comparingInt(String::length)).orElse(d.rows().get(keeper).commitSha());
            merges.add(new Merge(keeper, others, group.reason(), sha));
            others.forEach(id -> {
                keeperOf.put(id, keeper);
                deleted.add(id);
            });
            mergedInto.put(keeper, others);
            int checks = others.stream().mapToInt(id -> d.checks(id).size()).sum();
            int events = others.stream().mapToInt(d::eventCount).sum();
            Diagnosis.Row k = d.rows().get(keeper);
            boolean newSha = sha != null && !sha.equals(k.commitSha());
            steps.add(new RepairStep(RepairStep.Kind.MERGE, ids, "keep #" + keeper + " (the most complete: " + k.status()
                    + ", " + d.checks(keeper).size() + " checks, " + d.eventCount(keeper) + " events) and delete "
                    + others.stream().map(id -> "#" + id).collect(Collectors.joining(", ")) + " after moving their "
                    + checks + " checks and " + events + " events to it" + (newSha ? "; it keeps the full SHA " + sha : "")
                    + " (" + group.reason() + ")"));
        }
    }

    /** Terminal first, then the most filled-in fields, checks and events, then the full SHA; ties: the first. */
    private long completeness(long id) {
        Diagnosis.Row r = diagnosis.rows().get(id);
        long score = "running".equals(r.normalStatus()) ? 0 : 100_000;
        score += 1000L * (nonNull(r.deployedAt()) + nonNull(r.completedAt()) + nonNull(r.totalDuration())
                + nonNull(r.idempotencyKey()) + nonNull(r.startedAt()));
        score += 100L * (r.commitSha() != null && r.commitSha().length() == 40 ? 1 : 0);
        score += 10L * diagnosis.checks(id).size();
        score += diagnosis.eventCount(id);
        return score;
    }

    private static int nonNull(Object o) {
        return o == null ? 0 : 1;
    }

    private void planStale(RepairSources sources) {
        Diagnosis d = diagnosis;
        for (long id : d.stale()) {
            if (deleted.contains(id)) {
                continue;
            }
            Diagnosis.Row row = d.rows().get(id);
            List<Diagnosis.Check> checks = checksOf(id);
            String ask;
            if (checks.isEmpty()) {
                var named = sources.checkFor(attributesOf(id));
                if (named.isPresent()) {
                    var ref = named.get();
                    checks = List.of(new Diagnosis.Check(-id, id, 0, ref.type(), ref.type(), ref.encodeFields(),
                            "running", row.startedAt(), null, null, null));
                    ask = sources.has(ref.type()) ? "ask " + ref.type() + " (" + ref.encodeFields() + ", named by its columns)"
                            : "cannot ask " + ref.type() + " (named by its columns): " + sources.whyNot(ref.type());
                } else {
                    ask = "it has no check to follow (nothing to ask about)";
                }
            } else {
                ask = checks.stream().filter(k -> "running".equals(k.status())).map(k -> sources.has(k.sourceType())
                        ? "ask " + k.sourceType() + " about check '" + k.name() + "' (" + k.sourceRef() + ")"
                        : "cannot ask about check '" + k.name() + "': " + sources.whyNot(k.sourceType()))
                        .collect(Collectors.joining("; "));
            }
            stale.add(new Stale(id, checks));
            steps.add(new RepairStep(RepairStep.Kind.RESOLVE, List.of(id), row.label() + " is running past its deadline "
                    + Texts.time(d.deadline(row)) + ": " + ask + "; without a terminal answer it becomes timed_out"));
        }
    }

    /** The checks of a row, with those of the duplicates merged into it, in order. */
    private List<Diagnosis.Check> checksOf(long id) {
        List<Diagnosis.Check> out = new ArrayList<>(diagnosis.checks(id));
        for (long other : mergedInto.getOrDefault(id, List.of())) {
            out.addAll(diagnosis.checks(other));
        }
        return out;
    }

    /** The attributes of a row, with those of the duplicates merged into it where it has none of its own. */
    private Map<String, String> attributesOf(long id) {
        Map<String, String> out = new HashMap<>(diagnosis.rows().get(id).attributes());
        for (long other : mergedInto.getOrDefault(id, List.of())) {
            diagnosis.rows().get(other).attributes().forEach(out::putIfAbsent);
        }
        return out;
    }

    /**
     * Ended rows (success, failed) that lack a time, hold one that cannot be trusted, or were merged from rows that
     * disagree, and whose columns name a provider's deployment: the provider still has the times, so repair asks it.
     */
    private void planAsks(RepairSources sources) {
        Diagnosis d = diagnosis;
        for (Diagnosis.Row r : d.rows().values()) {
            String st = r.normalStatus();
            if (deleted.contains(r.id()) || !(st.equals("success") || st.equals("failed")) || !checksOf(r.id()).isEmpty()) {
                continue;
            }
            boolean merged = mergedInto.containsKey(r.id());
            boolean lacking = (st.equals("success") && r.deployedAt() == null) || r.completedAt() == null
                    || r.totalDuration() == null || !d.mixedClocks(r.id()).isEmpty() || d.completionImpossible(r);
            if (!merged && !lacking) {
                continue;
            }
            var named = sources.checkFor(attributesOf(r.id()));
            if (named.isEmpty()) {
                continue;
            }
            CheckRef ref = named.get();
            if (!sources.has(ref.type())) {
                leftAsIs.add("row " + r.id() + ": its columns name " + ref.type() + " (" + ref.encodeFields()
                        + "), which cannot be asked here: " + sources.whyNot(ref.type()));
                continue;
            }
            asks.add(new Ask(r.id(), ref, merged));
            steps.add(new RepairStep(RepairStep.Kind.FILL, List.of(r.id()), r.label() + ": ask " + ref.type() + " ("
                    + ref.encodeFields() + ", named by its columns) for its " + (merged ? "answer and times (the rows "
                    + "merged into it disagree)" : "times") + "; what it says replaces the row's times, and without an "
                    + "answer the evidence below is used"));
        }
    }

    private void planFills() {
        Diagnosis d = diagnosis;
        for (Diagnosis.Row r : d.rows().values()) {
            if (deleted.contains(r.id())) {
                continue;
            }
            if (!Diagnosis.STATUSES.contains(r.status())) {
                if (Diagnosis.STATUSES.contains(r.normalStatus())) {
                    add(RepairStep.Kind.NORMALIZE, r.id(), "status '" + r.status() + "' becomes '" + r.normalStatus() + "'",
                            "status '" + r.status() + "' written as '" + r.normalStatus() + "'",
                            "status '" + r.status() + "' -> '" + r.normalStatus() + "'",
                            new ColumnChange("status", r.status(), r.normalStatus()));
                } else {
                    leftAsIs.add("row " + r.id() + ": status '" + r.status() + "' is not a deploytrack status and "
                            + "nothing says which it should be; 'deploytrack mark' can end it with a reason");
                    continue;
                }
            }
            for (Diagnosis.StageLeftRunning l : d.stagesLeftRunning(r.id())) {
                String what = l.column() + " '" + l.stored() + "' becomes '" + l.word() + "' (the stage ended with its row)";
                add(RepairStep.Kind.FIX, r.id(), what, "stage column: " + l.column() + " said '" + l.stored()
                                + "' (running) on a row that ended " + l.ended().word() + "; the stage ended with its row: '"
                                + l.word() + "'", l.column() + " '" + l.stored() + "' -> '" + l.word() + "'",
                        new ColumnChange(l.column(), l.stored(), l.word()));
            }
            if (!d.mixedClocks(r.id()).isEmpty()) {
                planMixedClocks(r);
                continue;
            }
            if ("success".equals(r.normalStatus()) && (r.deployedAt() == null || r.totalDuration() == null)) {
                Diagnosis.Evidence ev = d.deployedEvidence(r);
                if (r.deployedAt() == null) {
                    if (ev == null) {
                        leftAsIs.add("row " + r.id() + ": success without deployed_at, and no completion time in the "
                                + "row, its checks or its events to take it from");
                    } else {
                        String what = "deployed_at = " + Texts.time(ev.at()) + " (from " + ev.source() + ")";
                        add(RepairStep.Kind.FILL, r.id(), what, "filled from evidence: " + what, what,
                                new ColumnChange("deployed_at", null, ev.at()));
                    }
                }
                if (r.totalDuration() == null) {
                    Instant completed = r.completedAt() != null ? r.completedAt() : ev == null ? null : ev.at();
                    if (r.startedAt() == null || completed == null) {
                        leftAsIs.add("row " + r.id() + ": success without total_duration, and no "
                                + (r.startedAt() == null ? "start" : "completion") + " time to compute it from");
                    } else if (completed.isBefore(r.startedAt())) {
                        leftAsIs.add("row " + r.id() + ": success without total_duration, but its completion "
                                + Texts.time(completed) + " is before its start " + Texts.time(r.startedAt()));
                    } else {
                        long s = seconds(r.startedAt(), completed);
                        List<ColumnChange> changes = new ArrayList<>();
                        if (r.completedAt() == null) {
                            changes.add(new ColumnChange("completed_at", null, completed));
                        }
                        changes.add(new ColumnChange("total_duration", null, s));
                        String what = "total_duration = " + s + " s (completed_at - started_at" + (r.completedAt() == null
                                ? "; completed_at = " + Texts.time(completed) + " from " + ev.source() : "") + ")";
                        add(RepairStep.Kind.FILL, r.id(), what, "filled from evidence: " + what, what,
                                changes.toArray(ColumnChange[]::new));
                    }
                }
            }
            if (r.totalDuration() != null && r.startedAt() != null && r.completedAt() != null) {
                long actual = seconds(r.startedAt(), r.completedAt());
                if (actual < 0) {
                    leftAsIs.add("row " + r.id() + ": completed " + Texts.time(r.completedAt()) + " before it started "
                            + Texts.time(r.startedAt()) + "; nothing says which time is wrong");
                } else if (Math.abs(actual - r.totalDuration()) > 1) {
                    add(RepairStep.Kind.FIX, r.id(), "total_duration " + r.totalDuration() + " s becomes " + actual
                                    + " s (completed_at - started_at)", "total_duration corrected from its times: "
                                    + r.totalDuration() + " s -> " + actual + " s",
                            "total_duration " + r.totalDuration() + " s -> " + actual + " s",
                            new ColumnChange("total_duration", r.totalDuration(), actual));
                }
            }
        }
        d.problems().stream().filter(p -> p.kind() == Problem.Kind.UNREADABLE_TIME)
                .forEach(p -> leftAsIs.add(p.detail() + "; fix them by hand"));
    }

    /**
     * A row with a UTC time in a local-time table: the time read as UTC is rewritten in the table's zone and format
     * (as every other time of the table), and what depends on it follows from it: {@code total_duration}, and a
     * success's missing {@code deployed_at}. One step, whose event says what proved the time to be UTC.
     */
    private void planMixedClocks(Diagnosis.Row r) {
        Diagnosis d = diagnosis;
        List<ColumnChange> changes = new ArrayList<>();
        List<String> what = new ArrayList<>();
        List<String> why = new ArrayList<>();
        for (Diagnosis.MixedClock m : d.mixedClocks(r.id())) {
            changes.add(new ColumnChange(m.column(), m.stored(), m.utc()));
            what.add(m.column() + " read as UTC: " + Texts.time(m.utc()) + ", written in " + m.zone().getId()
                    + " like the table's other times");
            why.add(m.explain(r.startedAt()));
        }
        Instant completion = d.trustedCompletion(r);
        if ("success".equals(r.normalStatus()) && r.deployedAt() == null && completion != null) {
            changes.add(new ColumnChange("deployed_at", null, completion));
            what.add("deployed_at = " + Texts.time(completion) + " (from its completed_at, read as UTC)");
        }
        if (completion != null) {
            long s = seconds(r.startedAt(), completion);
            if (r.totalDuration() == null || Math.abs(s - r.totalDuration()) > MixedClocks.TOLERANCE_SECONDS) {
                changes.add(new ColumnChange("total_duration", r.totalDuration(), s));
                what.add("total_duration " + (r.totalDuration() == null ? "" : r.totalDuration() + " s -> ") + s
                        + " s (from completed_at read as UTC)");
            }
        }
        String text = String.join("; ", what);
        add(RepairStep.Kind.FIX, r.id(), text, "mixed clocks: " + text + ". Evidence: " + String.join("; ", why), text,
                changes.toArray(ColumnChange[]::new));
    }

    private void add(RepairStep.Kind kind, long id, String text, String eventText, String doneText,
                     ColumnChange... changes) {
        fills.add(new Fill(id, List.of(changes), text, eventText, doneText));
        steps.add(new RepairStep(kind, List.of(id), text));
    }

    private void planPending() {
        for (Diagnosis.PendingIndex p : diagnosis.pending()) {
            steps.add(new RepairStep(RepairStep.Kind.CONSTRAIN, List.of(), "create the unique index " + p.name()
                    + (merges.isEmpty() ? "" : " once the duplicates are merged")));
        }
    }

    static long seconds(Instant from, Instant to) {
        return Math.round(Duration.between(from, to).toMillis() / 1000.0);
    }

    private static String join(List<Long> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }
}
