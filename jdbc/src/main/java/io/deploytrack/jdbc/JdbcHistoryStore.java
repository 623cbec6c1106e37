package io.deploytrack.jdbc;

import io.deploytrack.core.CheckRef;
import io.deploytrack.core.CreateResult;
import io.deploytrack.core.DeliveryFacts;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.DeploymentEvent;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.DeploymentUpdate;
import io.deploytrack.core.HistoryQuery;
import io.deploytrack.core.HistoryStore;
import io.deploytrack.core.LeaseInfo;
import io.deploytrack.core.Observation;
import io.deploytrack.core.PendingPush;
import io.deploytrack.core.Push;
import io.deploytrack.core.UpdateOutcome;
import io.deploytrack.jdbc.internal.CheckRows;
import io.deploytrack.jdbc.internal.Connections;
import io.deploytrack.jdbc.internal.DeliveryQueries;
import io.deploytrack.jdbc.internal.Dialect;
import io.deploytrack.jdbc.internal.HostColumns;
import io.deploytrack.jdbc.internal.HostMeaning;
import io.deploytrack.jdbc.internal.HostTimes;
import io.deploytrack.jdbc.internal.KeyValues;
import io.deploytrack.jdbc.internal.Migrations;

import io.deploytrack.jdbc.internal.Dialects;
import io.deploytrack.jdbc.internal.Events;
import io.deploytrack.jdbc.internal.MultiRowUpdates;
import io.deploytrack.jdbc.internal.PooledConnections;
import io.deploytrack.jdbc.internal.SqliteConnections;
import io.deploytrack.jdbc.internal.SqlRunner;
import io.deploytrack.jdbc.internal.SqlRunner.ParameterSetter;
import io.deploytrack.jdbc.internal.Times;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The history in a relational database: SQLite (the embedded default: one file, nothing to install) or PostgreSQL
 * (when several instances share it). Migrations run at open. Every status change is a compare-and-set.
 *
 * <pre>{@code
 * HistoryStore store = JdbcHistoryStore.sqlite(Path.of("deploytrack.db"));      // embedded
 * HistoryStore shared = JdbcHistoryStore.builder().dataSource(hikari).build();  // PostgreSQL through a pool
 * }</pre>
 */
public final class JdbcHistoryStore implements HistoryStore {

    private static final String COLUMNS_AFTER_ENVIRONMENT = "github_commit_sha, is_rollback, "
            + "rollback_of, idempotency_key, status, started_at, deployed_at, completed_at, total_duration, error_stage, "
            + "error_message, attributes, lease_owner";
    private static final int CHUNK = 500;

    private final Connections connections;
    private final Dialect dialect;
    private final Clock clock;
    private final String description;
    private final AdoptionSettings settings;
    /** The host's words, stage columns and stage names: plain columns on deploytrack's own tables. */
    private final HostMeaning meaning;
    private final HostTimes times;
    private final MultiRowUpdates multiRow;
    private final DeliveryQueries delivery;
    private final Duration checklessTimeout;
    /** The column that holds the environment (a host's own, when mapped). */
    private final String env;
    /** The history's columns a read selects: deploytrack's, then the host columns of mapped attributes. */
    private final String columns;
    /** Whether a row reads back exactly as written, give or take the stored precision of times: see {@link #inserted}. */
    private final boolean writtenAsRead;
    /**
     * Whether both unique indexes (idempotency key; one running row per identity) exist, so that an insert that
     * collides does nothing instead of being looked for first: see {@link #createIn}.
     */
    private final boolean insertArbitrates;

    JdbcHistoryStore(Connections connections, Clock clock, String description, AdoptionSettings settings,
                     HostTimes times, Duration checklessTimeout) {
        this.connections = connections;
        this.dialect = connections.dialect();
        this.clock = clock;
        this.description = description;
        this.settings = settings;
        this.meaning = HostMeaning.of(settings);
        this.times = times;
        this.multiRow = new MultiRowUpdates(dialect, times);
        this.checklessTimeout = checklessTimeout;
        this.writtenAsRead = "sqlite".equals(dialect.name()) && settings.isEmpty() && times.isPlain();
        this.insertArbitrates = dialect.createsWithOnConflict()
                || call("read the unique indexes of " + description, () -> connections.read(JdbcHistoryStore::uniqueIndexes));
        this.env = settings.environmentColumnOrDefault();
        this.delivery = new DeliveryQueries(dialect, times, env);
        // the same statement text as ever on deploytrack's own tables (the benchmarks' baseline sends exactly it)
        StringBuilder cols = new StringBuilder("id, github_owner, github_repo, "
                + (env.equals(AdoptionSettings.ENVIRONMENT) ? env : env + " AS environment") + ", "
                + COLUMNS_AFTER_ENVIRONMENT);
        settings.attributeColumns().values().forEach(col -> cols.append(", ").append(col));
        this.columns = cols.toString().replace(" rollback_of,", " " + meaning.selectRollback("") + ",")
                .replace(" status,", " " + meaning.selectStatus("") + ",");
    }

    /**
     * How long a running row with no check (one a host's own code wrote) may run, from {@code started_at}, before a
     * claim ends it {@code timed_out} ({@link Builder#checklessTimeout}, default 5 minutes).
     */
    public Duration checklessTimeout() {
        return checklessTimeout;
    }

    /** The adoption settings this store uses: the stored ones, with those given to its builder over them. */
    public AdoptionSettings adoptionSettings() {
        return settings;
    }

    /** How this store reads and writes the history's times, for people (e.g. naive text in Asia/Seoul). */
    public String timeEncoding() {
        return times.toString();
    }

    /** The maintenance of this store's database: diagnose, plan and apply repairs. */
    public StoreMaintenance maintenance() {
        return new StoreMaintenance(connections, settings, times, clock, description);
    }

    /**
     * The embedded default: a SQLite file (created with its folder's permission if absent) in WAL mode, migrated to
     * the current schema.
     *
     * @throws StoreException when the file cannot be opened or written, naming the path and the fix
     */
    public static JdbcHistoryStore sqlite(Path file) {
        return builder().sqlite(file).build();
    }

    /**
     * Opens a store from a SQLite file path or a JDBC URL ({@code jdbc:sqlite:...}, {@code jdbc:postgresql://...}).
     */
    public static JdbcHistoryStore open(String pathOrJdbcUrl) {
        return builder().url(pathOrJdbcUrl).build();
    }

    /** A builder for every other case: a host's {@link javax.sql.DataSource}, a clock, timeouts, a host's table. */
    public static Builder builder() {
        return new Builder();
    }

    /** A database location for people and logs: a JDBC URL with any password in it replaced by {@code ***}. */
    public static String redact(String pathOrJdbcUrl) {
        return Dialects.redact(pathOrJdbcUrl);
    }

    /**
     * Checks that the SQLite file this store opened is still there: deleted or replaced (by a rename, a restore)
     * under a running process, SQLite would go on writing into a file nobody else can open. Every transaction checks
     * this first and fails with the same {@link StoreException}; a long-running process that may sit idle calls it
     * periodically to stop in time (the CLI does, every 200 ms). Does nothing for a server database.
     *
     * @throws StoreException naming the file and what happened to it
     */
    public void checkFileInPlace() {
        try {
            connections.checkInPlace();
        } catch (SQLException e) {
            throw new StoreException(e.getMessage(), e);
        }
    }

    /** Which database this store uses: {@code sqlite} or {@code postgresql}. */
    public String databaseType() {
        return dialect.name();
    }

    /** The schema version the database has now. */
    public int schemaVersion() {
        return call("read the schema version", () -> connections.read(Migrations::currentVersion));
    }

    /**
     * This store's transactions, for modules that keep their own tables beside the history (deploytrack-notify):
     * their writes go through the store's one write path (on SQLite, the process's single writer connection).
     */
    public StoreTransactions transactions() {
        return new StoreTransactions(connections, clock, description);
    }

    // ------------------------------------------------------------------ create

    @Override
    public CreateResult create(Deployment draft, String leaseOwner, Duration leaseDuration) {
        for (int attempt = 1; ; attempt++) {
            try {
                return connections.write(c -> createIn(c, draft, leaseOwner, leaseDuration));
            } catch (SQLException e) {
                // Two instances inserted the same key at once: the loser's retry finds the winner's row.
                if (dialect.isUniqueViolation(e) && attempt < 3) {
                    continue;
                }
                throw fail("record deployment of " + draft.project() + " at " + draft.shortSha(), e);
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
            existing = selectRows(c, "WHERE idempotency_key = ?", ps -> ps.setString(1, d.idempotencyKey()))
                    .stream().findFirst();
        }
        if (existing.isEmpty()) {
            existing = selectRows(c, "WHERE github_owner = ? AND github_repo = ? AND " + env + " = ? AND "
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
        Deployment found = withChecks(c, List.of(r)).get(0);
        return Optional.of(new CreateResult(found, false, found.isTerminal() ? null : r.leaseOwner));
    }

    /** Inserts the history row; empty when {@code onConflictDoNothing} and a unique index already holds it. */
    private OptionalLong insertHistory(Connection c, Deployment d, String leaseOwner, Duration lease,
                                       boolean onConflictDoNothing) throws SQLException {
        Instant now = clock.instant();
        // Host columns: mapped attributes (when the request has them) and defaults (a request attribute of the same
        // name wins); the mapped attributes are kept in their columns only.
        Map<String, String> hostValues = new java.util.LinkedHashMap<>();
        Map<String, String> attributes = new java.util.LinkedHashMap<>(d.attributes());
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
            insertCheck(c, id, pos++, ch);
        }
        insertEvent(c, DeploymentEvent.of(id, d.startedAt(), "started", null, null, DeploymentStatus.RUNNING, null, null));
        Deployment stored = writtenAsRead
                ? asStored(d, id)
                : withChecks(c, selectRows(c, "WHERE id = ?", ps -> ps.setLong(1, id))).get(0);
        return new CreateResult(stored, true, leaseOwner);
    }

    /** The row {@link #insertHistory} and {@link #insertCheck} wrote for {@code d}, as SQLite text gives it back. */
    private static Deployment asStored(Deployment d, long id) {
        List<DeploymentCheck> checks = new ArrayList<>(d.checks().size());
        for (DeploymentCheck ch : d.checks()) {
            checks.add(new DeploymentCheck(ch.name(), ch.ref(), ch.status(), Times.stored(ch.startedAt()),
                    Times.stored(ch.completedAt()), Times.stored(ch.deadlineAt()), ch.lastSourceStatus(),
                    ch.awaitingApproval(), ch.message(), Duration.ofMillis(ch.timeout().toMillis()),
                    Duration.ofMillis(ch.approvalTimeout().toMillis()), ch.stage()));
        }
        return new Deployment(id, d.owner(), d.repo(), d.environment(), d.commitSha(), d.rollback(), d.rollbackOf(),
                d.idempotencyKey(), DeploymentStatus.RUNNING, Times.stored(d.startedAt()), null, null, null, null, null,
                List.copyOf(checks), KeyValues.decode(KeyValues.encode(d.attributes())));
    }

    private void insertCheck(Connection c, long deploymentId, int position, DeploymentCheck ch) throws SQLException {
        CheckRows.insert(c, dialect, deploymentId, position, ch);
    }

    private void insertEvent(Connection c, DeploymentEvent e) throws SQLException {
        Events.insert(c, dialect, e);
    }

    // ------------------------------------------------------------------ update

    @Override
    public boolean update(DeploymentUpdate u) {
        u.requireLegalTransition();
        return call("update deployment " + u.id(),
                () -> connections.write(c -> updateIn(c, u, null, null) == UpdateOutcome.APPLIED));
    }

    /** Group commit: every update of the batch in one write transaction ({@code BEGIN IMMEDIATE} on SQLite). */
    @Override
    public List<UpdateOutcome> updateUnderLease(String leaseOwner, Duration leaseDuration,
                                                List<DeploymentUpdate> updates) {
        Objects.requireNonNull(leaseOwner, "leaseOwner");
        updates.forEach(DeploymentUpdate::requireLegalTransition);
        if (updates.isEmpty()) {
            return List.of();
        }
        return call("update " + updates.size() + " deployments",
                () -> connections.write(c -> updateAllIn(c, updates, leaseOwner, leaseDuration)));
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
        for (List<Long> chunk : chunks(updates.stream().map(DeploymentUpdate::id).distinct().toList())) {
            SqlRunner.read(c, "SELECT id, " + meaning.selectStatus("") + ", started_at, lease_owner FROM "
                    + "deployment_histories WHERE id IN (" + JdbcDialect.placeholders(chunk.size()) + ")", ids(chunk), rs -> {
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
        if (grouped) {
            List<DeploymentEvent> events = new ArrayList<>(applied.size());
            applied.forEach(u -> events.addAll(u.events()));
            if (!events.isEmpty()) {
                multiRow.events(c, events);
            }
            return;
        }
        List<DeploymentEvent> events = new ArrayList<>(applied.size());
        applied.forEach(u -> events.addAll(u.events()));
        SqlRunner.batch(c, Events.INSERT, events, (ps, e) -> Events.bind(ps, dialect, e));
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
            insertCheck(c, deploymentId, checkCount(c, deploymentId), ch);
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
            insertEvent(c, e);
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
            binders.add((ps, i) -> ps.setString(i, truncate(u.errorMessage(), 4000)));
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

    // ------------------------------------------------------------------ reads

    @Override
    public Optional<Deployment> find(long id) {
        return call("read deployment " + id, () -> connections.read(c ->
                withChecks(c, selectRows(c, "WHERE id = ?", ps -> ps.setLong(1, id))).stream().findFirst()));
    }

    @Override
    public Optional<Deployment> findByIdempotencyKey(String key) {
        return call("read deployment by idempotency key", () -> connections.read(c ->
                withChecks(c, selectRows(c, "WHERE idempotency_key = ?", ps -> ps.setString(1, key))).stream().findFirst()));
    }

    @Override
    public List<Deployment> list(HistoryQuery q) {
        StringBuilder where = new StringBuilder("WHERE 1 = 1");
        List<String> args = new ArrayList<>();
        if (q.owner() != null) {
            where.append(" AND github_owner = ?");
            args.add(q.owner());
        }
        if (q.repo() != null) {
            where.append(" AND github_repo = ?");
            args.add(q.repo());
        }
        if (q.environment() != null) {
            where.append(" AND ").append(env).append(" = ?");
            args.add(q.environment());
        }
        if (q.status() != null) {
            where.append(" AND ").append(meaning.status("")).append(" = ?");
            args.add(q.status().word());
        }
        where.append(" ORDER BY started_at DESC, id DESC LIMIT ? OFFSET ?");
        return call("list history", () -> connections.read(c -> withChecks(c, selectRows(c, where.toString(), ps -> {
            int i = 1;
            for (String a : args) {
                ps.setString(i++, a);
            }
            ps.setInt(i++, q.limit());
            ps.setInt(i, q.offset());
        }))));
    }

    @Override
    public Optional<Deployment> latestSuccess(String owner, String repo, String environment, Deployment before,
                                              String excludingCommit) {
        return successes(owner, repo, environment, before, excludingCommit, 1).stream().findFirst();
    }

    @Override
    public List<Deployment> successesBefore(String owner, String repo, String environment, Deployment before,
                                            int limit) {
        return successes(owner, repo, environment, before, null, limit);
    }

    private List<Deployment> successes(String owner, String repo, String environment, Deployment before,
                                       String excludingCommit, int limit) {
        StringBuilder where = new StringBuilder("WHERE github_owner = ? AND github_repo = ? AND " + env + " = ? "
                + "AND " + meaning.is("", DeploymentStatus.SUCCESS) + " AND deployed_at IS NOT NULL");
        if (excludingCommit != null) {
            where.append(" AND github_commit_sha <> ?");
        }
        if (before != null) {
            where.append(" AND (deployed_at < ? OR (deployed_at = ? AND id < ?))");
        }
        where.append(" ORDER BY deployed_at DESC, id DESC LIMIT ").append(Math.max(1, limit));
        return call("find the latest success of " + owner + "/" + repo, () -> connections.read(c ->
                withChecks(c, selectRows(c, where.toString(), ps -> {
                    int i = 1;
                    ps.setString(i++, owner);
                    ps.setString(i++, repo);
                    ps.setString(i++, environment);
                    if (excludingCommit != null) {
                        ps.setString(i++, excludingCommit);
                    }
                    if (before != null) {
                        times.set(ps, i++, before.deployedAt());
                        times.set(ps, i++, before.deployedAt());
                        ps.setLong(i, before.id());
                    }
                }))));
    }

    @Override
    public DeliveryFacts deliveryFacts(String owner, String repo, String environment, Instant from, Instant to) {
        return call("work out the delivery facts of " + owner + "/" + repo + " in " + environment, () ->
                connections.read(c -> delivery.facts(c, owner, repo, environment, from, to)));
    }

    @Override
    public List<DeploymentEvent> events(long deploymentId) {
        return call("read events of deployment " + deploymentId, () -> connections.read(c ->
                SqlRunner.query(c, "SELECT id, deployment_id, at, type, check_name, from_status, "
                        + "to_status, source_status, message FROM deployment_events WHERE deployment_id = ? ORDER BY id",
                        ps -> ps.setLong(1, deploymentId), rs -> new DeploymentEvent(rs.getLong("id"),
                                rs.getLong("deployment_id"), dialect.getInstant(rs, "at"), rs.getString("type"),
                                rs.getString("check_name"), status(rs.getString("from_status")),
                                status(rs.getString("to_status")), rs.getString("source_status"),
                                rs.getString("message")))));
    }

    @Override
    public void appendEvent(DeploymentEvent event) {
        call("append an event to deployment " + event.deploymentId(), () -> connections.write(c -> {
            insertEvent(c, event);
            return null;
        }));
    }

    @Override
    public int pruneEvents(Instant olderThan) {
        String newestSuccess = "SELECT h.id FROM deployment_histories h WHERE " + meaning.is("h.", DeploymentStatus.SUCCESS)
                + " AND h.deployed_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM deployment_histories n WHERE "
                + "n.github_owner = h.github_owner AND n.github_repo = h.github_repo AND n." + env + " = h." + env
                + " AND " + meaning.is("n.", DeploymentStatus.SUCCESS) + " "
                + "AND n.deployed_at IS NOT NULL AND (n.deployed_at > h.deployed_at OR (n.deployed_at = h.deployed_at AND n.id > h.id)))";
        return call("prune events", () -> connections.write(c -> {
            return SqlRunner.update(c, "DELETE FROM deployment_events WHERE at < ? AND deployment_id NOT IN "
                    + "(SELECT id FROM deployment_histories WHERE " + meaning.is("", DeploymentStatus.RUNNING)
                    + ") AND deployment_id NOT IN (" + newestSuccess + ")", ps -> dialect.setInstant(ps, 1, olderThan));
        }));
    }

    // ------------------------------------------------------------------ leases

    @Override
    public List<Deployment> claim(String owner, Duration leaseDuration, int limit, Set<String> sourceTypes) {
        return call("claim deployments", () -> connections.write(c -> {
            Instant now = clock.instant();
            endChecklessPastDeadline(c, now);
            // A running row without checks (a host's own code wrote it) has nothing to follow: it is not claimed, and
            // ends at its deadline above.
            String running = meaning.is("h.", DeploymentStatus.RUNNING);
            String notRunning = meaning.isNot("h.", DeploymentStatus.RUNNING);
            StringBuilder sql = new StringBuilder("SELECT h.id FROM deployment_histories h WHERE (" + running + " "
                    + "OR h.completion_notified = ?) AND (h.lease_owner IS NULL OR h.lease_until IS NULL OR h.lease_until <= "
                    + dialect.nowExpression() + ") AND (" + notRunning + " OR EXISTS (SELECT 1 FROM deployment_checks k0 "
                    + "WHERE k0.deployment_id = h.id)) AND (" + notRunning + " OR NOT EXISTS (SELECT 1 FROM deployment_checks k "
                    + "WHERE k.deployment_id = h.id AND k.status = 'running'");
            List<String> types = new ArrayList<>(sourceTypes);
            if (!types.isEmpty()) {
                sql.append(" AND k.source_type NOT IN (").append(JdbcDialect.placeholders(types.size())).append(")");
            }
            sql.append(")) ORDER BY h.id LIMIT ?").append(dialect.claimLockClause());
            List<Long> ids = SqlRunner.query(c, sql.toString(), ps -> {
                int i = 1;
                dialect.setBoolean(ps, i++, false);
                i = dialect.bindNow(ps, i, now);
                for (String t : types) {
                    ps.setString(i++, t);
                }
                ps.setInt(i, limit);
            }, rs -> rs.getLong(1));
            if (ids.isEmpty()) {
                return List.of();
            }
            dialect.lease(c, "deployment_histories", ids, owner, now, leaseDuration.toMillis());
            return withChecks(c, selectRows(c, "WHERE id IN (" + JdbcDialect.placeholders(ids.size()) + ") ORDER BY id",
                    ids(ids)));
        }));
    }

    /**
     * Ends the running rows that have no check, no live lease, and a deadline ({@code started_at} plus the checkless
     * timeout) in the past: {@code timed_out} at that deadline, recorded in an {@code expired} event, and counted as
     * notified (a listener is not woken for a row no tracker ever followed).
     */
    private void endChecklessPastDeadline(Connection c, Instant now) throws SQLException {
        Map<Long, Instant> due = SqlRunner.read(c, "SELECT h.id, h.started_at FROM deployment_histories h WHERE "
                + meaning.is("h.", DeploymentStatus.RUNNING) + " AND (h.lease_owner IS NULL OR h.lease_until IS NULL OR h.lease_until <= "
                + dialect.nowExpression() + ") AND NOT EXISTS (SELECT 1 FROM deployment_checks k WHERE k.deployment_id = h.id)",
                ps -> dialect.bindNow(ps, 1, now), rs -> {
                    Map<Long, Instant> out = new LinkedHashMap<>();
                    while (rs.next()) {
                        Instant started = times.get(rs, "started_at");
                        if (started != null && !started.plus(checklessTimeout).isAfter(now)) {
                            out.put(rs.getLong("id"), started.plus(checklessTimeout));
                        }
                    }
                    return out;
                });
        for (Map.Entry<Long, Instant> e : due.entrySet()) {
            String message = "timed out: it had nothing to follow (no check; written before deploytrack followed this "
                    + "table) and was still running at its deadline, started_at + " + checklessTimeout.toMinutes() + " min";
            int ended = SqlRunner.update(c, "UPDATE deployment_histories SET "
                    + meaning.setStatus(DeploymentStatus.TIMED_OUT) + ", completed_at = ?, total_duration = ?, error_message = ?, updated_at = ?, completion_notified = ?, "
                    + "lease_owner = NULL, lease_until = NULL WHERE id = ? AND " + meaning.is("", DeploymentStatus.RUNNING), ps -> {
                times.set(ps, 1, e.getValue());
                ps.setLong(2, checklessTimeout.toSeconds());
                ps.setString(3, message);
                times.set(ps, 4, now);
                dialect.setBoolean(ps, 5, true);
                ps.setLong(6, e.getKey());
            });
            if (ended == 1) {
                insertEvent(c, DeploymentEvent.of(e.getKey(), now, "expired", null, DeploymentStatus.RUNNING,
                        DeploymentStatus.TIMED_OUT, null, message));
            }
        }
    }

    @Override
    public Set<Long> renew(String owner, Collection<Long> ids, Duration leaseDuration) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        return call("renew leases", () -> connections.write(c -> {
            Set<Long> held = new HashSet<>();
            Instant now = clock.instant();
            for (List<Long> chunk : chunks(ids)) {
                held.addAll(SqlRunner.query(c, "UPDATE deployment_histories SET lease_until = "
                        + dialect.nowPlusMillisExpression() + " WHERE lease_owner = ? AND id IN ("
                        + JdbcDialect.placeholders(chunk.size()) + ") RETURNING id", ps -> {
                    int i = dialect.bindNowPlusMillis(ps, 1, now, leaseDuration.toMillis());
                    ps.setString(i++, owner);
                    for (Long id : chunk) {
                        ps.setLong(i++, id);
                    }
                }, rs -> rs.getLong(1)));
            }
            return held;
        }));
    }

    @Override
    public void release(String owner, Collection<Long> ids) {
        call("release leases", () -> connections.write(c -> {
            if (ids == null) {
                SqlRunner.update(c, "UPDATE deployment_histories SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ?",
                        ps -> ps.setString(1, owner));
                return null;
            }
            for (List<Long> chunk : chunks(ids)) {
                SqlRunner.update(c, "UPDATE deployment_histories SET lease_owner = NULL, "
                        + "lease_until = NULL WHERE lease_owner = ? AND id IN (" + JdbcDialect.placeholders(chunk.size()) + ")", ps -> {
                    ps.setString(1, owner);
                    int i = 2;
                    for (Long id : chunk) {
                        ps.setLong(i++, id);
                    }
                });
            }
            return null;
        }));
    }

    @Override
    public Optional<LeaseInfo> lease(long id) {
        return call("read the lease of deployment " + id, () -> connections.read(c -> SqlRunner.queryOne(c,
                "SELECT lease_owner, lease_until FROM deployment_histories WHERE id = ?", ps -> ps.setLong(1, id),
                rs -> rs.getString("lease_owner") == null ? null
                        : new LeaseInfo(rs.getString("lease_owner"), dialect.getInstant(rs, "lease_until")))));
    }

    /** One transaction for all of them. */
    @Override
    public void markAllNotified(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return;
        }
        call("mark " + ids.size() + " deployments notified", () -> connections.write(c -> {
            for (List<Long> chunk : chunks(ids)) {
                SqlRunner.update(c, "UPDATE deployment_histories SET completion_notified = ?, "
                        + "lease_owner = NULL, lease_until = NULL WHERE id IN (" + JdbcDialect.placeholders(chunk.size()) + ")", ps -> {
                    dialect.setBoolean(ps, 1, true);
                    int i = 2;
                    for (Long id : chunk) {
                        ps.setLong(i++, id);
                    }
                });
            }
            return null;
        }));
    }

    @Override
    public void markNotified(long id) {
        call("mark deployment " + id + " notified", () -> connections.write(c -> {
            SqlRunner.update(c, "UPDATE deployment_histories SET completion_notified = ?, "
                    + "lease_owner = NULL, lease_until = NULL WHERE id = ?", ps -> {
                dialect.setBoolean(ps, 1, true);
                ps.setLong(2, id);
            });
            return null;
        }));
    }

    @Override
    public void close() {
        connections.close();
    }

    @Override
    public String toString() {
        return "JdbcHistoryStore[" + description + "]";
    }

    // ------------------------------------------------------------------ pushes

    @Override
    public void recordPush(PendingPush p) {
        call("record a pushed observation for deployment " + p.deploymentId(), () -> connections.write(c -> {
            SqlRunner.update(c, "INSERT INTO deployment_pushes (deployment_id, check_name, "
                    + "via, delivery_id, state, source_status, started_at, finished_at, message, received_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", ps -> {
                Observation o = p.observation();
                ps.setLong(1, p.deploymentId());
                ps.setString(2, p.checkName());
                ps.setString(3, p.via());
                ps.setString(4, p.deliveryId());
                ps.setString(5, o.state().name());
                ps.setString(6, o.sourceStatus());
                dialect.setInstant(ps, 7, o.startedAt());
                dialect.setInstant(ps, 8, o.finishedAt());
                ps.setString(9, truncate(o.message(), 4000));
                dialect.setInstant(ps, 10, p.receivedAt());
            });
            return null;
        }));
    }

    @Override
    public List<PendingPush> pendingPushes(String leaseOwner, int limit) {
        // A read, outside a write transaction: usually there is nothing, and the holder asks on every tick. The rows
        // stay until forgetPushes, after what they changed is committed.
        return call("read pushed observations", () -> connections.read(c -> SqlRunner.query(c,
                "SELECT p.id, p.deployment_id, p.check_name, p.via, "
                + "p.delivery_id, p.state, p.source_status, p.started_at, p.finished_at, p.message, p.received_at "
                + "FROM deployment_pushes p JOIN deployment_histories h ON h.id = p.deployment_id "
                + "WHERE h.lease_owner = ? ORDER BY p.id LIMIT ?", ps -> {
                    ps.setString(1, leaseOwner);
                    ps.setInt(2, limit);
                }, rs -> {
                    Observation o = new Observation(Observation.State.valueOf(rs.getString("state")),
                            rs.getString("source_status"), dialect.getInstant(rs, "started_at"),
                            dialect.getInstant(rs, "finished_at"), rs.getString("message"));
                    return new PendingPush(rs.getLong("id"), rs.getLong("deployment_id"), rs.getString("check_name"),
                            rs.getString("via"), rs.getString("delivery_id"), o, dialect.getInstant(rs, "received_at"));
                })));
    }

    @Override
    public void forgetPushes(Collection<Long> ids) {
        List<Long> all = List.copyOf(ids);
        for (int from = 0; from < all.size(); from += 500) {
            List<Long> chunk = all.subList(from, Math.min(all.size(), from + 500));
            call("forget applied pushed observations", () -> connections.write(c -> {
                SqlRunner.update(c, "DELETE FROM deployment_pushes WHERE id IN ("
                        + JdbcDialect.placeholders(chunk.size()) + ")", ids(chunk));
                return null;
            }));
        }
    }

    @Override
    public List<Deployment> findRunning(Push push, int limit) {
        // The LIKE on the stored k=v&k=v text narrows; push.selects decides exactly.
        StringBuilder sql = new StringBuilder("SELECT DISTINCT h.id FROM deployment_histories h JOIN deployment_checks k "
                + "ON k.deployment_id = h.id WHERE " + meaning.is("h.", DeploymentStatus.RUNNING) + " AND k.status = 'running'");
        List<String> args = new ArrayList<>();
        if (push.ref() != null) {
            sql.append(" AND k.source_type = ?");
            args.add(push.ref().type());
            for (var f : push.ref().fields().entrySet()) {
                sql.append(" AND ('&' || k.source_ref || '&') LIKE ? ESCAPE '!'");
                args.add("%&" + likeEscaped(KeyValues.encode(Map.of(f.getKey(), f.getValue()))) + "&%");
            }
        } else {
            sql.append(" AND ('&' || h.attributes || '&') LIKE ? ESCAPE '!'");
            args.add("%&" + likeEscaped(KeyValues.encode(Map.of(push.attributeKey(), push.attributeValue()))) + "&%");
        }
        sql.append(" ORDER BY h.id LIMIT ?");
        return call("find running checks for a push", () -> connections.read(c -> {
            List<Long> ids = SqlRunner.query(c, sql.toString(), ps -> {
                int i = 1;
                for (String a : args) {
                    ps.setString(i++, a);
                }
                ps.setInt(i, limit);
            }, rs -> rs.getLong(1));
            if (ids.isEmpty()) {
                return List.<Deployment>of();
            }
            List<Deployment> found = withChecks(c, selectRows(c, "WHERE id IN (" + JdbcDialect.placeholders(ids.size()) + ") ORDER BY id",
                    ids(ids)));
            return found.stream().filter(d -> d.checks().stream()
                    .anyMatch(ch -> !ch.status().isTerminal() && push.selects(d, ch))).toList();
        }));
    }

    private static String likeEscaped(String s) {
        return s.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    // ------------------------------------------------------------------ rows

    private record Row(Deployment deployment, String leaseOwner) {
    }

    @FunctionalInterface
    private interface SqlBinder {
        void bind(PreparedStatement ps, int index) throws SQLException;
    }

    private List<Row> selectRows(Connection c, String whereAndOrder, ParameterSetter params) throws SQLException {
        return SqlRunner.query(c, "SELECT " + columns + " FROM deployment_histories " + whereAndOrder, params,
                rs -> new Row(readDeployment(rs), rs.getString("lease_owner")));
    }

    /** Binds {@code ids} as the statement's parameters, from the first. */
    private static ParameterSetter ids(List<Long> ids) {
        return ps -> {
            int i = 1;
            for (Long id : ids) {
                ps.setLong(i++, id);
            }
        };
    }

    private Deployment readDeployment(ResultSet rs) throws SQLException {
        Instant started = times.get(rs, "started_at");
        Instant completed = times.get(rs, "completed_at");
        long storedTotal = rs.getLong("total_duration");
        Duration total = started != null && completed != null ? Duration.between(started, completed)
                : rs.wasNull() ? null : Duration.ofSeconds(storedTotal);
        long rollbackOf = rs.getLong("rollback_of");
        Long rollbackOfValue = rs.wasNull() ? null : rollbackOf;
        return new Deployment(rs.getLong("id"), rs.getString("github_owner"), rs.getString("github_repo"),
                rs.getString("environment"), rs.getString("github_commit_sha"), rs.getBoolean("is_rollback"),
                rollbackOfValue, rs.getString("idempotency_key"), DeploymentStatus.fromWord(rs.getString("status")),
                started, times.get(rs, "deployed_at"), completed, total, meaning.checkName(rs.getString("error_stage")),
                rs.getString("error_message"), List.of(), attributes(rs));
    }

    /** The attributes column with the mapped host columns over it. */
    private Map<String, String> attributes(ResultSet rs) throws SQLException {
        Map<String, String> stored = KeyValues.decode(rs.getString("attributes"));
        if (settings.attributeColumns().isEmpty()) {
            return stored;
        }
        Map<String, String> out = new java.util.LinkedHashMap<>(stored);
        for (Map.Entry<String, String> e : settings.attributeColumns().entrySet()) {
            String v = rs.getString(e.getValue());
            if (v != null && !v.isBlank()) {
                out.put(e.getKey(), v.strip());
            }
        }
        return Map.copyOf(out);
    }

    private List<Deployment> withChecks(Connection c, List<Row> rows) throws SQLException {
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<Long, List<DeploymentCheck>> checks = new HashMap<>();
        List<Long> ids = rows.stream().map(r -> r.deployment.id()).toList();
        for (List<Long> chunk : chunks(ids)) {
            SqlRunner.read(c, "SELECT " + CheckRows.COLUMNS + " FROM deployment_checks WHERE "
                    + "deployment_id IN (" + JdbcDialect.placeholders(chunk.size()) + ") ORDER BY deployment_id, position",
                    ids(chunk), rs -> {
                        while (rs.next()) {
                            checks.computeIfAbsent(rs.getLong("deployment_id"), k -> new ArrayList<>())
                                    .add(CheckRows.read(rs, dialect));
                        }
                        return null;
                    });
        }
        List<Deployment> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            out.add(r.deployment.withChecks(checks.getOrDefault(r.deployment.id(), List.of())));
        }
        return out;
    }

    private static DeploymentStatus status(String word) {
        return word == null ? null : DeploymentStatus.fromWord(word);
    }

    private static List<List<Long>> chunks(Collection<Long> ids) {
        List<Long> all = new ArrayList<>(ids);
        if (all.size() <= CHUNK) {
            return Collections.singletonList(all);
        }
        List<List<Long>> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += CHUNK) {
            out.add(all.subList(i, Math.min(all.size(), i + CHUNK)));
        }
        return out;
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    @FunctionalInterface
    private interface SqlCall<T> {
        T call() throws SQLException;
    }

    private <T> T call(String what, SqlCall<T> body) {
        try {
            return body.call();
        } catch (SQLException e) {
            throw fail(what, e);
        }
    }

    private StoreException fail(String what, SQLException e) {
        return new StoreException("cannot " + what + " in " + description + ": " + e.getMessage(), e);
    }

    /**
     * Configures a {@link JdbcHistoryStore}. Give exactly one of {@link #sqlite(Path)}, {@link #url(String)} or
     * {@link #dataSource(DataSource)}.
     */
    public static final class Builder {
        private Path sqliteFile;
        private String url;
        private DataSource dataSource;
        private Clock clock = Clock.systemUTC();
        private Duration busyTimeout = Duration.ofSeconds(30);
        private int schemaVersion = Migrations.latestVersion();
        private LeaseTime leaseTime = LeaseTime.DATABASE;
        private AdoptionSettings explicit = AdoptionSettings.none();
        private boolean recordSettings;
        private Duration checklessTimeout = Duration.ofMinutes(5);

        private Builder() {
        }

        /** A SQLite file: the embedded default. Its folder must exist and be writable. */
        public Builder sqlite(Path file) {
            this.sqliteFile = Objects.requireNonNull(file, "file");
            return this;
        }

        /**
         * A SQLite path or a JDBC URL: {@code jdbc:sqlite:/var/lib/app/deploytrack.db} or
         * {@code jdbc:postgresql://db:5432/app?user=...}. A PostgreSQL URL is unpooled: every transaction opens a new
         * connection through {@link java.sql.DriverManager}, which suits a command-line tool; a service should pass its
         * pool (HikariCP recommended) to {@link #dataSource} instead. The PostgreSQL driver ({@code org.postgresql:postgresql})
         * must be on the classpath. A password in the URL never appears in messages or logs.
         */
        public Builder url(String pathOrUrl) {
            Objects.requireNonNull(pathOrUrl, "pathOrUrl");
            if (pathOrUrl.startsWith("jdbc:sqlite:")) {
                String rest = pathOrUrl.substring("jdbc:sqlite:".length());
                if (rest.startsWith("file:") || rest.contains(":memory:") || rest.contains("?")) {
                    this.url = pathOrUrl;
                } else {
                    this.sqliteFile = Path.of(rest);
                }
            } else if (pathOrUrl.startsWith("jdbc:")) {
                this.url = pathOrUrl;
            } else {
                this.sqliteFile = Path.of(pathOrUrl);
            }
            return this;
        }

        /**
         * A host's pool (HikariCP recommended); the database type (SQLite or PostgreSQL) is detected from the connection's
         * product name. Each transaction borrows one connection and gives it back. The store never closes this pool.
         */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            return this;
        }

        /**
         * The clock for the times the store stamps ({@code created_at}, {@code updated_at}) and, on SQLite or with
         * {@link LeaseTime#STORE_CLOCK}, for leases. Default: the system clock in UTC.
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Which clock measures leases: {@link LeaseTime#DATABASE} (default: PostgreSQL's {@code now()}, one clock for every
         * instance) or {@link LeaseTime#STORE_CLOCK} (the {@link #clock}: for tests that expire leases by moving a manual
         * clock, or a single instance). SQLite always uses the store's clock, as every process on the file shares a machine.
         */
        public Builder leaseTime(LeaseTime leaseTime) {
            this.leaseTime = Objects.requireNonNull(leaseTime, "leaseTime");
            return this;
        }

        /** How long a SQLite writer waits for another process's write lock; default 30 s. */
        public Builder busyTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("busyTimeout " + timeout + " is not usable: expected 0 to 24 days");
            }
            this.busyTimeout = timeout;
            return this;
        }

        /**
         * Migrates only up to this schema version (default: the newest). For tests of upgrades and for staged roll-outs;
         * a store below the newest version is not usable by the tracker.
         */
        public Builder schemaVersion(int version) {
            if (version < 1 || version > Migrations.latestVersion()) {
                throw new IllegalArgumentException("schemaVersion " + version + " is not usable: expected 1 to " + Migrations.latestVersion());
            }
            this.schemaVersion = version;
            return this;
        }

        /**
         * The zone of naive timestamps in a host's table (its code writes local time without an offset). Naive values
         * are read in it, and the times deploytrack writes into the history keep the column's text format, naive, in this
         * zone. Default: the stored setting, else UTC (and ISO-8601 in tables deploytrack made).
         */
        public Builder zone(ZoneId zone) {
            this.explicit = explicit.withZone(zone);
            return this;
        }

        /**
         * A host column that holds one of deploytrack's fields: {@code mapColumn("environment", "namespace")}, or a request
         * attribute kept in a host column: {@code mapColumn("attribute:ncp_history_id", "deploy_id")} (written on insert,
         * read back as the attribute), a check's stage columns ({@code "check:ncp.status"}, {@code "check:ncp.duration"})
         * or the rollback link ({@code "rollback_of"}). Overrides the stored mapping of that field only; status words
         * and stage names go through {@link #adoption} ({@link AdoptionSettings#withStatusWord}).
         *
         * @throws IllegalArgumentException naming the field or column and what is expected
         */
        public Builder mapColumn(String field, String column) {
            this.explicit = explicit.withMapping(field, column);
            return this;
        }

        /**
         * A value for a host column on rows deploytrack inserts (a NOT NULL column of the host without a default needs
         * one, or the store refuses to open). A request attribute of the same name wins over it.
         */
        public Builder columnDefault(String column, String value) {
            this.explicit = explicit.withDefault(column, value);
            return this;
        }

        /** All adoption settings at once, over the stored ones (a setting at a time). */
        public Builder adoption(AdoptionSettings settings) {
            this.explicit = explicit.overriddenBy(Objects.requireNonNull(settings, "settings"));
            return this;
        }

        /**
         * Records the adoption settings in effect (the stored ones with those given here over them) in the database
         * ({@code deploytrack_settings}) at open, so every later store opened on it uses them without being told.
         */
        public Builder recordAdoptionSettings() {
            this.recordSettings = true;
            return this;
        }

        /**
         * The deadline of a running row that has no check to follow (one a host's own code wrote): {@code started_at}
         * plus this; once past it, the store ends the row {@code timed_out} when a tracker next claims work. Default
         * 5 minutes, the tracker's default timeout.
         */
        public Builder checklessTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("checklessTimeout " + timeout + " is not usable: expected a positive duration");
            }
            this.checklessTimeout = timeout;
            return this;
        }

        /**
         * What opening with these settings would do to the database, without changing it: the whole adoption and migration
         * run in a transaction that is rolled back. For {@code deploytrack adopt} without {@code --apply}.
         *
         * @throws StoreException when the database cannot be opened
         */
        public AdoptionPreview previewAdoption() {
            Opened o = connect(false);
            try {
                return o.connections.write(c -> {
                    Migrations.Outcome out = Migrations.migrate(c, o.connections.dialect(), clock, schemaVersion, explicit,
                            false, false);
                    List<String> missing = HostColumns.missingValues(c, o.connections.dialect(), out.settings());
                    Diagnosis diagnosis = Diagnosis.read(c, o.connections.dialect(), out.settings(), out.times(),
                            clock.instant());
                    throw new PreviewDone(new AdoptionPreview(out.settings(), out.adopted().isPresent(),
                            out.adopted().map(a -> a.addedColumns()).orElse(List.of()),
                        out.adopted().map(a -> a.indexes()).orElse(List.of()),
                            out.adopted().map(a -> a.pending().stream().map(p -> p.name()).toList()).orElse(List.of()),
                            missing, out.times().toString(), diagnosis));
                });
            } catch (PreviewDone done) {
                return done.preview;
            } catch (SQLException | RuntimeException e) {
                throw new StoreException("cannot preview the adoption of " + o.description + ": " + e.getMessage(), e);
            } finally {
                o.connections.close();
            }
        }

        /** Carries the preview out of the transaction, which rolls it back. */
        private static final class PreviewDone extends RuntimeException {
            private static final long serialVersionUID = 1L;
            private final transient AdoptionPreview preview;

            PreviewDone(AdoptionPreview preview) {
                super(null, null, false, false);
                this.preview = preview;
            }
        }

        private record Opened(Connections connections, String description) {
        }
        /**
         * Opens the database and migrates it (adopting a host's table when it finds one).
         *
         * @throws StoreException naming the database and what to fix; among others when a NOT NULL column of a host's
         *                        table has no value deploytrack could write (see {@link #columnDefault})
         */
        public JdbcHistoryStore build() {
            Opened o = connect(true);
            Migrations.Outcome out;
            try {
                out = o.connections.write(c -> Migrations.migrate(c, o.connections.dialect(), clock, schemaVersion, explicit,
                        recordSettings, schemaVersion == Migrations.latestVersion()));
            } catch (SQLException | RuntimeException e) {
                o.connections.close();
                throw new StoreException("cannot open the history store (" + o.description + "): " + e.getMessage(), e);
            }
            return new JdbcHistoryStore(o.connections, clock, o.description, out.settings(), out.times(), checklessTimeout);
        }

        /** {@code wal} false: a dry run, which leaves an SQLite file's journal mode as it is. */
        private Opened connect(boolean wal) {
            int given = (sqliteFile != null ? 1 : 0) + (url != null ? 1 : 0) + (dataSource != null ? 1 : 0);
            if (given != 1) {
                throw new IllegalStateException("give exactly one of sqlite(path), url(jdbcUrl) or dataSource(ds); got " + given);
            }
            try {
                if (sqliteFile != null) {
                    Path file = sqliteFile.toAbsolutePath();
                    checkWritable(file);
                    return new Opened(new SqliteConnections("jdbc:sqlite:" + file, (int) busyTimeout.toMillis(), wal), "SQLite " + file);
                } else if (url != null && url.startsWith("jdbc:sqlite:")) {
                    return new Opened(new SqliteConnections(url, (int) busyTimeout.toMillis(), wal), "SQLite " + url);
                } else if (url != null) {
                    return new Opened(Dialects.forUrl(url, leaseTime == LeaseTime.DATABASE), Dialects.redact(url));
                } else {
                    Dialect dialect = Dialects.detect(dataSource, leaseTime == LeaseTime.DATABASE);
                    return new Opened(new PooledConnections(dataSource, dialect, null),
                            dialect.name() + " through " + dataSource.getClass().getSimpleName());
                }
            } catch (SQLException e) {
                throw new StoreException("cannot open the history store " + (sqliteFile != null ? "at " + sqliteFile.toAbsolutePath()
                        : url != null ? Dialects.redact(url) : "from the DataSource") + ": " + e.getMessage(), e);
            }
        }

        private static void checkWritable(Path file) {
            Path dir = file.getParent();
            if (dir == null || !Files.isDirectory(dir)) {
                throw new StoreException("cannot open the SQLite history at " + file + ": the folder " + dir
                        + " does not exist (or is not a folder); create it or choose another path", null);
            }
            if (Files.exists(file) && (Files.isDirectory(file) || !Files.isWritable(file))) {
                throw new StoreException("cannot open the SQLite history at " + file + ": it is "
                        + (Files.isDirectory(file) ? "a folder" : "not writable") + "; choose a writable file path", null);
            }
            if (!Files.exists(file) && !Files.isWritable(dir)) {
                throw new StoreException("cannot create the SQLite history at " + file + ": the folder " + dir
                        + " is not writable; fix its permissions or choose another path", null);
            }
        }
}
}
