package io.deploytrack.jdbc;

import io.deploytrack.core.CreateResult;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.DeploymentEvent;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.jdbc.HistoryRows.Row;
import io.deploytrack.jdbc.internal.CheckRows;
import io.deploytrack.jdbc.internal.Dialect;
import io.deploytrack.jdbc.internal.Events;
import io.deploytrack.jdbc.internal.HostMeaning;
import io.deploytrack.jdbc.internal.HostTimes;
import io.deploytrack.jdbc.internal.KeyValues;
import io.deploytrack.jdbc.internal.SqlRunner;
import io.deploytrack.jdbc.internal.SqlRunner.ParameterSetter;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Recording a new deployment: its history row, checks and "started" event, idempotent by idempotency key and by
 * identity (one running row per owner, repo, environment, commit and rollback flag).
 */
final class HistoryInserts {
    private final StoreCalls calls;
    private final HistoryRows rows;
    private final Dialect dialect;
    private final AdoptionSettings settings;
    private final HostMeaning meaning;
    private final HostTimes times;
    private final String env;
    private final Clock clock;
    /** Whether a row reads back exactly as written, give or take the stored precision of times: see {@link #inserted}. */
    private final boolean writtenAsRead;
    /**
     * Whether both unique indexes (idempotency key; one running row per identity) exist, so that an insert that
     * collides does nothing instead of being looked for first: see {@link #createIn}.
     */
    private final boolean insertArbitrates;

    HistoryInserts(StoreCalls calls, HistoryRows rows, Clock clock) {
        this.calls = calls;
        this.rows = rows;
        this.dialect = rows.dialect();
        this.settings = rows.settings();
        this.meaning = rows.meaning();
        this.times = rows.times();
        this.env = rows.env();
        this.clock = clock;
        this.writtenAsRead = "sqlite".equals(dialect.name()) && settings.isEmpty() && times.isPlain();
        this.insertArbitrates = dialect.createsWithOnConflict()
                || calls.read("read the unique indexes of " + calls.description(), HistoryInserts::uniqueIndexes);
    }

    /** Records {@code draft} (or finds the row it duplicates), leased to {@code leaseOwner}. */
    CreateResult create(Deployment draft, String leaseOwner, Duration leaseDuration) {
        for (int attempt = 1; ; attempt++) {
            try {
                return calls.connections().write(c -> createIn(c, draft, leaseOwner, leaseDuration));
            } catch (SQLException e) {
                // Two instances inserted the same key at once: the loser's retry finds the winner's row.
                if (dialect.isUniqueViolation(e) && attempt < 3) {
                    continue;
                }
                throw calls.fail("record deployment of " + draft.project() + " at " + draft.shortSha(), e);
            }
        }
    }

    private CreateResult createIn(Connection c, Deployment d, String leaseOwner, Duration lease) throws SQLException {
        if (insertArbitrates) {
            return createOnConflict(c, d, leaseOwner, lease);
        }
        // A table whose unique indexes are pending (an adopted one with duplicates): look first. On SQLite the
        // transaction holds the file's write lock from BEGIN IMMEDIATE, so nobody inserts in between.
        Optional<CreateResult> existing = existing(c, d);
        if (existing.isPresent()) {
            return existing.get();
        }
        long id = insertHistory(c, d, leaseOwner, lease, false).orElseThrow(
                () -> new SQLException("the database returned no id for the new deployment row"));
        return inserted(c, d, id, leaseOwner);
    }

    /**
     * Insert first, letting both unique indexes (idempotency key, one running row per identity) arbitrate with
     * {@code ON CONFLICT DO NOTHING}, so a new deployment costs no lookup: always on PostgreSQL, on SQLite when both
     * indexes exist. On PostgreSQL a concurrent inserter of the same deployment makes this wait until it commits, then
     * do nothing. Nothing inserted: return the row it collided with. That row can end (no longer running) between the
     * insert and the read on PostgreSQL, in which case the insert is tried again.
     */
    private CreateResult createOnConflict(Connection c, Deployment d, String leaseOwner, Duration lease) throws SQLException {
        for (int attempt = 1; attempt <= 3; attempt++) {
            OptionalLong id = insertHistory(c, d, leaseOwner, lease, true);
            if (id.isPresent()) {
                return inserted(c, d, id.getAsLong(), leaseOwner);
            }
            Optional<CreateResult> existing = existing(c, d);
            if (existing.isPresent()) {
                return existing.get();
            }
        }
        throw new SQLException("the deployment it duplicates kept changing while it was being recorded; try again");
    }

    /** Whether the table has both unique indexes that make {@code INSERT ... ON CONFLICT DO NOTHING} idempotent. */
    private static boolean uniqueIndexes(Connection c) throws SQLException {
        return SqlRunner.read(c, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND "
                + "tbl_name = 'deployment_histories' AND name IN ('ux_deployment_histories_idempotency_key', "
                + "'ux_deployment_histories_one_running')", ParameterSetter.NONE, rs -> rs.next() && rs.getInt(1) == 2);
    }

    /** The row with the same idempotency key or, failing that, the running row with the same identity. */
    private Optional<CreateResult> existing(Connection c, Deployment d) throws SQLException {
        Optional<Row> existing = Optional.empty();
        if (d.idempotencyKey() != null) {
            existing = rows.selectRows(c, "WHERE idempotency_key = ?", ps -> ps.setString(1, d.idempotencyKey()))
                    .stream().findFirst();
        }
        if (existing.isEmpty()) {
            existing = rows.selectRows(c, "WHERE github_owner = ? AND github_repo = ? AND " + env + " = ? AND "
                    + "github_commit_sha = ? AND is_rollback = ? AND " + meaning.is("", DeploymentStatus.RUNNING), ps -> {
                ps.setString(1, d.owner());
                ps.setString(2, d.repo());
                ps.setString(3, d.environment());
                ps.setString(4, d.commitSha());
                dialect.setBoolean(ps, 5, d.rollback());
            }).stream().findFirst();
        }
        if (existing.isEmpty()) {
            return Optional.empty();
        }
        Row r = existing.get();
        Deployment found = rows.withChecks(c, List.of(r)).get(0);
        return Optional.of(new CreateResult(found, false, found.isTerminal() ? null : r.leaseOwner()));
    }

    /** Inserts the history row; empty when {@code onConflictDoNothing} and a unique index already holds it. */
    private OptionalLong insertHistory(Connection c, Deployment d, String leaseOwner, Duration lease,
                                       boolean onConflictDoNothing) throws SQLException {
        Instant now = clock.instant();
        // Host columns: mapped attributes (when the request has them) and defaults (a request attribute of the same
        // name wins); the mapped attributes are kept in their columns only.
        Map<String, String> hostValues = new LinkedHashMap<>();
        Map<String, String> attributes = new LinkedHashMap<>(d.attributes());
        settings.attributeColumns().forEach((attribute, column) -> {
            String v = attributes.remove(attribute);
            if (v != null) {
                hostValues.put(column, v);
            }
        });
        settings.columnDefaults().forEach((column, value) ->
                hostValues.putIfAbsent(column, d.attributes().getOrDefault(column, value)));
        Map<String, Object> stages = meaning.stageValuesOf(d.checks());
        StringBuilder extraColumns = new StringBuilder();
        hostValues.keySet().forEach(col -> extraColumns.append(", ").append(col));
        stages.keySet().forEach(col -> extraColumns.append(", ").append(col));
        String sql = "INSERT INTO deployment_histories (github_owner, github_repo, " + env + ", github_commit_sha, "
                + "is_rollback, " + meaning.rollbackColumn() + ", idempotency_key, " + meaning.insertStatusColumns()
                + ", started_at, attributes, created_at, updated_at, lease_owner, lease_until, completion_notified"
                + extraColumns + ") VALUES (?, ?, ?, ?, ?, ?, ?, " + meaning.insertRunningValues() + ", ?, ?, ?, ?, ?, "
                + dialect.nowPlusMillisExpression() + ", ?" + ", ?".repeat(hostValues.size() + stages.size()) + ")"
                + (onConflictDoNothing ? " ON CONFLICT DO NOTHING" : "")
                + " RETURNING id";
        return SqlRunner.read(c, sql, ps -> {
            int i = 1;
            ps.setString(i++, d.owner());
            ps.setString(i++, d.repo());
            ps.setString(i++, d.environment());
            ps.setString(i++, d.commitSha());
            dialect.setBoolean(ps, i++, d.rollback());
            if (d.rollbackOf() == null) {
                ps.setNull(i++, java.sql.Types.BIGINT);
            } else {
                ps.setLong(i++, d.rollbackOf());
            }
            ps.setString(i++, d.idempotencyKey());
            times.set(ps, i++, d.startedAt());
            ps.setString(i++, KeyValues.encode(attributes));
            times.set(ps, i++, now);
            times.set(ps, i++, now);
            ps.setString(i++, leaseOwner);
            i = dialect.bindNowPlusMillis(ps, i, now, lease.toMillis());
            dialect.setBoolean(ps, i++, false);
            for (String v : hostValues.values()) {
                ps.setString(i++, v);
            }
            for (Object v : stages.values()) {
                HostMeaning.bindValue(ps, i++, v);
            }
        }, rs -> rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty());
    }

    /**
     * Adds the checks and the "started" event of a row just inserted, and returns the row as a read would give it.
     * In deploytrack's own SQLite layout that is what was written, at the millisecond its times are stored with, so it
     * is not read back (a third of a create's statements); a host's table (mapped columns, its own time format) and
     * PostgreSQL are read back.
     */
    private CreateResult inserted(Connection c, Deployment d, long id, String leaseOwner) throws SQLException {
        int pos = 0;
        for (DeploymentCheck ch : d.checks()) {
            CheckRows.insert(c, dialect, id, pos++, ch);
        }
        Events.insert(c, dialect, DeploymentEvent.of(id, d.startedAt(), DeploymentEvent.Type.STARTED.word(), null, null, DeploymentStatus.RUNNING, null, null));
        Deployment stored = writtenAsRead
                ? HistoryRows.asStored(d, id)
                : rows.withChecks(c, rows.selectRows(c, "WHERE id = ?", ps -> ps.setLong(1, id))).get(0);
        return new CreateResult(stored, true, leaseOwner);
    }
}
