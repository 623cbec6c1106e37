package io.deploytrack.jdbc.internal;

import java.sql.SQLClientInfoException;
import java.sql.SQLException;

/**
 * The connection {@link StatementCache} hands out: {@code prepareStatement(sql)} comes from the cache, every other
 * call goes straight to the real connection (plain calls, no reflection). Written out method by method from
 * {@link java.sql.Connection}. Not public API.
 */
final class CachingConnection implements java.sql.Connection {
    private final StatementCache cache;
    private final java.sql.Connection connection;

    CachingConnection(StatementCache cache, java.sql.Connection connection) {
        this.cache = cache;
        this.connection = connection;
    }

    /** The statement prepared for the same SQL before, or a new one that the cache keeps. */
    @Override
    public java.sql.PreparedStatement prepareStatement(String sql) throws SQLException {
        return cache.prepare(sql);
    }

    @Override
    public void abort(java.util.concurrent.Executor p0) throws SQLException {
        connection.abort(p0);
    }

    @Override
    public void beginRequest() throws SQLException {
        connection.beginRequest();
    }

    @Override
    public void clearWarnings() throws SQLException {
        connection.clearWarnings();
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }

    @Override
    public void commit() throws SQLException {
        connection.commit();
    }

    @Override
    public java.sql.Array createArrayOf(String p0, Object[] p1) throws SQLException {
        return connection.createArrayOf(p0, p1);
    }

    @Override
    public java.sql.Blob createBlob() throws SQLException {
        return connection.createBlob();
    }

    @Override
    public java.sql.Clob createClob() throws SQLException {
        return connection.createClob();
    }

    @Override
    public java.sql.NClob createNClob() throws SQLException {
        return connection.createNClob();
    }

    @Override
    public java.sql.SQLXML createSQLXML() throws SQLException {
        return connection.createSQLXML();
    }

    @Override
    public java.sql.Statement createStatement() throws SQLException {
        return connection.createStatement();
    }

    @Override
    public java.sql.Statement createStatement(int p0, int p1, int p2) throws SQLException {
        return connection.createStatement(p0, p1, p2);
    }

    @Override
    public java.sql.Statement createStatement(int p0, int p1) throws SQLException {
        return connection.createStatement(p0, p1);
    }

    @Override
    public java.sql.Struct createStruct(String p0, Object[] p1) throws SQLException {
        return connection.createStruct(p0, p1);
    }

    @Override
    public void endRequest() throws SQLException {
        connection.endRequest();
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        return connection.getAutoCommit();
    }

    @Override
    public String getCatalog() throws SQLException {
        return connection.getCatalog();
    }

    @Override
    public java.util.Properties getClientInfo() throws SQLException {
        return connection.getClientInfo();
    }

    @Override
    public String getClientInfo(String p0) throws SQLException {
        return connection.getClientInfo(p0);
    }

    @Override
    public int getHoldability() throws SQLException {
        return connection.getHoldability();
    }

    @Override
    public java.sql.DatabaseMetaData getMetaData() throws SQLException {
        return connection.getMetaData();
    }

    @Override
    public int getNetworkTimeout() throws SQLException {
        return connection.getNetworkTimeout();
    }

    @Override
    public String getSchema() throws SQLException {
        return connection.getSchema();
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        return connection.getTransactionIsolation();
    }

    @Override
    public java.util.Map<String, Class<?>> getTypeMap() throws SQLException {
        return connection.getTypeMap();
    }

    @Override
    public java.sql.SQLWarning getWarnings() throws SQLException {
        return connection.getWarnings();
    }

    @Override
    public boolean isClosed() throws SQLException {
        return connection.isClosed();
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        return connection.isReadOnly();
    }

    @Override
    public boolean isValid(int p0) throws SQLException {
        return connection.isValid(p0);
    }

    @Override
    public boolean isWrapperFor(Class<?> p0) throws SQLException {
        return connection.isWrapperFor(p0);
    }

    @Override
    public String nativeSQL(String p0) throws SQLException {
        return connection.nativeSQL(p0);
    }

    @Override
    public java.sql.CallableStatement prepareCall(String p0, int p1, int p2, int p3) throws SQLException {
        return connection.prepareCall(p0, p1, p2, p3);
    }

    @Override
    public java.sql.CallableStatement prepareCall(String p0, int p1, int p2) throws SQLException {
        return connection.prepareCall(p0, p1, p2);
    }

    @Override
    public java.sql.CallableStatement prepareCall(String p0) throws SQLException {
        return connection.prepareCall(p0);
    }

    @Override
    public java.sql.PreparedStatement prepareStatement(String p0, int[] p1) throws SQLException {
        return connection.prepareStatement(p0, p1);
    }

    @Override
    public java.sql.PreparedStatement prepareStatement(String p0, String[] p1) throws SQLException {
        return connection.prepareStatement(p0, p1);
    }

    @Override
    public java.sql.PreparedStatement prepareStatement(String p0, int p1, int p2, int p3) throws SQLException {
        return connection.prepareStatement(p0, p1, p2, p3);
    }

    @Override
    public java.sql.PreparedStatement prepareStatement(String p0, int p1, int p2) throws SQLException {
        return connection.prepareStatement(p0, p1, p2);
    }

    @Override
    public java.sql.PreparedStatement prepareStatement(String p0, int p1) throws SQLException {
        return connection.prepareStatement(p0, p1);
    }

    @Override
    public void releaseSavepoint(java.sql.Savepoint p0) throws SQLException {
        connection.releaseSavepoint(p0);
    }

    @Override
    public void rollback() throws SQLException {
        connection.rollback();
    }

    @Override
    public void rollback(java.sql.Savepoint p0) throws SQLException {
        connection.rollback(p0);
    }

    @Override
    public void setAutoCommit(boolean p0) throws SQLException {
        connection.setAutoCommit(p0);
    }

    @Override
    public void setCatalog(String p0) throws SQLException {
        connection.setCatalog(p0);
    }

    @Override
    public void setClientInfo(String p0, String p1) throws SQLClientInfoException {
        connection.setClientInfo(p0, p1);
    }

    @Override
    public void setClientInfo(java.util.Properties p0) throws SQLClientInfoException {
        connection.setClientInfo(p0);
    }

    @Override
    public void setHoldability(int p0) throws SQLException {
        connection.setHoldability(p0);
    }

    @Override
    public void setNetworkTimeout(java.util.concurrent.Executor p0, int p1) throws SQLException {
        connection.setNetworkTimeout(p0, p1);
    }

    @Override
    public void setReadOnly(boolean p0) throws SQLException {
        connection.setReadOnly(p0);
    }

    @Override
    public java.sql.Savepoint setSavepoint() throws SQLException {
        return connection.setSavepoint();
    }

    @Override
    public java.sql.Savepoint setSavepoint(String p0) throws SQLException {
        return connection.setSavepoint(p0);
    }

    @Override
    public void setSchema(String p0) throws SQLException {
        connection.setSchema(p0);
    }

    @Override
    public boolean setShardingKeyIfValid(java.sql.ShardingKey p0, int p1) throws SQLException {
        return connection.setShardingKeyIfValid(p0, p1);
    }

    @Override
    public boolean setShardingKeyIfValid(java.sql.ShardingKey p0, java.sql.ShardingKey p1, int p2) throws SQLException {
        return connection.setShardingKeyIfValid(p0, p1, p2);
    }

    @Override
    public void setShardingKey(java.sql.ShardingKey p0, java.sql.ShardingKey p1) throws SQLException {
        connection.setShardingKey(p0, p1);
    }

    @Override
    public void setShardingKey(java.sql.ShardingKey p0) throws SQLException {
        connection.setShardingKey(p0);
    }

    @Override
    public void setTransactionIsolation(int p0) throws SQLException {
        connection.setTransactionIsolation(p0);
    }

    @Override
    public void setTypeMap(java.util.Map<String, Class<?>> p0) throws SQLException {
        connection.setTypeMap(p0);
    }

    @Override
    public <T> T unwrap(Class<T> p0) throws SQLException {
        return connection.unwrap(p0);
    }
}
