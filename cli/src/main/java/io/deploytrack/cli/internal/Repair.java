package io.deploytrack.cli.internal;

import io.deploytrack.core.Observation;
import io.deploytrack.core.StatusSource;
import io.deploytrack.jdbc.internal.Dialect;
import io.deploytrack.jdbc.internal.LegacyAdoption;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What {@code repair} does with a {@link Diagnosis}: merge duplicates into the most complete row, resolve stale
 * running rows (asking their source, else {@code timed_out}), fill missing times from evidence only, and create the
 * unique indexes that duplicates had kept pending. Planned first; applied in one write transaction, each change a
 * compare-and-set, so a row a tracker changed meanwhile is skipped, not overwritten. Not public API.
 */
final class Repair {

    /** One change: what it is, for people, and how it is applied. */
    record Step(String kind, List<Long> ids, String text) {
    }

    private final Diagnosis d;
    private final Map<Long, Long> keeperOf = new HashMap<>();
    private final Set<Long> deleted = new HashSet<>();
    private final List<Merge> merges = new ArrayList<>();
    private final List<Long> stale = new ArrayList<>();
    private final List<Step> steps = new ArrayList<>();
    private final List<String> leftAsIs = new ArrayList<>();

    private record Merge(long keeper, List<Long> others, String reason) {
    }

    private Repair(Diagnosis d) {
        this.d = d;
    }

    /** The plan for a diagnosis; {@code sources} says which stale rows can be asked about. */
    static Repair plan(Diagnosis d, Sources sources) {
        Repair r = new Repair(d);
        r.planMerges();
        r.planStale(sources);
        r.planFills();
        r.planPending();
        return r;
    }

    List<Step> steps() {
        return steps;
    }

    List<String> leftAsIs() {
        return leftAsIs;
    }

    // ---------------------------------------------------------------- planning

    private void planMerges() {
        for (List<Long> group : d.duplicateGroups) {
            List<Diagnosis.Row> live = group.stream().map(d.rows::get).filter(this::leaseLive).toList();
            long keeper = group.stream().max(Comparator.comparingLong(this::completeness)
                    .thenComparing(Comparator.comparingLong((Long id) -> id).reversed())).orElseThrow();
            List<Long> others = group.stream().filter(id -> id != keeper).toList();
            if (live.stream().anyMatch(row -> others.contains(row.id()))) {
                leftAsIs.add("rows " + join(group) + ": not merged while " + live.stream().map(row -> "#" + row.id()
                        + " is followed by " + row.leaseOwner() + " (lease until " + Format.time(row.leaseUntil()) + ")")
                        .collect(Collectors.joining(", ")) + "; run repair again when it has ended");
                continue;
            }
            merges.add(new Merge(keeper, others, d.duplicateReasons.get(group)));
            others.forEach(id -> {
                keeperOf.put(id, keeper);
                deleted.add(id);
            });
            int checks = others.stream().mapToInt(id -> d.checks.getOrDefault(id, List.of()).size()).sum();
            int events = others.stream().mapToInt(id -> d.eventCounts.getOrDefault(id, 0)).sum();
            Diagnosis.Row k = d.rows.get(keeper);
            steps.add(new Step("merge", group, "keep #" + keeper + " (the most complete: " + k.status()
                    + ", " + d.checks.getOrDefault(keeper, List.of()).size() + " checks, "
                    + d.eventCounts.getOrDefault(keeper, 0) + " events) and delete " + others.stream()
                    .map(id -> "#" + id).collect(Collectors.joining(", ")) + " after moving their " + checks
                    + " checks and " + events + " events to it (" + d.duplicateReasons.get(group) + ")"));
        }
    }

    /** Terminal first, then the most filled-in fields, checks and events; ties go to the first recorded. */
    private long completeness(long id) {
        Diagnosis.Row r = d.rows.get(id);
        long score = "running".equals(r.normalStatus()) ? 0 : 100_000;
        score += 1000L * (nonNull(r.deployedAt()) + nonNull(r.completedAt()) + nonNull(r.totalDuration())
                + nonNull(r.idempotencyKey()) + nonNull(r.startedAt()));
        score += 10L * d.checks.getOrDefault(id, List.of()).size();
        score += d.eventCounts.getOrDefault(id, 0);
        return score;
    }

    private static int nonNull(Object o) {
        return o == null ? 0 : 1;
    }

    private boolean leaseLive(Diagnosis.Row r) {
        return r.leaseOwner() != null && r.leaseUntil() != null && r.leaseUntil().isAfter(d.now);
    }

    private void planStale(Sources sources) {
        for (long id : d.stale) {
            if (deleted.contains(id)) {
                continue;
            }
            stale.add(id);
            List<Diagnosis.Check> running = runningChecks(id);
            String ask;
            if (running.isEmpty()) {
                ask = "it has no running check to ask about";
            } else {
                ask = running.stream().map(k -> sources.get(k.sourceType()).isPresent()
                        ? "ask " + k.sourceType() + " about check '" + k.name() + "' (" + k.sourceRef() + ")"
                        : "cannot ask about check '" + k.name() + "': " + sources.whyNot(k.sourceType()))
                        .collect(Collectors.joining("; "));
            }
            Instant deadline = d.deadline(d.rows.get(id));
            steps.add(new Step("resolve", List.of(id), d.rows.get(id).label() + " is running past its deadline "
                    + Format.time(deadline) + ": " + ask + "; without a terminal answer it becomes timed_out"));
        }
    }

    /** The running checks of a row, with those of the duplicates merged into it. */
    private List<Diagnosis.Check> runningChecks(long id) {
        List<Diagnosis.Check> out = new ArrayList<>();
        for (Map.Entry<Long, List<Diagnosis.Check>> e : d.checks.entrySet()) {
            long owner = keeperOf.getOrDefault(e.getKey(), e.getKey());
            if (owner == id) {
                e.getValue().stream().filter(k -> "running".equals(k.status())).forEach(out::add);
            }
        }
        return out;
    }

    private void planFills() {
        for (Diagnosis.Row r : d.rows.values()) {
            if (deleted.contains(r.id())) {
                continue;
            }
            if (!Diagnosis.STATUSES.contains(r.status())) {
                if (Diagnosis.STATUSES.contains(r.normalStatus())) {
                    steps.add(new Step("normalize", List.of(r.id()), "status '" + r.status() + "' becomes '"
                            + r.normalStatus() + "'"));
                } else {
                    leftAsIs.add("row " + r.id() + ": status '" + r.status() + "' is not a deploytrack status and "
                            + "nothing says which it should be; 'deploytrack mark' can end it with a reason");
                    continue;
                }
            }
            if ("success".equals(r.normalStatus()) && (r.deployedAt() == null || r.totalDuration() == null)) {
                Diagnosis.Evidence ev = d.deployedEvidence(r);
                if (r.deployedAt() == null) {
                    if (ev == null) {
                        leftAsIs.add("row " + r.id() + ": success without deployed_at, and no completion time in the "
                                + "row, its checks or its events to take it from");
                    } else {
                        steps.add(new Step("fill", List.of(r.id()), "deployed_at = " + Format.time(ev.at())
                                + " (from " + ev.source() + ")"));
                    }
                }
                if (r.totalDuration() == null) {
                    Instant completed = r.completedAt() != null ? r.completedAt() : ev == null ? null : ev.at();
                    if (r.startedAt() == null || completed == null) {
                        leftAsIs.add("row " + r.id() + ": success without total_duration, and no "
                                + (r.startedAt() == null ? "start" : "completion") + " time to compute it from");
                    } else if (completed.isBefore(r.startedAt())) {
                        leftAsIs.add("row " + r.id() + ": success without total_duration, but its completion "
                                + Format.time(completed) + " is before its start " + Format.time(r.startedAt()));
                    } else {
                        steps.add(new Step("fill", List.of(r.id()), "total_duration = " + seconds(r.startedAt(), completed)
                                + " s (completed_at - started_at" + (r.completedAt() == null
                                ? "; completed_at = " + Format.time(completed) + " from " + ev.source() : "") + ")"));
                    }
                }
            }
            if (r.totalDuration() != null && r.startedAt() != null && r.completedAt() != null) {
                long actual = seconds(r.startedAt(), r.completedAt());
                if (actual < 0) {
                    leftAsIs.add("row " + r.id() + ": completed " + Format.time(r.completedAt()) + " before it started "
                            + Format.time(r.startedAt()) + "; nothing says which time is wrong");
                } else if (Math.abs(actual - r.totalDuration()) > 1) {
                    steps.add(new Step("fix", List.of(r.id()), "total_duration " + r.totalDuration() + " s becomes "
                            + actual + " s (completed_at - started_at)"));
                }
            }
        }
        d.problems.stream().filter(p -> p.kind().equals("unreadable_time"))
                .forEach(p -> leftAsIs.add(p.detail() + "; fix them by hand"));
    }

    private void planPending() {
        for (LegacyAdoption.PendingConstraint p : d.pending) {
            steps.add(new Step("constrain", List.of(), "create the unique index " + p.name()
                    + (merges.isEmpty() ? "" : " once the duplicates are merged")));
        }
    }

    private static long seconds(Instant from, Instant to) {
        return Math.round(Duration.between(from, to).toMillis() / 1000.0);
    }

    private static String join(List<Long> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    // ---------------------------------------------------------------- applying

    /** Outcome of a stale row after asking its sources. */
    private record Resolution(String status, Instant startedAt, Instant completedAt, String errorStage,
                              String message, Map<Long, CheckOutcome> checks) {
    }

    private record CheckOutcome(String status, Instant completedAt, String sourceStatus, String message) {
    }

    /**
     * Applies the plan: asks the sources first (outside any transaction), then writes everything in one write
     * transaction. Returns what was done, one line per change.
     */
    List<String> apply(Connection c, Dialect dialect, Sources sources, Duration sourceTimeout) throws SQLException {
        Map<Long, Resolution> resolutions = new LinkedHashMap<>();
        for (long id : stale) {
            resolutions.put(id, resolve(id, sources, sourceTimeout));
        }
        List<String> done = new ArrayList<>();
        dialect.beginWrite(c);
        try {
            for (Merge m : merges) {
                applyMerge(c, dialect, m, done);
            }
            for (Map.Entry<Long, Resolution> e : resolutions.entrySet()) {
                applyResolution(c, dialect, e.getKey(), e.getValue(), done);
            }
            applyFills(c, dialect, done);
            if (!d.pending.isEmpty()) {
                List<LegacyAdoption.PendingConstraint> still = LegacyAdoption.createPending(c, dialect);
                Set<String> left = still.stream().map(LegacyAdoption.PendingConstraint::name).collect(Collectors.toSet());
                for (LegacyAdoption.PendingConstraint p : d.pending) {
                    if (left.contains(p.name())) {
                        leftAsIs.add("unique index " + p.name() + " is still pending: " + Format.cut(
                                still.stream().filter(s -> s.name().equals(p.name())).findFirst().orElseThrow().reason(), 200));
                    } else {
                        done.add("created the unique index " + p.name());
                    }
                }
            }
            dialect.commit(c);
        } catch (SQLException | RuntimeException e) {
            dialect.rollbackQuietly(c);
            throw e;
        }
        return done;
    }

    private Resolution resolve(long id, Sources sources, Duration timeout) {
        Diagnosis.Row r = d.rows.get(id);
        Instant deadline = d.deadline(r);
        List<Diagnosis.Check> running = runningChecks(id);
        Map<Long, CheckOutcome> outcomes = new LinkedHashMap<>();
        Map<Long, Observation> answers = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        for (Diagnosis.Check k : running) {
            Optional<StatusSource> src = sources.get(k.sourceType());
            if (src.isEmpty()) {
                notes.add("check '" + k.name() + "': " + sources.whyNot(k.sourceType()));
                continue;
            }
            Sources.Answer a;
            try {
                a = Sources.ask(src.get(), k.ref(), timeout);
            } catch (RuntimeException e) {
                a = new Sources.Answer(null, e.getMessage());
            }
            if (a.observation() == null) {
                notes.add("check '" + k.name() + "': " + k.sourceType() + " could not be asked (" + a.failure() + ")");
            } else {
                answers.put(k.id(), a.observation());
                notes.add("check '" + k.name() + "': " + k.sourceType() + " says " + a.observation().sourceStatus());
            }
        }
        Diagnosis.Check failed = null;
        Diagnosis.Check cancelled = null;
        boolean allSucceeded = !running.isEmpty();
        Instant latestEnd = null;
        Instant earliestStart = null;
        for (Diagnosis.Check k : running) {
            Observation o = answers.get(k.id());
            if (o == null || !o.state().isTerminal()) {
                allSucceeded = false;
                continue;
            }
            if (o.state() == Observation.State.FAILED && failed == null) {
                failed = k;
            } else if (o.state() == Observation.State.CANCELLED && cancelled == null) {
                cancelled = k;
            } else if (o.state() != Observation.State.SUCCEEDED) {
                allSucceeded = false;
            }
            if (o.state() != Observation.State.SUCCEEDED) {
                allSucceeded = false;
            }
            if (o.finishedAt() != null && (latestEnd == null || o.finishedAt().isAfter(latestEnd))) {
                latestEnd = o.finishedAt();
            }
            if (o.startedAt() != null && (earliestStart == null || o.startedAt().isBefore(earliestStart))) {
                earliestStart = o.startedAt();
            }
        }
        String summary = String.join("; ", notes);
        if (failed != null || cancelled != null || allSucceeded) {
            Diagnosis.Check cause = failed != null ? failed : cancelled;
            String status = failed != null ? "failed" : cancelled != null ? "cancelled" : "success";
            Instant end = latestEnd != null ? latestEnd : d.now;
            for (Diagnosis.Check k : running) {
                Observation o = answers.get(k.id());
                if (o != null && o.state().isTerminal()) {
                    outcomes.put(k.id(), new CheckOutcome(o.state().toStatus().word(),
                            o.finishedAt() != null ? o.finishedAt() : end, o.sourceStatus(), o.message()));
                } else {
                    outcomes.put(k.id(), new CheckOutcome("cancelled", end, o == null ? k.lastSourceStatus() : o.sourceStatus(),
                            "not followed further: repair ended the deployment " + status));
                }
            }
            String message = cause == null ? null : Optional.ofNullable(answers.get(cause.id()).message())
                    .orElse(cause.sourceType() + " says " + answers.get(cause.id()).sourceStatus());
            Instant start = r.startedAt() == null || (earliestStart != null && earliestStart.isBefore(r.startedAt()))
                    ? earliestStart : null;
            return new Resolution(status, start, end, cause == null ? null : cause.name(), message, outcomes);
        }
        Instant end = deadline != null && deadline.isBefore(d.now) ? deadline : d.now;
        String last = running.stream().map(k -> {
            Observation o = answers.get(k.id());
            String word = o != null ? o.sourceStatus() : k.lastSourceStatus();
            return k.name() + "=" + (word == null ? "nothing seen" : word);
        }).collect(Collectors.joining(", "));
        String message = "timed out: running past its deadline " + Format.time(deadline) + " with no live lease; "
                + (running.isEmpty() ? "no check to ask a source about" : "last status seen " + last
                + (summary.isEmpty() ? "" : " (" + summary + ")")) + "; resolved by deploytrack repair";
        for (Diagnosis.Check k : running) {
            Observation o = answers.get(k.id());
            outcomes.put(k.id(), new CheckOutcome("timed_out", end, o != null ? o.sourceStatus() : k.lastSourceStatus(),
                    "timed out: resolved by deploytrack repair"));
        }
        return new Resolution("timed_out", null, end, running.isEmpty() ? null : running.get(0).name(),
                TopCommand.oneLine(message), outcomes);
    }

    private void applyMerge(Connection c, Dialect dialect, Merge m, List<String> done) throws SQLException {
        Diagnosis.Row keeper = d.rows.get(m.keeper());
        boolean keeperTerminal = !"running".equals(keeper.normalStatus());
        Set<String> names = new HashSet<>();
        int position = 0;
        for (Diagnosis.Check k : d.checks.getOrDefault(m.keeper(), List.of())) {
            names.add(k.name());
            position = Math.max(position, k.position() + 1);
        }
        String key = keeper.idempotencyKey();
        for (long other : m.others()) {
            exec(c, "UPDATE deployment_events SET deployment_id = ? WHERE deployment_id = ?", m.keeper(), other);
            for (Diagnosis.Check k : d.checks.getOrDefault(other, List.of())) {
                String name = k.name();
                if (names.contains(name)) {
                    String suffix = ":dup-" + other;
                    name = (name.length() + suffix.length() > 64 ? name.substring(0, 64 - suffix.length()) : name) + suffix;
                }
                names.add(name);
                boolean stop = keeperTerminal && "running".equals(k.status());
                exec(c, "UPDATE deployment_checks SET deployment_id = ?, position = ?, name = ? WHERE id = ?",
                        m.keeper(), (long) position++, name, k.id());
                if (stop) {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE deployment_checks SET status = 'cancelled', "
                            + "completed_at = ?, message = ? WHERE id = ?")) {
                        dialect.setInstant(ps, 1, d.now);
                        ps.setString(2, "not followed further: merged into #" + m.keeper() + " as a duplicate of it");
                        ps.setLong(3, k.id());
                        ps.executeUpdate();
                    }
                }
            }
            exec(c, "UPDATE deployment_histories SET rollback_of = ? WHERE rollback_of = ? AND id <> ?", m.keeper(), other, m.keeper());
            exec(c, "DELETE FROM deployment_histories WHERE id = ?", other);
            Diagnosis.Row o = d.rows.get(other);
            if (key == null && o.idempotencyKey() != null) {
                key = o.idempotencyKey();
                try (PreparedStatement ps = c.prepareStatement("UPDATE deployment_histories SET idempotency_key = ? "
                        + "WHERE id = ? AND idempotency_key IS NULL")) {
                    ps.setString(1, key);
                    ps.setLong(2, m.keeper());
                    ps.executeUpdate();
                }
            }
        }
        String text = "merged " + m.others().stream().map(id -> "#" + id).collect(Collectors.joining(", "))
                + " into #" + m.keeper() + " (" + m.reason() + ")";
        event(c, dialect, m.keeper(), null, null, null, null, text);
        done.add(text);
    }

    private void applyResolution(Connection c, Dialect dialect, long id, Resolution res, List<String> done)
            throws SQLException {
        Diagnosis.Row r = d.rows.get(id);
        Instant started = res.startedAt() != null ? res.startedAt() : r.startedAt();
        Long total = started == null ? null : Math.max(0, seconds(started, res.completedAt()));
        int changed;
        try (PreparedStatement ps = c.prepareStatement("UPDATE deployment_histories SET status = ?, started_at = ?, "
                + "deployed_at = ?, completed_at = ?, total_duration = ?, error_stage = ?, error_message = ?, "
                + "updated_at = ? WHERE id = ? AND status = ? AND (lease_owner IS NULL OR lease_until IS NULL "
                + "OR lease_until <= ?)")) {
            ps.setString(1, res.status());
            dialect.setInstant(ps, 2, started);
            dialect.setInstant(ps, 3, res.status().equals("success") ? res.completedAt() : null);
            dialect.setInstant(ps, 4, res.completedAt());
            if (total == null) {
                ps.setNull(5, java.sql.Types.BIGINT);
            } else {
                ps.setLong(5, total);
            }
            ps.setString(6, res.errorStage());
            ps.setString(7, res.message());
            dialect.setInstant(ps, 8, d.now);
            ps.setLong(9, id);
            ps.setString(10, r.status());
            dialect.setInstant(ps, 11, d.now);
            changed = ps.executeUpdate();
        }
        if (changed != 1) {
            leftAsIs.add("row " + id + ": changed while repair ran (a tracker took it over); not resolved");
            return;
        }
        for (Map.Entry<Long, CheckOutcome> e : res.checks().entrySet()) {
            CheckOutcome o = e.getValue();
            try (PreparedStatement ps = c.prepareStatement("UPDATE deployment_checks SET status = ?, completed_at = ?, "
                    + "last_source_status = ?, awaiting_approval = ?, message = ? WHERE id = ? AND status = 'running'")) {
                ps.setString(1, o.status());
                dialect.setInstant(ps, 2, o.completedAt());
                ps.setString(3, o.sourceStatus());
                dialect.setBoolean(ps, 4, false);
                ps.setString(5, o.message());
                ps.setLong(6, e.getKey());
                ps.executeUpdate();
            }
        }
        String text = "resolved #" + id + " " + r.label() + ": running -> " + res.status()
                + (res.message() == null ? "" : " (" + res.message() + ")");
        event(c, dialect, id, res.errorStage(), "running", res.status(), null, res.message() != null ? res.message()
                : "resolved by deploytrack repair: the source says it ended " + res.status());
        done.add(text);
    }

    private void applyFills(Connection c, Dialect dialect, List<String> done) throws SQLException {
        for (Diagnosis.Row r : d.rows.values()) {
            if (deleted.contains(r.id())) {
                continue;
            }
            if (!Diagnosis.STATUSES.contains(r.status()) && Diagnosis.STATUSES.contains(r.normalStatus())) {
                if (exec(c, "UPDATE deployment_histories SET status = ? WHERE id = ? AND status = ?",
                        r.normalStatus(), r.id(), r.status()) == 1) {
                    event(c, dialect, r.id(), null, null, null, null, "status '" + r.status() + "' written as '"
                            + r.normalStatus() + "'");
                    done.add("row " + r.id() + ": status '" + r.status() + "' -> '" + r.normalStatus() + "'");
                }
            }
            if ("success".equals(r.normalStatus()) && (r.deployedAt() == null || r.totalDuration() == null)) {
                Diagnosis.Evidence ev = d.deployedEvidence(r);
                List<String> what = new ArrayList<>();
                if (r.deployedAt() == null && ev != null) {
                    if (setTime(c, dialect, r.id(), "deployed_at", ev.at()) == 1) {
                        what.add("deployed_at = " + Format.time(ev.at()) + " (from " + ev.source() + ")");
                    }
                }
                if (r.totalDuration() == null && r.startedAt() != null) {
                    Instant completed = r.completedAt() != null ? r.completedAt() : ev == null ? null : ev.at();
                    if (completed != null && !completed.isBefore(r.startedAt())) {
                        if (r.completedAt() == null && setTime(c, dialect, r.id(), "completed_at", completed) == 1) {
                            what.add("completed_at = " + Format.time(completed) + " (from " + ev.source() + ")");
                        }
                        long s = seconds(r.startedAt(), completed);
                        if (exec(c, "UPDATE deployment_histories SET total_duration = ? WHERE id = ? AND total_duration IS NULL",
                                s, r.id()) == 1) {
                            what.add("total_duration = " + s + " s");
                        }
                    }
                }
                if (!what.isEmpty()) {
                    String text = "row " + r.id() + ": " + String.join(", ", what);
                    event(c, dialect, r.id(), null, null, null, null, "filled from evidence: " + String.join(", ", what));
                    done.add(text);
                }
            }
            if (r.totalDuration() != null && r.startedAt() != null && r.completedAt() != null) {
                long actual = seconds(r.startedAt(), r.completedAt());
                if (actual >= 0 && Math.abs(actual - r.totalDuration()) > 1
                        && exec(c, "UPDATE deployment_histories SET total_duration = ? WHERE id = ? AND total_duration = ?",
                        actual, r.id(), r.totalDuration()) == 1) {
                    String text = "row " + r.id() + ": total_duration " + r.totalDuration() + " s -> " + actual + " s";
                    event(c, dialect, r.id(), null, null, null, null, "total_duration corrected from its times: "
                            + r.totalDuration() + " s -> " + actual + " s");
                    done.add(text);
                }
            }
        }
    }

    private static int setTime(Connection c, Dialect dialect, long id, String column, Instant value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE deployment_histories SET " + column + " = ? WHERE id = ? AND "
                + column + " IS NULL")) {
            dialect.setInstant(ps, 1, value);
            ps.setLong(2, id);
            return ps.executeUpdate();
        }
    }

    private void event(Connection c, Dialect dialect, long id, String check, String from, String to, String sourceStatus,
                       String message) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO deployment_events (deployment_id, at, type, check_name, "
                + "from_status, to_status, source_status, message) VALUES (?, ?, 'repaired', ?, ?, ?, ?, ?)")) {
            ps.setLong(1, id);
            dialect.setInstant(ps, 2, d.now);
            ps.setString(3, check);
            ps.setString(4, from);
            ps.setString(5, to);
            ps.setString(6, sourceStatus);
            ps.setString(7, message == null || message.length() <= 4000 ? message : message.substring(0, 3997) + "...");
            ps.executeUpdate();
        }
    }

    private static int exec(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                if (args[i] instanceof Long l) {
                    ps.setLong(i + 1, l);
                } else {
                    ps.setString(i + 1, (String) args[i]);
                }
            }
            return ps.executeUpdate();
        }
    }
}
