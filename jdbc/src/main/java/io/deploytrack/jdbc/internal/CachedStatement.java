package io.deploytrack.jdbc.internal;

import java.sql.SQLException;

/**
 * A statement of {@link StatementCache}: every call goes straight to the cached statement (a plain call, no
 * reflection, as the store binds several parameters per row); {@code close()} only clears its parameters (and a batch
 * left unexecuted, so that it never runs in a later transaction), and a call that fails makes the cache forget and
 * close the statement. Written out method by method from {@link java.sql.PreparedStatement}. Not public API.
 */
@SuppressWarnings("deprecation")
final class CachedStatement implements java.sql.PreparedStatement {
    private final StatementCache cache;
    final String sql;
    final java.sql.PreparedStatement statement;
    /** Rows added since the last execution of the batch. */
    private boolean batched;
    /** A call failed: the cache closed the statement; closing this is a no-op. */
    private boolean failed;

    CachedStatement(StatementCache cache, String sql, java.sql.PreparedStatement statement) {
        this.cache = cache;
        this.sql = sql;
        this.statement = statement;
    }

    private SQLException failed(SQLException e) {
        failed = true;
        cache.forget(this);
        return e;
    }

    /** Keeps the statement: clears its parameters (and a batch nobody executed) for the next user. */
    @Override
    public void close() throws SQLException {
        if (failed) {
            return;
        }
        try {
            if (batched) {
                batched = false;
                statement.clearBatch();
            }
            statement.clearParameters();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /** Always false: the cache keeps it open (a failed one is replaced at the next prepareStatement). */
    @Override
    public boolean isClosed() {
        return false;
    }

    @Override
    public void addBatch() throws SQLException {
        try {
            statement.addBatch();
            batched = true;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void addBatch(String p0) throws SQLException {
        try {
            statement.addBatch(p0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void cancel() throws SQLException {
        try {
            statement.cancel();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void clearBatch() throws SQLException {
        try {
            batched = false;
            statement.clearBatch();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void clearParameters() throws SQLException {
        try {
            statement.clearParameters();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void clearWarnings() throws SQLException {
        try {
            statement.clearWarnings();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void closeOnCompletion() throws SQLException {
        try {
            statement.closeOnCompletion();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public String enquoteIdentifier(String p0, boolean p1) throws SQLException {
        try {
            return statement.enquoteIdentifier(p0, p1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public String enquoteLiteral(String p0) throws SQLException {
        try {
            return statement.enquoteLiteral(p0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public String enquoteNCharLiteral(String p0) throws SQLException {
        try {
            return statement.enquoteNCharLiteral(p0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int[] executeBatch() throws SQLException {
        try {
            batched = false;
            return statement.executeBatch();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        try {
            batched = false;
            return statement.executeLargeBatch();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public long executeLargeUpdate() throws SQLException {
        try {
            return statement.executeLargeUpdate();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public long executeLargeUpdate(String p0, int[] p1) throws SQLException {
        try {
            return statement.executeLargeUpdate(p0, p1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public long executeLargeUpdate(String p0, String[] p1) throws SQLException {
        try {
            return statement.executeLargeUpdate(p0, p1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public long executeLargeUpdate(String p0, int p1) throws SQLException {
        try {
            return statement.executeLargeUpdate(p0, p1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public long executeLargeUpdate(String p0) throws SQLException {
        try {
            return statement.executeLargeUpdate(p0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public java.sql.ResultSet executeQuery() throws SQLException {
        try {
            return statement.executeQuery();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public java.sql.ResultSet executeQuery(String p0) throws SQLException {
        try {
            return statement.executeQuery(p0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int executeUpdate() throws SQLException {
        try {
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int executeUpdate(String p0, int[] p1) throws SQLException {
        try {
            return statement.executeUpdate(p0, p1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int executeUpdate(String p0, String[] p1) throws SQLException {
        try {
            return statement.executeUpdate(p0, p1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int executeUpdate(String p0, int p1) throws SQLException {
        try {
            return statement.executeUpdate(p0, p1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int executeUpdate(String p0) throws SQLException {
        try {
            return statement.executeUpdate(p0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean execute() throws SQLException {
        try {
            return statement.execute();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean execute(String p0, int[] p1) throws SQLException {
        try {
            return statement.execute(p0, p1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean execute(String p0, String[] p1) throws SQLException {
        try {
            return statement.execute(p0, p1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean execute(String p0, int p1) throws SQLException {
        try {
            return statement.execute(p0, p1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean execute(String p0) throws SQLException {
        try {
            return statement.execute(p0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public java.sql.Connection getConnection() throws SQLException {
        try {
            return statement.getConnection();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int getFetchDirection() throws SQLException {
        try {
            return statement.getFetchDirection();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int getFetchSize() throws SQLException {
        try {
            return statement.getFetchSize();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public java.sql.ResultSet getGeneratedKeys() throws SQLException {
        try {
            return statement.getGeneratedKeys();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public long getLargeMaxRows() throws SQLException {
        try {
            return statement.getLargeMaxRows();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public long getLargeUpdateCount() throws SQLException {
        try {
            return statement.getLargeUpdateCount();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int getMaxFieldSize() throws SQLException {
        try {
            return statement.getMaxFieldSize();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int getMaxRows() throws SQLException {
        try {
            return statement.getMaxRows();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public java.sql.ResultSetMetaData getMetaData() throws SQLException {
        try {
            return statement.getMetaData();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean getMoreResults() throws SQLException {
        try {
            return statement.getMoreResults();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean getMoreResults(int p0) throws SQLException {
        try {
            return statement.getMoreResults(p0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public java.sql.ParameterMetaData getParameterMetaData() throws SQLException {
        try {
            return statement.getParameterMetaData();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int getQueryTimeout() throws SQLException {
        try {
            return statement.getQueryTimeout();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int getResultSetConcurrency() throws SQLException {
        try {
            return statement.getResultSetConcurrency();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int getResultSetHoldability() throws SQLException {
        try {
            return statement.getResultSetHoldability();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int getResultSetType() throws SQLException {
        try {
            return statement.getResultSetType();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public java.sql.ResultSet getResultSet() throws SQLException {
        try {
            return statement.getResultSet();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int getUpdateCount() throws SQLException {
        try {
            return statement.getUpdateCount();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public java.sql.SQLWarning getWarnings() throws SQLException {
        try {
            return statement.getWarnings();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean isCloseOnCompletion() throws SQLException {
        try {
            return statement.isCloseOnCompletion();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean isPoolable() throws SQLException {
        try {
            return statement.isPoolable();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean isSimpleIdentifier(String p0) throws SQLException {
        try {
            return statement.isSimpleIdentifier(p0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean isWrapperFor(Class<?> p0) throws SQLException {
        try {
            return statement.isWrapperFor(p0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setArray(int p0, java.sql.Array p1) throws SQLException {
        try {
            statement.setArray(p0, p1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setAsciiStream(int p0, java.io.InputStream p1, int p2) throws SQLException {
        try {
            statement.setAsciiStream(p0, p1, p2);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setAsciiStream(int p0, java.io.InputStream p1, long p2) throws SQLException {
        try {
            statement.setAsciiStream(p0, p1, p2);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setAsciiStream(int p0, java.io.InputStream p1) throws SQLException {
        try {
            statement.setAsciiStream(p0, p1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setBigDecimal(int p0, java.math.BigDecimal p1) throws SQLException {
        try {
            statement.setBigDecimal(p0, p1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setBinaryStream(int p0, java.io.InputStream p1, int p2) throws SQLException {
        try {
            statement.setBinaryStream(p0, p1, p2);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setBinaryStream(int p0, java.io.InputStream p1, long p2) throws SQLException {
        try {
            statement.setBinaryStream(p0, p1, p2);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setBinaryStream(int p0, java.io.InputStream p1) throws SQLException {
        try {
            statement.setBinaryStream(p0, p1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setBlob(int p0, java.io.InputStream p1, long p2) throws SQLException {
        try {
            statement.setBlob(p0, p1, p2);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setBlob(int p0, java.io.InputStream p1) throws SQLException {
        try {
            statement.setBlob(p0, p1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setBlob(int p0, java.sql.Blob p1) throws SQLException {
        try {
            statement.setBlob(p0, p1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setBoolean(int p0, boolean p1) throws SQLException {
        try {
            statement.setBoolean(p0, p1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setByte(int p0, byte p1) throws SQLException {
        try {
            statement.setByte(p0, p1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setBytes(int p0, byte[] p1) throws SQLException {
        try {
            statement.setBytes(p0, p1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setCharacterStream(int p0, java.io.Reader p1, int p2) throws SQLException {
        try {
            statement.setCharacterStream(p0, p1, p2);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setCharacterStream(int p0, java.io.Reader p1, long p2) throws SQLException {
        try {
            statement.setCharacterStream(p0, p1, p2);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setCharacterStream(int p0, java.io.Reader p1) throws SQLException {
        try {
            statement.setCharacterStream(p0, p1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setClob(int p0, java.io.Reader p1, long p2) throws SQLException {
        try {
            statement.setClob(p0, p1, p2);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setClob(int p0, java.io.Reader p1) throws SQLException {
        try {
            statement.setClob(p0, p1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setClob(int p0, java.sql.Clob p1) throws SQLException {
        try {
            statement.setClob(p0, p1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setCursorName(String p0) throws SQLException {
        try {
            statement.setCursorName(p0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setDate(int p0, java.sql.Date p1, java.util.Calendar p2) throws SQLException {
        try {
            statement.setDate(p0, p1, p2);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setDate(int p0, java.sql.Date p1) throws SQLException {
        try {
            statement.setDate(p0, p1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setDouble(int p0, double p1) throws SQLException {
        try {
            statement.setDouble(p0, p1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setEscapeProcessing(boolean p0) throws SQLException {
        try {
            statement.setEscapeProcessing(p0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setFetchDirection(int p0) throws SQLException {
        try {
            statement.setFetchDirection(p0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setFetchSize(int p0) throws SQLException {
        try {
            statement.setFetchSize(p0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setFloat(int p0, float p1) throws SQLException {
        try {
            statement.setFloat(p0, p1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setInt(int p0, int p1) throws SQLException {
        try {
            statement.setInt(p0, p1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setLargeMaxRows(long p0) throws SQLException {
        try {
            statement.setLargeMaxRows(p0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setLong(int p0, long p1) throws SQLException {
        try {
            statement.setLong(p0, p1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setMaxFieldSize(int p0) throws SQLException {
        try {
            statement.setMaxFieldSize(p0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setMaxRows(int p0) throws SQLException {
        try {
            statement.setMaxRows(p0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setNCharacterStream(int p0, java.io.Reader p1, long p2) throws SQLException {
        try {
            statement.setNCharacterStream(p0, p1, p2);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setNCharacterStream(int p0, java.io.Reader p1) throws SQLException {
        try {
            statement.setNCharacterStream(p0, p1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setNClob(int p0, java.io.Reader p1, long p2) throws SQLException {
        try {
            statement.setNClob(p0, p1, p2);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setNClob(int p0, java.io.Reader p1) throws SQLException {
        try {
            statement.setNClob(p0, p1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setNClob(int p0, java.sql.NClob p1) throws SQLException {
        try {
            statement.setNClob(p0, p1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setNString(int p0, String p1) throws SQLException {
        try {
            statement.setNString(p0, p1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setNull(int p0, int p1, String p2) throws SQLException {
        try {
            statement.setNull(p0, p1, p2);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setNull(int p0, int p1) throws SQLException {
        try {
            statement.setNull(p0, p1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setObject(int p0, Object p1, int p2, int p3) throws SQLException {
        try {
            statement.setObject(p0, p1, p2, p3);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setObject(int p0, Object p1, int p2) throws SQLException {
        try {
            statement.setObject(p0, p1, p2);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setObject(int p0, Object p1, java.sql.SQLType p2, int p3) throws SQLException {
        try {
            statement.setObject(p0, p1, p2, p3);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setObject(int p0, Object p1, java.sql.SQLType p2) throws SQLException {
        try {
            statement.setObject(p0, p1, p2);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setObject(int p0, Object p1) throws SQLException {
        try {
            statement.setObject(p0, p1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setPoolable(boolean p0) throws SQLException {
        try {
            statement.setPoolable(p0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setQueryTimeout(int p0) throws SQLException {
        try {
            statement.setQueryTimeout(p0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setRef(int p0, java.sql.Ref p1) throws SQLException {
        try {
            statement.setRef(p0, p1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setRowId(int p0, java.sql.RowId p1) throws SQLException {
        try {
            statement.setRowId(p0, p1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setSQLXML(int p0, java.sql.SQLXML p1) throws SQLException {
        try {
            statement.setSQLXML(p0, p1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setShort(int p0, short p1) throws SQLException {
        try {
            statement.setShort(p0, p1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setString(int p0, String p1) throws SQLException {
        try {
            statement.setString(p0, p1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setTime(int p0, java.sql.Time p1, java.util.Calendar p2) throws SQLException {
        try {
            statement.setTime(p0, p1, p2);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setTime(int p0, java.sql.Time p1) throws SQLException {
        try {
            statement.setTime(p0, p1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setTimestamp(int p0, java.sql.Timestamp p1, java.util.Calendar p2) throws SQLException {
        try {
            statement.setTimestamp(p0, p1, p2);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setTimestamp(int p0, java.sql.Timestamp p1) throws SQLException {
        try {
            statement.setTimestamp(p0, p1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setURL(int p0, java.net.URL p1) throws SQLException {
        try {
            statement.setURL(p0, p1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    @Deprecated
    public void setUnicodeStream(int p0, java.io.InputStream p1, int p2) throws SQLException {
        try {
            statement.setUnicodeStream(p0, p1, p2);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public <T> T unwrap(Class<T> p0) throws SQLException {
        try {
            return statement.unwrap(p0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }
}
