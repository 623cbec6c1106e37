package io.deploytrack.jdbc;

import io.deploytrack.core.DeploymentEvent;
import io.deploytrack.core.DeploymentOutcome;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.Observation;
import io.deploytrack.jdbc.internal.Connections;
import io.deploytrack.jdbc.internal.Dialect;
import io.deploytrack.jdbc.internal.Events;
import io.deploytrack.jdbc.internal.HostMeaning;
import io.deploytrack.jdbc.internal.HostTimes;
import io.deploytrack.jdbc.internal.LegacyAdoption;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The maintenance of a store's database, as {@code deploytrack doctor} and {@code repair} do it: {@link #diagnose()}
 * reads every row and finds the problems, {@link #plan} says what repair would change, {@link #apply} changes it in
 * one write transaction (each change a compare-and-set, so a row a tracker changed meanwhile is skipped, never
 * overwritten). Obtained from {@link JdbcHistoryStore#maintenance()}.
 */
public final class StoreMaintenance {

    /**
     * What {@link #apply} did.
     *
     * @param done     one line per change made
     * @param leftAsIs what was left as it is, and why (the plan's, and what changed while repair ran)
     */
    public record RepairResult(List<String> done, List<String> leftAsIs) {
        /** Copies the lists. */
        public RepairResult {
            done = List.copyOf(done);
            leftAsIs = List.copyOf(leftAsIs);
        }
    }

    private final Connections connections;
    private final Dialect dialect;
    private final AdoptionSettings settings;
    private final HostMeaning meaning;
    private final HostTimes times;
    private final Clock clock;
    private final String description;

    StoreMaintenance(Connections connections, AdoptionSettings settings, HostTimes times, Clock clock, String description) {
        this.connections = connections;
        this.dialect = connections.dialect();
        this.settings = settings;
        this.meaning = HostMeaning.of(settings);
        this.times = times;
        this.clock = clock;
        this.description = description;
    }

    /**
     * Reads every row and finds the problems.
     *
     * @throws StoreException when the database cannot be read
     */
    public Diagnosis diagnose() {
        try {
            return connections.read(c -> Diagnosis.read(c, dialect, settings, times, clock.instant()));
        } catch (SQLException e) {
            throw new StoreException("cannot diagnose " + description + ": " + e.getMessage(), e);
        }
    }

    /** What repair would change; {@code sources} says which stale rows can be asked about (nothing is asked yet). */
    public RepairPlan plan(Diagnosis diagnosis, RepairSources sources) {
        return RepairPlan.of(diagnosis, sources);
    }

    /**
     * Applies a plan: asks the sources about stale rows first (outside any transaction), then writes everything in one
     * write transaction. Rows it ends are recorded in events and counted as notified, so no listener announces old
     * news; with {@code notify} their terminal event is a {@code completed} one and they are left for the next
     * tracker's {@code onCompleted}.
     *
     * @throws StoreException when the database cannot be written (nothing is changed then)
     */
    public RepairResult apply(RepairPlan plan, RepairSources sources, Duration sourceTimeout, boolean notify) {
        Map<Long, Resolution> resolutions = new LinkedHashMap<>();
        for (RepairPlan.Stale s : plan.staleRows()) {
            resolutions.put(s.id(), resolve(plan.diagnosis(), s, sources, sourceTimeout));
        }
        List<String> done = new ArrayList<>();
        List<String> left = new ArrayList<>(plan.leftAsIs());
        try {
            connections.write(c -> {
                Instant now = plan.diagnosis().now();
                for (RepairPlan.Merge m : plan.merges()) {
                    applyMerge(c, plan.diagnosis(), m, now, done);
                }
                for (Map.Entry<Long, Resolution> e : resolutions.entrySet()) {
                    applyResolution(c, plan.diagnosis(), e.getKey(), e.getValue(), now, notify, done, left);
                }
                for (RepairPlan.Fill f : plan.fills()) {
                    applyFill(c, f, now, done);
                }
                List<Diagnosis.PendingIndex> pending = plan.diagnosis().pending();
                if (!pending.isEmpty()) {
                    List<LegacyAdoption.PendingConstraint> still = LegacyAdoption.createPending(c, dialect);
                    Map<String, String> stillReason = still.stream().collect(Collectors.toMap(
                            LegacyAdoption.PendingConstraint::name, LegacyAdoption.PendingConstraint::reason, (a, b) -> a));
                    for (Diagnosis.PendingIndex p : pending) {
                        if (stillReason.containsKey(p.name())) {
                            left.add("unique index " + p.name() + " is still pending: " + Texts.cut(stillReason.get(p.name()), 200));
                        } else {
                            done.add("created the unique index " + p.name());
                        }
                    }
                }
                return null;
            });
        } catch (SQLException e) {
            throw new StoreException("cannot repair " + description + " (nothing was changed): " + e.getMessage(), e);
        }
        return new RepairResult(done, left);
    }

    // ---------------------------------------------------------------- resolving a stale row

    private record Resolution(DeploymentStatus status, Instant startedAt, Instant completedAt, String errorStage,
                              String message, Map<Long, CheckOutcome> checks) {
    }

    private record CheckOutcome(String name, Instant startedAt, DeploymentStatus status, Instant completedAt,
                                String sourceStatus, String message) {
    }

    /** Asks each running check's source; the one outcome rule of core decides the row's status. */
    private Resolution resolve(Diagnosis d, RepairPlan.Stale s, RepairSources sources, Duration timeout) {
        Diagnosis.Row r = d.rows().get(s.id());
        Instant deadline = d.deadline(r);
        Map<Long, Observation> answers = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        // name -> status, in the checks' order, for DeploymentOutcome; names made unique (merged duplicates)
        Map<String, DeploymentStatus> statuses = new LinkedHashMap<>();
        Map<String, Diagnosis.Check> byName = new HashMap<>();
        for (Diagnosis.Check k : s.checks()) {
            DeploymentStatus status = DeploymentStatus.fromWord(k.status());
            if ("running".equals(k.status())) {
                if (!sources.has(k.sourceType())) {
                    notes.add("check '" + k.name() + "': " + sources.whyNot(k.sourceType()));
                } else {
                    RepairSources.Answer a;
                    try {
                        a = sources.ask(k.ref(), timeout);
                    } catch (RuntimeException e) {
                        a = new RepairSources.Answer(null, e.getMessage());
                    }
                    if (a.observation() == null) {
                        notes.add("check '" + k.name() + "': " + k.sourceType() + " could not be asked (" + a.failure() + ")");
                    } else {
                        answers.put(k.id(), a.observation());
                        notes.add("check '" + k.name() + "': " + k.sourceType() + " says " + a.observation().sourceStatus());
                        if (a.observation().state().isTerminal()) {
                            status = a.observation().state().toStatus();
                        }
                    }
                }
            }
            String name = statuses.containsKey(k.name()) ? k.name() + "#" + k.id() : k.name();
            statuses.put(name, status);
            byName.put(name, k);
        }
        DeploymentOutcome outcome = DeploymentOutcome.ofStatuses(statuses);
        Instant latestEnd = null;
        Instant earliestStart = null;
        for (Observation o : answers.values()) {
            if (o.state().isTerminal() && o.finishedAt() != null && (latestEnd == null || o.finishedAt().isAfter(latestEnd))) {
                latestEnd = o.finishedAt();
            }
            if (o.startedAt() != null && (earliestStart == null || o.startedAt().isBefore(earliestStart))) {
                earliestStart = o.startedAt();
            }
        }
        Map<Long, CheckOutcome> outcomes = new LinkedHashMap<>();
        List<Diagnosis.Check> running = s.checks().stream().filter(k -> "running".equals(k.status())).toList();
        if (outcome.isDecided()) {
            Instant end = latestEnd != null ? latestEnd : d.now();
            for (Diagnosis.Check k : running) {
                Observation o = answers.get(k.id());
                if (o != null && o.state().isTerminal()) {
                    outcomes.put(k.id(), new CheckOutcome(k.name(), startOf(k, o), o.state().toStatus(),
                            o.finishedAt() != null ? o.finishedAt() : end, o.sourceStatus(), o.message()));
                } else {
                    outcomes.put(k.id(), new CheckOutcome(k.name(), startOf(k, o), DeploymentStatus.CANCELLED, end, o == null ? k.lastSourceStatus()
                            : o.sourceStatus(), "not followed further: repair ended the deployment " + outcome.status().word()));
                }
            }
            Diagnosis.Check cause = outcome.cause() == null ? null : byName.get(outcome.cause());
            String message = null;
            if (cause != null) {
                Observation o = answers.get(cause.id());
                message = o == null ? "check '" + cause.name() + "' ended " + cause.status()
                        : o.message() != null ? o.message() : cause.sourceType() + " says " + o.sourceStatus();
            }
            // A check named by the row's columns: the row takes the provider's times, as a tracker would have.
            boolean named = !running.isEmpty() && running.get(0).id() < 0;
            Instant start = named && earliestStart != null ? earliestStart
                    : r.startedAt() == null || (earliestStart != null && earliestStart.isBefore(r.startedAt()))
                    ? earliestStart : null;
            return new Resolution(outcome.status(), start, end, cause == null ? null : cause.name(), message, outcomes);
        }
        Instant end = deadline != null && deadline.isBefore(d.now()) ? deadline : d.now();
        String last = running.stream().map(k -> {
            Observation o = answers.get(k.id());
            String word = o != null ? o.sourceStatus() : k.lastSourceStatus();
            return k.name() + "=" + (word == null ? "nothing seen" : word);
        }).collect(Collectors.joining(", "));
        String summary = String.join("; ", notes);
        String message = "timed out: running past its deadline " + Texts.time(deadline) + " with no live lease; "
                + (running.isEmpty() ? "it had nothing to follow (no check to ask a source about)" : "last status seen "
                + last + (summary.isEmpty() ? "" : " (" + summary + ")")) + "; resolved by deploytrack repair";
        for (Diagnosis.Check k : running) {
            Observation o = answers.get(k.id());
            outcomes.put(k.id(), new CheckOutcome(k.name(), startOf(k, o), DeploymentStatus.TIMED_OUT, end, o != null ? o.sourceStatus()
                    : k.lastSourceStatus(), "timed out: resolved by deploytrack repair"));
        }
        return new Resolution(DeploymentStatus.TIMED_OUT, null, end, running.isEmpty() ? null : running.get(0).name(),
                message.replaceAll("\\s*\\R\\s*", " ").strip(), outcomes);
    }

    private static Instant startOf(Diagnosis.Check k, Observation o) {
        return o != null && o.startedAt() != null ? o.startedAt() : k.startedAt();
    }

    // ---------------------------------------------------------------- applying

    private void applyMerge(Connection c, Diagnosis d, RepairPlan.Merge m, Instant now, List<String> done)
            throws SQLException {
        Diagnosis.Row keeper = d.rows().get(m.keeper());
        boolean keeperTerminal = !"running".equals(keeper.normalStatus());
        Set<String> names = new HashSet<>();
        int position = 0;
        for (Diagnosis.Check k : d.checks(m.keeper())) {
            names.add(k.name());
            position = Math.max(position, k.position() + 1);
        }
        String key = keeper.idempotencyKey();
        for (long other : m.others()) {
            exec(c, "UPDATE deployment_events SET deployment_id = ? WHERE deployment_id = ?", m.keeper(), other);
            for (Diagnosis.Check k : d.checks(other)) {
                String name = k.name();
                if (names.contains(name)) {
                    String suffix = ":dup-" + other;
                    name = (name.length() + suffix.length() > 64 ? name.substring(0, 64 - suffix.length()) : name) + suffix;
                }
                names.add(name);
                exec(c, "UPDATE deployment_checks SET deployment_id = ?, position = ?, name = ? WHERE id = ?",
                        m.keeper(), (long) position++, name, k.id());
                if (keeperTerminal && "running".equals(k.status())) {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE deployment_checks SET status = 'cancelled', "
                            + "completed_at = ?, message = ? WHERE id = ?")) {
                        dialect.setInstant(ps, 1, now);
                        ps.setString(2, "not followed further: merged into #" + m.keeper() + " as a duplicate of it");
                        ps.setLong(3, k.id());
                        ps.executeUpdate();
                    }
                }
            }
            String link = meaning.rollbackColumn(); // the host's own column when mapped (rollback_from_id)
            exec(c, "UPDATE deployment_histories SET " + link + " = ? WHERE " + link + " = ? AND id <> ?", m.keeper(), other, m.keeper());
            exec(c, "DELETE FROM deployment_histories WHERE id = ?", other);
            Diagnosis.Row o = d.rows().get(other);
            if (key == null && o.idempotencyKey() != null) {
                key = o.idempotencyKey();
                exec(c, "UPDATE deployment_histories SET idempotency_key = ? WHERE id = ? AND idempotency_key IS NULL",
                        key, m.keeper());
            }
        }
        String text = "merged " + m.others().stream().map(id -> "#" + id).collect(Collectors.joining(", "))
                + " into #" + m.keeper() + " (" + m.reason() + ")";
        if (m.commitSha() != null && !m.commitSha().equals(keeper.commitSha())
                && exec(c, "UPDATE deployment_histories SET github_commit_sha = ? WHERE id = ? AND github_commit_sha = ?",
                m.commitSha(), m.keeper(), keeper.commitSha()) == 1) {
            text += "; it keeps the full SHA " + m.commitSha();
        }
        event(c, m.keeper(), "repaired", null, null, null, null, text, now);
        done.add(text);
    }

    private void applyResolution(Connection c, Diagnosis d, long id, Resolution res, Instant now, boolean notify,
                                 List<String> done, List<String> left) throws SQLException {
        Diagnosis.Row r = d.rows().get(id);
        Instant started = res.startedAt() != null ? res.startedAt() : r.startedAt();
        Long total = started == null ? null : Math.max(0, RepairPlan.seconds(started, res.completedAt()));
        int changed;
        try (PreparedStatement ps = c.prepareStatement("UPDATE deployment_histories SET status = ?, started_at = ?, "
                + "deployed_at = ?, completed_at = ?, total_duration = ?, error_stage = ?, error_message = ?, "
                + "updated_at = ?, completion_notified = ?, lease_owner = NULL, lease_until = NULL WHERE id = ? AND "
                + meaning.status("") + " = ? AND (lease_owner IS NULL OR lease_until IS NULL OR lease_until <= ?)")) {
            ps.setString(1, res.status().word());
            times.set(ps, 2, started);
            times.set(ps, 3, res.status() == DeploymentStatus.SUCCESS ? res.completedAt() : null);
            times.set(ps, 4, res.completedAt());
            if (total == null) {
                ps.setNull(5, java.sql.Types.BIGINT);
            } else {
                ps.setLong(5, total);
            }
            ps.setString(6, res.errorStage());
            ps.setString(7, res.message());
            times.set(ps, 8, now);
            dialect.setBoolean(ps, 9, !notify);
            ps.setLong(10, id);
            ps.setString(11, r.status());
            dialect.setInstant(ps, 12, now);
            changed = ps.executeUpdate();
        }
        if (changed != 1) {
            left.add("row " + id + ": changed while repair ran (a tracker took it over); not resolved");
            return;
        }
        for (Map.Entry<Long, CheckOutcome> e : res.checks().entrySet()) {
            if (e.getKey() < 0) {
                continue; // a check named by the row's columns: asked, not stored
            }
            CheckOutcome o = e.getValue();
            try (PreparedStatement ps = c.prepareStatement("UPDATE deployment_checks SET status = ?, completed_at = ?, "
                    + "last_source_status = ?, awaiting_approval = ?, message = ? WHERE id = ? AND status = 'running'")) {
                ps.setString(1, o.status().word());
                dialect.setInstant(ps, 2, o.completedAt());
                ps.setString(3, o.sourceStatus());
                dialect.setBoolean(ps, 4, false);
                ps.setString(5, o.message());
                ps.setLong(6, e.getKey());
                ps.executeUpdate();
            }
        }
        // the host's words in status, its stage names and stage columns: the tracker's code path (HostMeaning)
        meaning.writeRow(c, id, res.status(), res.errorStage(), res.checks().values().stream().map(o ->
                new HostMeaning.StageState(o.name(), o.status(), o.startedAt(), o.completedAt())).toList());
        String text = "resolved #" + id + " " + r.label() + ": running -> " + res.status().word()
                + (res.message() == null ? "" : " (" + res.message() + ")");
        event(c, id, notify ? "completed" : "repaired", res.errorStage(), "running", res.status().word(), null,
                res.message() != null ? res.message() : "resolved by deploytrack repair: the source says it ended "
                        + res.status().word(), now);
        done.add(text);
    }

    private void applyFill(Connection c, RepairPlan.Fill f, Instant now, List<String> done) throws SQLException {
        boolean any = false;
        for (RepairPlan.ColumnChange ch : f.changes()) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE deployment_histories SET " + ch.column() + " = ? WHERE id = ? AND "
                    + ch.column() + (ch.expected() == null ? " IS NULL" : " = ?"))) {
                bind(ps, 1, ch.value());
                ps.setLong(2, f.id());
                if (ch.expected() != null) {
                    bind(ps, 3, ch.expected());
                }
                any |= ps.executeUpdate() == 1;
            }
        }
        if (any) {
            event(c, f.id(), "repaired", null, null, null, null, f.eventText(), now);
            done.add("row " + f.id() + ": " + f.doneText());
        }
    }

    private void bind(PreparedStatement ps, int index, Object value) throws SQLException {
        if (value instanceof Instant t) {
            times.set(ps, index, t);
        } else if (value instanceof Long l) {
            ps.setLong(index, l);
        } else {
            ps.setString(index, (String) value);
        }
    }

    private void event(Connection c, long id, String type, String check, String from, String to, String sourceStatus,
                       String message, Instant now) throws SQLException {
        Events.insert(c, dialect, new DeploymentEvent(0, id, now, type, check,
                from == null ? null : DeploymentStatus.fromWord(from), to == null ? null : DeploymentStatus.fromWord(to),
                sourceStatus, message));
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
