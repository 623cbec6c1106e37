package io.deploytrack.jdbc;

import io.deploytrack.jdbc.support.JdbcDialect;

import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.DeploymentEvent;
import io.deploytrack.core.DeploymentUpdate;
import io.deploytrack.core.UpdateOutcome;
import io.deploytrack.jdbc.internal.CheckRows;
import io.deploytrack.jdbc.internal.Dialect;
import io.deploytrack.jdbc.internal.Events;
import io.deploytrack.jdbc.internal.HostMeaning;
import io.deploytrack.jdbc.internal.HostTimes;
import io.deploytrack.jdbc.internal.MultiRowUpdates;
import io.deploytrack.jdbc.internal.SqlRunner;
import io.deploytrack.jdbc.internal.SqlRunner.ParameterSetter;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Status changes: each a compare-and-set on the row's status (and, under a lease, on its owner, whose lease it
 * extends), with the checks and events it carries. {@link #updateUnderLease} is the tracker's group commit.
 */
final class HistoryUpdates {
    private final StoreCalls calls;
    private final Dialect dialect;
    private final HostMeaning meaning;
    private final HostTimes times;
    private final MultiRowUpdates multiRow;
    private final Clock clock;

    HistoryUpdates(StoreCalls calls, HistoryRows rows, Clock clock) {
        this.calls = calls;
        this.dialect = rows.dialect();
        this.meaning = rows.meaning();
        this.times = rows.times();
        this.multiRow = new MultiRowUpdates(dialect, times);
        this.clock = clock;
    }

    /** One compare-and-set, in a write transaction of its own (or a group's). */
    boolean update(DeploymentUpdate u) {
        u.requireLegalTransition();
        return calls.write("update deployment " + u.id(), c -> updateIn(c, u, null, null) == UpdateOutcome.APPLIED);
    }

    /** Group commit: every update of the batch in one write transaction ({@code BEGIN IMMEDIATE} on SQLite). */
    List<UpdateOutcome> updateUnderLease(String leaseOwner, Duration leaseDuration, List<DeploymentUpdate> updates) {
        Objects.requireNonNull(leaseOwner, "leaseOwner");
        updates.forEach(DeploymentUpdate::requireLegalTransition);
        if (updates.isEmpty()) {
            return List.of();
        }
        return calls.write("update " + updates.size() + " deployments",
                c -> updateAllIn(c, updates, leaseOwner, leaseDuration));
    }

    /** A stored row as an update needs it. */
    private record RowState(String status, Instant startedAt, String leaseOwner) {
    }

    /**
     * The group: one read of the rows, then each row's compare-and-set in order (each later update of the same row
     * compared against what the earlier ones made of it), then the applied updates' checks (one JDBC batch) and
     * events. On SQLite ({@link Dialect#writesGroupsFromValues()}) a group of two or more updates writes the rows'
     * compare-and-sets and the events as multi-row statements ({@link MultiRowUpdates}); otherwise (PostgreSQL, and a
     * single update) as JDBC batches of per-row statements. Multi-row checks measured no cheaper, so they stay a batch.
     * The whole group has one {@code updated_at}: the store clock's time when the group is written.
     */
    private List<UpdateOutcome> updateAllIn(Connection c, List<DeploymentUpdate> updates, String leaseOwner,
                                            Duration lease) throws SQLException {
        Map<Long, RowState> rows = new HashMap<>(Math.max(16, updates.size() * 2));
        for (List<Long> chunk : HistoryRows.chunks(updates.stream().map(DeploymentUpdate::id).distinct().toList())) {
            SqlRunner.read(c, "SELECT id, " + meaning.selectStatus("") + ", started_at, lease_owner FROM "
                    + "deployment_histories WHERE id IN (" + JdbcDialect.placeholders(chunk.size()) + ")", HistoryRows.ids(chunk), rs -> {
                while (rs.next()) {
                    rows.put(rs.getLong("id"), new RowState(rs.getString("status"),
                            times.get(rs, "started_at"), rs.getString("lease_owner")));
                }
                return null;
            });
        }
        UpdateOutcome[] out = new UpdateOutcome[updates.size()];
        List<DeploymentUpdate> toWrite = new ArrayList<>(updates.size());
        List<Instant> storedStarts = new ArrayList<>(updates.size());
        List<Integer> written = new ArrayList<>(updates.size());
        for (int i = 0; i < updates.size(); i++) {
            DeploymentUpdate u = updates.get(i);
            RowState row = rows.get(u.id());
            if (row == null) {
                out[i] = UpdateOutcome.STATUS_CHANGED;
            } else if (!leaseOwner.equals(row.leaseOwner())) {
                out[i] = UpdateOutcome.LEASE_LOST;
            } else if (!u.expectedStatus().word().equals(row.status())) {
                out[i] = UpdateOutcome.STATUS_CHANGED;
            } else {
                toWrite.add(u);
                storedStarts.add(row.startedAt());
                written.add(i);
                // What the row will be once written: a later update of it in this group compares against that.
                rows.put(u.id(), new RowState(u.newStatus() == null ? row.status() : u.newStatus().word(),
                        u.startedAt() == null ? row.startedAt() : u.startedAt(), leaseOwner));
            }
        }
        Instant now = clock.instant();
        // The multi-row statements write deploytrack's columns only: a host's words and stage columns go row by row.
        boolean grouped = dialect.writesGroupsFromValues() && updates.size() > 1 && meaning.isPlain();
        boolean[] matched;
        if (grouped) {
            matched = multiRow.rows(c, toWrite, storedStarts, leaseOwner, now, lease.toMillis());
        } else {
            List<RowWrite> writes = new ArrayList<>(toWrite.size());
            for (int k = 0; k < toWrite.size(); k++) {
                writes.add(rowWrite(toWrite.get(k), storedStarts.get(k), leaseOwner, lease, now));
            }
            matched = writeRows(c, writes);
        }
        List<DeploymentUpdate> applied = new ArrayList<>(matched.length);
        for (int k = 0; k < matched.length; k++) {
            int i = written.get(k);
            // Where the store has concurrent writers (PostgreSQL), the row may have changed since it was read.
            out[i] = matched[k] ? UpdateOutcome.APPLIED : UpdateOutcome.STATUS_CHANGED;
            if (matched[k]) {
                applied.add(updates.get(i));
            }
        }
        writeChecksAndEvents(c, applied, grouped);
        return List.of(out);
    }

    /**
     * The applied updates' checks as one JDBC batch (then a check the row lacks is added), and their events: as one
     * JDBC batch, or, when {@code grouped}, as multi-row inserts ({@link MultiRowUpdates#events}).
     */
    private void writeChecksAndEvents(Connection c, List<DeploymentUpdate> applied, boolean grouped)
            throws SQLException {
        List<OwnedCheck> batched = new ArrayList<>(applied.size());
        for (DeploymentUpdate u : applied) {
            for (DeploymentCheck ch : u.checks()) {
                batched.add(new OwnedCheck(u.id(), ch));
            }
        }
        int[] counts = SqlRunner.batch(c, CheckRows.UPDATE, batched,
                (ps, o) -> bindCheckUpdate(ps, o.deploymentId(), o.check()));
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) {
                // A check the row did not have yet: written one at a time, as update() does.
                writeCheck(c, batched.get(i).deploymentId(), batched.get(i).check());
            }
        }
        List<DeploymentEvent> events = new ArrayList<>(applied.size());
        applied.forEach(u -> events.addAll(u.events()));
        if (!grouped) {
            SqlRunner.batch(c, Events.INSERT, events, (ps, e) -> Events.bind(ps, dialect, e));
        } else if (!events.isEmpty()) {
            multiRow.events(c, events);
        }
    }

    /** A check of an update, with the deployment it belongs to. */
    private record OwnedCheck(long deploymentId, DeploymentCheck check) {
    }

    private void bindCheckUpdate(PreparedStatement ps, long deploymentId, DeploymentCheck ch) throws SQLException {
        CheckRows.bindUpdate(ps, dialect, deploymentId, ch);
    }

    /** Replaces the stored state of check {@code ch} of the deployment, adding it when the row has no such check. */
    private void writeCheck(Connection c, long deploymentId, DeploymentCheck ch) throws SQLException {
        if (SqlRunner.update(c, CheckRows.UPDATE, ps -> bindCheckUpdate(ps, deploymentId, ch)) == 0) {
            CheckRows.insert(c, dialect, deploymentId, checkCount(c, deploymentId), ch);
        }
    }

    /** One compare-and-set; with a {@code leaseOwner}, only while it holds the lease, which it then extends. */
    private UpdateOutcome updateIn(Connection c, DeploymentUpdate u, String leaseOwner, Duration lease)
            throws SQLException {
        // Without a lease to check, the statement stays exactly the plain update's (the benchmarks' baseline runs it).
        Compared compared = SqlRunner.read(c, leaseOwner == null
                ? "SELECT " + meaning.selectStatus("") + ", started_at FROM deployment_histories WHERE id = ?"
                : "SELECT " + meaning.selectStatus("") + ", started_at, lease_owner FROM deployment_histories WHERE id = ?",
                ps -> ps.setLong(1, u.id()), rs -> {
                    if (!rs.next()) {
                        return Compared.refused(UpdateOutcome.STATUS_CHANGED);
                    }
                    if (leaseOwner != null && !leaseOwner.equals(rs.getString("lease_owner"))) {
                        return Compared.refused(UpdateOutcome.LEASE_LOST);
                    }
                    if (!u.expectedStatus().word().equals(rs.getString("status"))) {
                        return Compared.refused(UpdateOutcome.STATUS_CHANGED);
                    }
                    return new Compared(null, times.get(rs, "started_at"));
                });
        if (compared.refused() != null) {
            return compared.refused();
        }
        if (!writeRow(c, u, compared.startedAt(), leaseOwner, lease)) {
            return UpdateOutcome.STATUS_CHANGED;
        }
        for (DeploymentCheck ch : u.checks()) {
            writeCheck(c, u.id(), ch);
        }
        for (DeploymentEvent e : u.events()) {
            Events.insert(c, dialect, e);
        }
        return UpdateOutcome.APPLIED;
    }

    /** What the read before a compare-and-set found: why the update cannot apply, or the row's stored start. */
    private record Compared(UpdateOutcome refused, Instant startedAt) {
        static Compared refused(UpdateOutcome why) {
            return new Compared(why, null);
        }
    }

    /**
     * The row's compare-and-set ({@code WHERE status = expected}, and {@code lease_owner} when given, whose lease it
     * then extends); false when it no longer matches. {@code storedStart} is the row's start, for the duration.
     */
    private boolean writeRow(Connection c, DeploymentUpdate u, Instant storedStart, String leaseOwner, Duration lease)
            throws SQLException {
        RowWrite w = rowWrite(u, storedStart, leaseOwner, lease, clock.instant());
        return SqlRunner.update(c, w.sql(), w.binder()) == 1;
    }

    /** The compare-and-set statement of {@link #writeRow}. */
    private RowWrite rowWrite(DeploymentUpdate u, Instant storedStart, String leaseOwner, Duration lease, Instant now) {
        Instant startedAt = u.startedAt() != null ? u.startedAt() : storedStart;
        List<String> sets = new ArrayList<>();
        List<SqlBinder> binders = new ArrayList<>();
        if (u.newStatus() != null && meaning.keepsPreciseStatus()) {
            sets.add(meaning.setStatus(u.newStatus())); // the host's word and the precise one, as checked literals
        } else if (u.newStatus() != null) {
            sets.add("status = ?");
            binders.add((ps, i) -> ps.setString(i, u.newStatus().word()));
        }
        if (u.startedAt() != null) {
            sets.add("started_at = ?");
            binders.add((ps, i) -> times.set(ps, i, u.startedAt()));
        }
        if (u.deployedAt() != null) {
            sets.add("deployed_at = ?");
            binders.add((ps, i) -> times.set(ps, i, u.deployedAt()));
        }
        if (u.completedAt() != null) {
            sets.add("completed_at = ?");
            binders.add((ps, i) -> times.set(ps, i, u.completedAt()));
            long seconds = MultiRowUpdates.totalSeconds(startedAt, u.completedAt());
            sets.add("total_duration = ?");
            binders.add((ps, i) -> ps.setLong(i, seconds));
        }
        if (u.errorStage() != null) {
            sets.add("error_stage = ?");
            binders.add((ps, i) -> ps.setString(i, meaning.stageName(u.errorStage())));
        }
        meaning.stageValuesOf(u.checks()).forEach((col, v) -> {
            sets.add(col + " = ?");
            binders.add((ps, i) -> HostMeaning.bindValue(ps, i, v));
        });
        if (u.errorMessage() != null) {
            sets.add("error_message = ?");
            binders.add((ps, i) -> ps.setString(i, HistoryRows.truncate(u.errorMessage(), 4000)));
        }
        sets.add("updated_at = ?");
        binders.add((ps, i) -> times.set(ps, i, now));
        String leaseSet = leaseOwner == null ? "" : ", lease_until = " + dialect.nowPlusMillisExpression();
        String sql = "UPDATE deployment_histories SET " + String.join(", ", sets) + leaseSet
                + " WHERE id = ? AND " + meaning.status("") + " = ?" + (leaseOwner == null ? "" : " AND lease_owner = ?");
        return new RowWrite(sql, ps -> {
            int i = 1;
            for (SqlBinder b : binders) {
                b.bind(ps, i++);
            }
            if (leaseOwner != null) {
                i = dialect.bindNowPlusMillis(ps, i, now, lease.toMillis());
            }
            ps.setLong(i++, u.id());
            ps.setString(i++, u.expectedStatus().word());
            if (leaseOwner != null) {
                ps.setString(i, leaseOwner);
            }
        });
    }

    /** One row's compare-and-set statement: its SQL (the columns it sets) and how to bind it. */
    private record RowWrite(String sql, ParameterSetter binder) {
    }

    @FunctionalInterface
    private interface SqlBinder {
        void bind(PreparedStatement ps, int index) throws SQLException;
    }

    /**
     * Runs the row writes in order, as JDBC batches of consecutive writes with the same SQL; returns whether each
     * matched its row.
     */
    private boolean[] writeRows(Connection c, List<RowWrite> writes) throws SQLException {
        boolean[] matched = new boolean[writes.size()];
        int from = 0;
        while (from < writes.size()) {
            String sql = writes.get(from).sql();
            int to = from;
            while (to < writes.size() && writes.get(to).sql().equals(sql)) {
                to++;
            }
            int[] counts = SqlRunner.batch(c, sql, writes.subList(from, to), (ps, w) -> w.binder().bind(ps));
            for (int i = 0; i < counts.length; i++) {
                matched[from + i] = counts[i] == 1;
            }
            from = to;
        }
        return matched;
    }

    private int checkCount(Connection c, long id) throws SQLException {
        return SqlRunner.read(c, "SELECT COUNT(*) FROM deployment_checks WHERE deployment_id = ?",
                ps -> ps.setLong(1, id), rs -> {
                    rs.next();
                    return rs.getInt(1);
                });
    }
}
