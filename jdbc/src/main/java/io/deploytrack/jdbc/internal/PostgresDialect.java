package io.deploytrack.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * PostgreSQL: times in {@code timestamptz} columns, bound and read as {@link OffsetDateTime} in UTC (microsecond
 * precision, what the column keeps); real booleans; claims lock their rows with {@code FOR UPDATE SKIP LOCKED}, so
 * instances claiming at once split the rows instead of queueing on them; leases measured by the server's
 * {@code now()} unless the store was built to use its own clock (tests with a manual clock).
 *
 * <p>Write transactions run at READ COMMITTED: every status change is a compare-and-set
 * ({@code UPDATE ... WHERE status = ?}), which PostgreSQL re-checks against the newest row version after waiting for a
 * concurrent writer, so no stronger isolation is needed. Reads run in a REPEATABLE READ, READ ONLY transaction, so a
 * deployment and its checks come from one snapshot.
 */
public final class PostgresDialect implements Dialect {
    /** The advisory lock that serialises migrations across instances; any fixed number unlikely to clash ("deployt"). */
    public static final long MIGRATION_LOCK = 0x6465706c6f7974L;
    private static final String UNIQUE_VIOLATION = "23505";

    private final boolean serverTime;

    /**
     * @param serverTime true to measure leases with the server's {@code now()}; false to bind the store's clock
     */
    public PostgresDialect(boolean serverTime) {
        this.serverTime = serverTime;
    }

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public String migrationsFolder() {
        return "io/deploytrack/jdbc/migrations/postgresql";
    }

    @Override
    public void beginWrite(Connection c) throws SQLException {
        c.setAutoCommit(false);
    }

    @Override
    public void beginRead(Connection c) throws SQLException {
        c.setAutoCommit(false);
        // Must be the transaction's first statement; it lasts for this transaction only, so a pooled connection
        // goes back to the pool with its own settings.
        SqlRunner.executeDirect(c, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    }

    @Override
    public void commit(Connection c) throws SQLException {
        c.commit();
    }

    @Override
    public void rollbackQuietly(Connection c) {
        try {
            if (!c.getAutoCommit()) {
                c.rollback();
            }
        } catch (SQLException ignored) {
            // the connection is broken; the pool discards it, and the server rolled back with the session
        }
    }

    @Override
    public void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(index, OffsetDateTime.ofInstant(value.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC));
        }
    }

    @Override
    public Instant getInstant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    @Override
    public String nowExpression() {
        return serverTime ? "now()" : "?";
    }

    @Override
    public String nowPlusMillisExpression() {
        return serverTime ? "(now() + CAST(? AS BIGINT) * INTERVAL '1 millisecond')" : "?";
    }

    @Override
    public int bindNow(PreparedStatement ps, int index, Instant now) throws SQLException {
        if (serverTime) {
            return index;
        }
        setInstant(ps, index, now);
        return index + 1;
    }

    @Override
    public int bindNowPlusMillis(PreparedStatement ps, int index, Instant now, long millis) throws SQLException {
        if (serverTime) {
            ps.setLong(index, millis);
        } else {
            setInstant(ps, index, now.plusMillis(millis));
        }
        return index + 1;
    }

    @Override
    public String claimLockClause() {
        return " FOR UPDATE OF h SKIP LOCKED";
    }

    @Override
    public boolean isUniqueViolation(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && UNIQUE_VIOLATION.equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean createsWithOnConflict() {
        return true;
    }

    @Override
    public void lockForMigration(Connection c) throws SQLException {
        // Released at commit or rollback: a crashed migrator never leaves it held.
        SqlRunner.read(c, "SELECT pg_advisory_xact_lock(?)", ps -> ps.setLong(1, MIGRATION_LOCK), rs -> null);
    }

    /** Whether leases are measured by the server's clock. */
    public boolean serverTime() {
        return serverTime;
    }
}
