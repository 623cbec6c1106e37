package io.deploytrack.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * SQLite: times as fixed-width ISO-8601 UTC text (they sort as text), booleans as 0/1, every write transaction
 * {@code BEGIN IMMEDIATE}. In WAL mode a deferred transaction that reads and then writes fails with SQLITE_BUSY at
 * once, without waiting for busy_timeout, when another writer committed in between: the usual cause of "database
 * is locked". Taking the write lock at BEGIN makes the busy handler wait instead.
 */
public final class SqliteDialect implements Dialect {

    @Override
    public String name() {
        return "sqlite";
    }

    @Override
    public String migrationsFolder() {
        return "io/deploytrack/jdbc/migrations/sqlite";
    }

    @Override
    public void beginWrite(Connection c) throws SQLException {
        SqlRunner.executeDirect(c, "BEGIN IMMEDIATE");
    }

    @Override
    public void beginRead(Connection c) throws SQLException {
        SqlRunner.executeDirect(c, "BEGIN");
    }

    @Override
    public void commit(Connection c) throws SQLException {
        SqlRunner.executeDirect(c, "COMMIT");
    }

    @Override
    public void rollbackQuietly(Connection c) {
        try {
            SqlRunner.executeDirect(c, "ROLLBACK");
        } catch (SQLException ignored) {
            // no transaction was open (BEGIN itself failed); nothing to undo
        }
    }

    @Override
    public void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
        ps.setString(index, value == null ? null : Times.format(value));
    }

    @Override
    public Instant getInstant(ResultSet rs, String column) throws SQLException {
        return Times.parse(rs.getString(column));
    }

    @Override
    public void setBoolean(PreparedStatement ps, int index, boolean value) throws SQLException {
        ps.setInt(index, value ? 1 : 0);
    }

    @Override
    public String nowExpression() {
        return "?";
    }

    @Override
    public String nowPlusMillisExpression() {
        return "?";
    }

    @Override
    public int bindNow(PreparedStatement ps, int index, Instant now) throws SQLException {
        ps.setString(index, Times.format(now));
        return index + 1;
    }

    @Override
    public int bindNowPlusMillis(PreparedStatement ps, int index, Instant now, long millis) throws SQLException {
        ps.setString(index, Times.format(now.plusMillis(millis)));
        return index + 1;
    }

    @Override
    public boolean writesGroupsFromValues() {
        return true;
    }

    @Override
    public String claimLockClause() {
        return "";
    }

    @Override
    public boolean isUniqueViolation(SQLException e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("SQLITE_CONSTRAINT_UNIQUE") || m.contains("UNIQUE constraint failed");
    }
}
