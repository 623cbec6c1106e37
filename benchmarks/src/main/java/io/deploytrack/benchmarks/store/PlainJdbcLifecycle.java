package io.deploytrack.benchmarks.store;

import io.deploytrack.core.CheckRef;
import io.deploytrack.jdbc.support.StoredText;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The baseline of {@code store.*}: the same deployment life as {@link StoreLifecycle}, written by hand in plain JDBC
 * as a host would, running the same SQL statements in the same transactions on a connection with the same settings
 * (SQLite: WAL, {@code synchronous=NORMAL}, {@code busy_timeout}, {@code foreign_keys=ON}, {@code BEGIN IMMEDIATE};
 * PostgreSQL: a pooled connection, one READ COMMITTED transaction per step, leases by the server's {@code now()}).
 * It reads what the store reads, column by column, but builds no objects from it. A test checks that its statements
 * are the store's.
 */
public final class PlainJdbcLifecycle implements Lifecycle {
    static final String COLUMNS = "id, github_owner, github_repo, environment, github_commit_sha, is_rollback, "
            + "rollback_of, idempotency_key, status, started_at, deployed_at, completed_at, total_duration, error_stage, "
            + "error_message, attributes, lease_owner";
    static final String CHECK_COLUMNS = "deployment_id, position, name, source_type, source_ref, status, "
            + "started_at, completed_at, deadline_at, last_source_status, awaiting_approval, message, timeout_ms, "
            + "approval_timeout_ms, is_stage";
    static final String INSERT_EVENT = "INSERT INTO deployment_events (deployment_id, at, type, check_name, "
            + "from_status, to_status, source_status, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    static final String UPDATE_CHECK = "UPDATE deployment_checks SET status = ?, started_at = ?, completed_at = ?, "
            + "deadline_at = ?, last_source_status = ?, awaiting_approval = ?, message = ?, source_ref = ? "
            + "WHERE deployment_id = ? AND name = ?";

    private final boolean postgres;
    private final Connection sqlite;
    private final DataSource pool;
    private final String run;
    private final AtomicLong next = new AtomicLong();
    private final Clock clock = Clock.systemUTC();
    private final String insertHistory;

    private PlainJdbcLifecycle(boolean postgres, Connection sqlite, DataSource pool, String run) {
        this.postgres = postgres;
        this.sqlite = sqlite;
        this.pool = pool;
        this.run = run;
        this.insertHistory = "INSERT INTO deployment_histories (github_owner, github_repo, environment, github_commit_sha, "
                + "is_rollback, rollback_of, idempotency_key, status, started_at, attributes, created_at, updated_at, "
                + "lease_owner, lease_until, completion_notified) VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, ?, ?, "
                + (postgres ? "(now() + CAST(? AS BIGINT) * INTERVAL '1 millisecond')" : "?") + ", ?)"
                + " ON CONFLICT DO NOTHING RETURNING id";
    }

    /**
     * SQLite: one connection, opened by the caller with the store's pragmas (see {@link SqliteFiles#connect}), used
     * by one thread at a time.
     */
    public static PlainJdbcLifecycle sqlite(Connection connection, String run) {
        return new PlainJdbcLifecycle(false, connection, null, run);
    }

    /** PostgreSQL: a connection per transaction from {@code pool}. */
    public static PlainJdbcLifecycle postgres(DataSource pool, String run) {
        return new PlainJdbcLifecycle(true, null, pool, run);
    }

    @FunctionalInterface
    private interface Work<T> {
        T apply(Connection c) throws SQLException;
    }

    private <T> T transaction(Work<T> work) {
        try {
            if (!postgres) {
                try (Statement s = sqlite.createStatement()) {
                    s.execute("BEGIN IMMEDIATE");
                }
                try {
                    T result = work.apply(sqlite);
                    try (Statement s = sqlite.createStatement()) {
                        s.execute("COMMIT");
                    }
                    return result;
                } catch (SQLException | RuntimeException e) {
                    try (Statement s = sqlite.createStatement()) {
                        s.execute("ROLLBACK");
                    }
                    throw e;
                }
            }
            try (Connection c = pool.getConnection()) {
                c.setAutoCommit(false);
                try {
                    T result = work.apply(c);
                    c.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("baseline transaction failed: " + e.getMessage(), e);
        }
    }

    @Override
    public long run() {
        long n = next.incrementAndGet();
        Instant now = now();
        Instant deadline = now.plus(StoreLifecycle.TIMEOUT);
        String ref = CheckRef.of("ncp", "projectId", "1", "historyId", Long.toString(n)).encodeFields();
        String repo = StoreLifecycle.repo(n);
        String sha = StoreLifecycle.sha(run, n);
        String key = StoreLifecycle.key(run, n);
        String attributes = StoredText.attributes(Map.of("image", "registry.local/app:" + n));

        long id = transaction(c -> {
            long newId;
            try (PreparedStatement ps = c.prepareStatement(insertHistory)) {
                int i = 1;
                ps.setString(i++, StoreLifecycle.OWNER);
                ps.setString(i++, repo);
                ps.setString(i++, "production");
                ps.setString(i++, sha);
                setBoolean(ps, i++, false);
                ps.setNull(i++, Types.BIGINT);
                ps.setString(i++, key);
                setTime(ps, i++, now);
                ps.setString(i++, attributes);
                Instant stamp = clock.instant();
                setTime(ps, i++, stamp);
                setTime(ps, i++, stamp);
                ps.setString(i++, StoreLifecycle.LEASE_OWNER);
                if (postgres) {
                    ps.setLong(i++, StoreLifecycle.LEASE.toMillis());
                } else {
                    setTime(ps, i++, stamp.plus(StoreLifecycle.LEASE));
                }
                setBoolean(ps, i, false);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("no id returned");
                    }
                    newId = rs.getLong(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO deployment_checks (" + CHECK_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setLong(1, newId);
                ps.setInt(2, 0);
                ps.setString(3, "ncp");
                ps.setString(4, "ncp");
                ps.setString(5, ref);
                ps.setString(6, "running");
                setTime(ps, 7, now);
                setTime(ps, 8, null);
                setTime(ps, 9, deadline);
                ps.setString(10, null);
                setBoolean(ps, 11, false);
                ps.setString(12, null);
                ps.setLong(13, StoreLifecycle.TIMEOUT.toMillis());
                ps.setLong(14, StoreLifecycle.APPROVAL_TIMEOUT.toMillis());
                setBoolean(ps, 15, false);
                ps.executeUpdate();
            }
            insertEvent(c, newId, now, "started", null, null, "running", null);
            if (postgres) {
                // The store reads the new row back on PostgreSQL; on SQLite it returns what it wrote.
                try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM deployment_histories WHERE id = ?")) {
                    ps.setLong(1, newId);
                    readRows(ps);
                }
                try (PreparedStatement ps = c.prepareStatement("SELECT " + CHECK_COLUMNS + " FROM deployment_checks WHERE "
                        + "deployment_id IN (?) ORDER BY deployment_id, position")) {
                    ps.setLong(1, newId);
                    readChecks(ps);
                }
            }
            return newId;
        });

        checkUpdate(id, ref, now, deadline, "waiting");
        checkUpdate(id, ref, now, deadline, "inprogress");

        Instant end = now();
        transaction(c -> {
            Instant startedAt = expectRunning(c, id);
            try (PreparedStatement ps = c.prepareStatement("UPDATE deployment_histories SET status = ?, deployed_at = ?, "
                    + "completed_at = ?, total_duration = ?, updated_at = ? WHERE id = ? AND status = ?")) {
                ps.setString(1, "success");
                setTime(ps, 2, end);
                setTime(ps, 3, end);
                ps.setLong(4, Math.round(Duration.between(startedAt, end).toMillis() / 1000.0));
                setTime(ps, 5, clock.instant());
                ps.setLong(6, id);
                ps.setString(7, "running");
                require(ps.executeUpdate() == 1);
            }
            updateCheck(c, id, ref, "success", now, end, deadline, "success");
            insertEvent(c, id, now(), "completed", "ncp", "running", "success", "success");
            return null;
        });
        return id;
    }

    private void checkUpdate(long id, String ref, Instant started, Instant deadline, String word) {
        transaction(c -> {
            expectRunning(c, id);
            try (PreparedStatement ps = c.prepareStatement("UPDATE deployment_histories SET updated_at = ? WHERE id = ? AND status = ?")) {
                setTime(ps, 1, clock.instant());
                ps.setLong(2, id);
                ps.setString(3, "running");
                require(ps.executeUpdate() == 1);
            }
            updateCheck(c, id, ref, "running", started, null, deadline, word);
            insertEvent(c, id, now(), "source_status", "ncp", null, null, word);
            return null;
        });
    }

    private Instant expectRunning(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT status, started_at FROM deployment_histories WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                require(rs.next() && "running".equals(rs.getString("status")));
                return getTime(rs, "started_at");
            }
        }
    }

    private void updateCheck(Connection c, long id, String ref, String status, Instant started, Instant completed,
                             Instant deadline, String word) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(UPDATE_CHECK)) {
            ps.setString(1, status);
            setTime(ps, 2, started);
            setTime(ps, 3, completed);
            setTime(ps, 4, deadline);
            ps.setString(5, word);
            setBoolean(ps, 6, false);
            ps.setString(7, null);
            ps.setString(8, ref);
            ps.setLong(9, id);
            ps.setString(10, "ncp");
            require(ps.executeUpdate() == 1);
        }
    }

    private void insertEvent(Connection c, long id, Instant at, String type, String check, String from, String to,
                             String sourceStatus) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_EVENT)) {
            ps.setLong(1, id);
            setTime(ps, 2, at);
            ps.setString(3, type);
            ps.setString(4, check);
            ps.setString(5, from);
            ps.setString(6, to);
            ps.setString(7, sourceStatus);
            ps.setString(8, null);
            ps.executeUpdate();
        }
    }

    /** Reads every column of every row, as the store does, without building objects; returns the row count. */
    private int readRows(PreparedStatement ps) throws SQLException {
        int rows = 0;
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows++;
                rs.getLong("id");
                rs.getString("github_owner");
                rs.getString("github_repo");
                rs.getString("environment");
                rs.getString("github_commit_sha");
                rs.getBoolean("is_rollback");
                rs.getLong("rollback_of");
                rs.getString("idempotency_key");
                rs.getString("status");
                getTime(rs, "started_at");
                getTime(rs, "deployed_at");
                getTime(rs, "completed_at");
                rs.getLong("total_duration");
                rs.getString("error_stage");
                rs.getString("error_message");
                rs.getString("attributes");
                rs.getString("lease_owner");
            }
        }
        return rows;
    }

    private void readChecks(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rs.getLong("deployment_id");
                rs.getString("source_type");
                rs.getString("name");
                rs.getString("source_ref");
                rs.getString("status");
                getTime(rs, "started_at");
                getTime(rs, "completed_at");
                getTime(rs, "deadline_at");
                rs.getString("last_source_status");
                rs.getBoolean("awaiting_approval");
                rs.getString("message");
                rs.getLong("timeout_ms");
                rs.getLong("approval_timeout_ms");
                rs.getBoolean("is_stage");
            }
        }
    }

    private void setTime(PreparedStatement ps, int i, Instant t) throws SQLException {
        if (postgres) {
            if (t == null) {
                ps.setNull(i, Types.TIMESTAMP_WITH_TIMEZONE);
            } else {
                ps.setObject(i, OffsetDateTime.ofInstant(t.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC));
            }
        } else {
            ps.setString(i, t == null ? null : StoredText.time(t));
        }
    }

    private Instant getTime(ResultSet rs, String column) throws SQLException {
        if (postgres) {
            OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
            return t == null ? null : t.toInstant();
        }
        return StoredText.parseTime(rs.getString(column));
    }

    private void setBoolean(PreparedStatement ps, int i, boolean value) throws SQLException {
        if (postgres) {
            ps.setBoolean(i, value);
        } else {
            ps.setInt(i, value ? 1 : 0);
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static void require(boolean ok) {
        if (!ok) {
            throw new IllegalStateException("baseline: a compare-and-set update was not applied");
        }
    }

    @Override
    public void close() {
        try {
            if (sqlite != null) {
                sqlite.close();
            }
        } catch (SQLException ignored) {
            // closing anyway
        }
    }
}
