package io.deploytrack.jdbc;

import io.deploytrack.core.DeploymentEvent;
import io.deploytrack.core.DeploymentEvent.Type;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.Observation;
import io.deploytrack.jdbc.internal.Connections;
import io.deploytrack.jdbc.internal.Dialect;
import io.deploytrack.jdbc.internal.Events;
import io.deploytrack.jdbc.internal.HostMeaning;
import io.deploytrack.jdbc.internal.HostTimes;
import io.deploytrack.jdbc.internal.LegacyAdoption;
import io.deploytrack.jdbc.internal.RowChanges;
import io.deploytrack.jdbc.internal.SqlRunner;
import io.deploytrack.jdbc.internal.SqlWork;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One run of {@link StoreMaintenance#apply}: the sources are asked first, outside any transaction; then every step
 * (a merge, a resolution, a provider's times for one row, the fill of one row, the pending indexes) is its own write
 * transaction, so other writers get in between and a killed run leaves whole steps done.
 */
final class RepairRun {

    /** What one committed step did and left. */
    private record Outcome(List<String> done, List<String> left) {
        static Outcome done(String line) {
            return new Outcome(List.of(line), List.of());
        }

        static Outcome left(String line) {
            return new Outcome(List.of(), List.of(line));
        }
    }

    private final Connections connections;
    private final Dialect dialect;
    private final AdoptionSettings settings;
    private final HostMeaning meaning;
    private final HostTimes times;
    private final RepairPlan plan;
    private final Diagnosis d;
    private final boolean notify;
    private final StoreMaintenance.StepListener listener;
    private final Map<Long, StaleResolutions.Resolution> resolutions = new LinkedHashMap<>();
    private final Map<Long, RepairSources.Answer> answers = new LinkedHashMap<>();
    private final List<String> done = new ArrayList<>();
    private final List<String> left;

    RepairRun(Connections connections, AdoptionSettings settings, HostTimes times, RepairPlan plan, boolean notify,
              StoreMaintenance.StepListener listener) {
        this.connections = connections;
        this.dialect = connections.dialect();
        this.settings = settings;
        this.meaning = HostMeaning.of(settings);
        this.times = times;
        this.plan = plan;
        this.d = plan.diagnosis();
        this.notify = notify;
        this.listener = listener;
        this.left = new ArrayList<>(plan.leftAsIs());
    }

    List<String> done() {
        return List.copyOf(done);
    }

    List<String> leftAsIs() {
        return List.copyOf(left);
    }

    /** Asks the sources about the stale rows and the rows the plan asks about, once each. */
    void ask(RepairSources sources, Duration timeout) {
        for (RepairPlan.Stale s : plan.staleRows()) {
            resolutions.put(s.id(), StaleResolutions.resolve(d, s, sources, timeout));
        }
        for (RepairPlan.Ask a : plan.asks()) {
            RepairSources.Answer answer;
            try {
                answer = sources.ask(a.ref(), timeout);
            } catch (RuntimeException e) {
                answer = new RepairSources.Answer(null, e.getMessage());
            }
            answers.put(a.id(), answer);
        }
    }

    /** Writes every step, each in its own transaction, in the plan's order. */
    void write() throws SQLException {
        Instant now = d.now();
        for (RepairPlan.Merge m : plan.merges()) {
            step(c -> merge(c, m, now));
        }
        for (Map.Entry<Long, StaleResolutions.Resolution> e : resolutions.entrySet()) {
            step(c -> resolution(c, e.getKey(), e.getValue(), now));
        }
        Set<Long> answered = new HashSet<>();
        for (RepairPlan.Ask a : plan.asks()) {
            if (step(c -> providerTimes(c, a, answers.get(a.id()), now))) {
                answered.add(a.id());
                // what the plan said it could not fill from the row's evidence, the provider has filled
                String prefix = "row " + a.id() + ": success without";
                left.removeIf(line -> line.startsWith(prefix));
            }
        }
        List<String> stageColumns = StageColumns.statusColumns(settings);
        for (RepairPlan.Fill f : plan.fills()) {
            // A provider's answer replaced the row's times, so fills from its evidence are moot; a stage column fill is
            // not (its guard on the stored word makes it a no-op where the answer already wrote that column).
            boolean stageOnly = f.changes().stream().allMatch(ch -> stageColumns.contains(ch.column()));
            if (!answered.contains(f.id()) || stageOnly) {
                step(c -> fill(c, f, now));
            }
        }
        if (!d.pending().isEmpty()) {
            step(this::pending);
        }
    }

    /** Runs one step in its own transaction; true when it did something. */
    private boolean step(SqlWork<Outcome> work) throws SQLException {
        Outcome o = connections.write(work);
        done.addAll(o.done());
        left.addAll(o.left());
        String line = !o.done().isEmpty() ? String.join("; ", o.done()) : String.join("; ", o.left());
        if (!line.isEmpty()) {
            listener.committed(line);
        }
        return !o.done().isEmpty();
    }

    // ---------------------------------------------------------------- the steps

    private Outcome merge(Connection c, RepairPlan.Merge m, Instant now) throws SQLException {
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
            for (Diagnosis.Check k : d.checks(other)) {
                String name = k.name();
                if (names.contains(name)) {
                    String suffix = ":dup-" + other;
                    name = (name.length() + suffix.length() > 64 ? name.substring(0, 64 - suffix.length()) : name) + suffix;
                }
                names.add(name);
                RowChanges.exec(c, "UPDATE deployment_checks SET deployment_id = ?, position = ?, name = ? WHERE id = ?",
                        m.keeper(), (long) position++, name, k.id());
                if (keeperTerminal && "running".equals(k.status())) {
                    SqlRunner.update(c, "UPDATE deployment_checks SET status = 'cancelled', "
                            + "completed_at = ?, message = ? WHERE id = ?", ps -> {
                                dialect.setInstant(ps, 1, now);
                                ps.setString(2, "not followed further: merged into #" + m.keeper() + " as a duplicate of it");
                                ps.setLong(3, k.id());
                            });
                }
            }
            RowChanges.mergeInto(c, m.keeper(), other, settings.attributeColumns(), meaning.rollbackColumn());
            Diagnosis.Row o = d.rows().get(other);
            if (key == null && o.idempotencyKey() != null) {
                key = o.idempotencyKey();
                RowChanges.exec(c, "UPDATE deployment_histories SET idempotency_key = ? WHERE id = ? AND "
                        + "idempotency_key IS NULL", key, m.keeper());
            }
        }
        String text = "merged " + m.others().stream().map(id -> "#" + id).collect(Collectors.joining(", "))
                + " into #" + m.keeper() + " (" + m.reason() + ")";
        if (m.commitSha() != null && !m.commitSha().equals(keeper.commitSha())
                && RowChanges.exec(c, "UPDATE deployment_histories SET github_commit_sha = ? WHERE id = ? AND "
                + "github_commit_sha = ?", m.commitSha(), m.keeper(), keeper.commitSha()) == 1) {
            text += "; it keeps the full SHA " + m.commitSha();
        }
        event(c, m.keeper(), Type.REPAIRED.word(), null, null, null, null, text, now);
        return Outcome.done(text);
    }

    private Outcome resolution(Connection c, long id, StaleResolutions.Resolution res, Instant now) throws SQLException {
        Diagnosis.Row r = d.rows().get(id);
        Instant started = res.startedAt() != null ? res.startedAt() : r.startedAt();
        Long total = started == null ? null : Math.max(0, RepairPlan.seconds(started, res.completedAt()));
        int changed = SqlRunner.update(c, "UPDATE deployment_histories SET status = ?, started_at = ?, "
                + "deployed_at = ?, completed_at = ?, total_duration = ?, error_stage = ?, error_message = ?, "
                + "updated_at = ?, completion_notified = ?, lease_owner = NULL, lease_until = NULL WHERE id = ? AND "
                + meaning.status("") + " = ? AND (lease_owner IS NULL OR lease_until IS NULL OR lease_until <= ?)", ps -> {
                    ps.setString(1, res.status().word());
                    times.set(ps, 2, started);
                    times.set(ps, 3, res.status() == DeploymentStatus.SUCCESS ? res.completedAt() : null);
                    times.set(ps, 4, res.completedAt());
                    setSeconds(ps, 5, total);
                    ps.setString(6, res.errorStage());
                    ps.setString(7, res.message());
                    times.set(ps, 8, now);
                    dialect.setBoolean(ps, 9, !notify);
                    ps.setLong(10, id);
                    ps.setString(11, r.status());
                    dialect.setInstant(ps, 12, now);
                });
        if (changed != 1) {
            return Outcome.left("row " + id + ": changed while repair ran (a tracker took it over); not resolved");
        }
        for (Map.Entry<Long, StaleResolutions.CheckOutcome> e : res.checks().entrySet()) {
            if (e.getKey() < 0) {
                continue; // a check named by the row's columns: asked, not stored
            }
            StaleResolutions.CheckOutcome o = e.getValue();
            SqlRunner.update(c, "UPDATE deployment_checks SET status = ?, completed_at = ?, "
                    + "last_source_status = ?, awaiting_approval = ?, message = ? WHERE id = ? AND status = 'running'", ps -> {
                        ps.setString(1, o.status().word());
                        dialect.setInstant(ps, 2, o.completedAt());
                        ps.setString(3, o.sourceStatus());
                        dialect.setBoolean(ps, 4, false);
                        ps.setString(5, o.message());
                        ps.setLong(6, e.getKey());
                    });
        }
        // the host's words in status, its stage names and stage columns: the tracker's code path (HostMeaning)
        meaning.writeRow(c, id, res.status(), res.errorStage(), res.checks().values().stream().map(o ->
                new HostMeaning.StageState(o.name(), o.status(), o.startedAt(), o.completedAt())).toList());
        event(c, id, (notify ? Type.COMPLETED : Type.REPAIRED).word(), res.errorStage(), "running", res.status().word(), null,
                res.message() != null ? res.message() : "resolved by deploytrack repair: the source says it ended "
                        + res.status().word(), now);
        return Outcome.done("resolved #" + id + " " + r.label() + ": running -> " + res.status().word()
                + (res.message() == null ? "" : " (" + res.message() + ")"));
    }

    /**
     * An ended row takes its times from the provider that its columns name: {@code started_at}, {@code completed_at},
     * {@code deployed_at} (a success's end), {@code total_duration}; a merged row also takes its status. An answer
     * that does not end the deployment with a time, or whose status the row contradicts, changes nothing.
     */
    private Outcome providerTimes(Connection c, RepairPlan.Ask a, RepairSources.Answer answer, Instant now)
            throws SQLException {
        Diagnosis.Row r = d.rows().get(a.id());
        String named = a.ref().type() + " (" + a.ref().encodeFields() + ")";
        Observation o = answer == null ? null : answer.observation();
        String fallback = "; its times are left to the evidence in the row";
        if (o == null) {
            return Outcome.left("row " + a.id() + ": " + named + " could not be asked ("
                    + (answer == null ? "no answer" : answer.failure()) + ")" + fallback);
        }
        if (!o.state().isTerminal() || o.finishedAt() == null) {
            return Outcome.left("row " + a.id() + ": " + named + " says " + o.sourceStatus() + ", with no end time"
                    + fallback);
        }
        DeploymentStatus status = o.state().toStatus();
        boolean statusChanges = !status.word().equals(r.normalStatus());
        if (statusChanges && !a.takeStatus()) {
            return Outcome.left("row " + a.id() + ": " + named + " says " + o.sourceStatus() + " but the row says "
                    + r.status() + "; 'deploytrack mark' can change its status with a reason" + fallback);
        }
        Instant start = o.startedAt() != null ? o.startedAt() : r.startedAt();
        Instant end = o.finishedAt();
        Long total = start == null ? null : Math.max(0, RepairPlan.seconds(start, end));
        Instant deployed = status == DeploymentStatus.SUCCESS ? end : null;
        int changed = SqlRunner.update(c, "UPDATE deployment_histories SET status = ?, started_at = ?, "
                + "completed_at = ?, deployed_at = ?, total_duration = ?, updated_at = ?"
                + (statusChanges ? ", error_stage = ?, error_message = ?" : "") + " WHERE id = ? AND " + meaning.status("")
                + " = ?", ps -> {
                    int i = 1;
                    ps.setString(i++, status.word());
                    times.set(ps, i++, start);
                    times.set(ps, i++, end);
                    times.set(ps, i++, deployed);
                    setSeconds(ps, i++, total);
                    times.set(ps, i++, now);
                    if (statusChanges) {
                        ps.setString(i++, status == DeploymentStatus.SUCCESS ? null : a.ref().type());
                        ps.setString(i++, status == DeploymentStatus.SUCCESS ? null : o.message() != null ? o.message()
                                : a.ref().type() + " says " + o.sourceStatus());
                    }
                    ps.setLong(i++, a.id());
                    ps.setString(i, r.status());
                });
        if (changed != 1) {
            return Outcome.left("row " + a.id() + ": changed while repair ran; not given " + named + "'s times");
        }
        // the host's word in status and the precise one beside it, its stage name in error_stage and the stage columns
        // of the check the row's columns name, as a resolution writes them
        meaning.writeRow(c, a.id(), statusChanges ? status : null,
                statusChanges && status != DeploymentStatus.SUCCESS ? a.ref().type() : null,
                List.of(new HostMeaning.StageState(a.ref().type(), status, start, end)));
        String text = "times from " + named + ", which says " + o.sourceStatus() + ": started_at "
                + Texts.time(r.startedAt()) + " -> " + Texts.time(start) + ", completed_at " + Texts.time(r.completedAt())
                + " -> " + Texts.time(end) + ", deployed_at " + Texts.time(r.deployedAt()) + " -> " + Texts.time(deployed)
                + ", total_duration " + (r.totalDuration() == null ? "-" : r.totalDuration() + " s") + " -> "
                + (total == null ? "-" : total + " s") + (statusChanges ? "; status " + r.status() + " -> " + status.word()
                + " (the provider's answer, over the rows merged into it)" : "");
        event(c, a.id(), Type.REPAIRED.word(), statusChanges ? a.ref().type() : null, statusChanges ? r.normalStatus() : null,
                statusChanges ? status.word() : null, o.sourceStatus(), text, now);
        return Outcome.done("row " + a.id() + ": " + text);
    }

    private Outcome fill(Connection c, RepairPlan.Fill f, Instant now) throws SQLException {
        boolean any = false;
        for (RepairPlan.ColumnChange ch : f.changes()) {
            if (ch.expected() instanceof Instant was) {
                any |= RowChanges.setTimeIf(c, times, f.id(), ch.column(), was, (Instant) ch.value());
                continue;
            }
            any |= SqlRunner.update(c, "UPDATE deployment_histories SET " + ch.column() + " = ? WHERE id = ? AND "
                    + ch.column() + (ch.expected() == null ? " IS NULL" : " = ?"), ps -> {
                        bind(ps, 1, ch.value());
                        ps.setLong(2, f.id());
                        if (ch.expected() != null) {
                            bind(ps, 3, ch.expected());
                        }
                    }) == 1;
        }
        if (!any) {
            return new Outcome(List.of(), List.of());
        }
        event(c, f.id(), Type.REPAIRED.word(), null, null, null, null, f.eventText(), now);
        return Outcome.done("row " + f.id() + ": " + f.doneText());
    }

    private Outcome pending(Connection c) throws SQLException {
        List<LegacyAdoption.PendingConstraint> still = LegacyAdoption.createPending(c, dialect);
        Map<String, String> stillReason = still.stream().collect(Collectors.toMap(
                LegacyAdoption.PendingConstraint::name, LegacyAdoption.PendingConstraint::reason, (x, y) -> x));
        List<String> made = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        for (Diagnosis.PendingIndex p : d.pending()) {
            if (stillReason.containsKey(p.name())) {
                pending.add("unique index " + p.name() + " is still pending: " + Texts.cut(stillReason.get(p.name()), 200));
            } else {
                made.add("created the unique index " + p.name());
            }
        }
        return new Outcome(made, pending);
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

    private static void setSeconds(PreparedStatement ps, int index, Long seconds) throws SQLException {
        if (seconds == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, seconds);
        }
    }

    private void event(Connection c, long id, String type, String check, String from, String to, String sourceStatus,
                       String message, Instant now) throws SQLException {
        Events.insert(c, dialect, new DeploymentEvent(0, id, now, type, check,
                from == null ? null : DeploymentStatus.fromWord(from), to == null ? null : DeploymentStatus.fromWord(to),
                sourceStatus, message));
    }
}
