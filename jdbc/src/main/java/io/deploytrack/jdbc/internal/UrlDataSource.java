package io.deploytrack.jdbc.internal;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

/**
 * A DataSource that opens a new connection from a JDBC URL for every transaction, through {@link DriverManager}: what
 * {@code JdbcHistoryStore.open("jdbc:postgresql://...")} uses. Good for tools and small hosts; a service should pass
 * its pool (HikariCP) to {@code JdbcHistoryStore.Builder.dataSource} instead. Not public API.
 */
public final class UrlDataSource implements DataSource {
    private final String url;
    private int loginTimeoutSeconds;

    /** A DataSource for {@code url}; nothing is opened until {@link #getConnection()}. */
    public UrlDataSource(String url) {
        this.url = url;
    }

    @Override
    public Connection getConnection() throws SQLException {
        try {
            return DriverManager.getConnection(url);
        } catch (SQLException e) {
            throw redacted(e);
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        try {
            return DriverManager.getConnection(url, username, password);
        } catch (SQLException e) {
            throw redacted(e);
        }
    }

    /**
     * DriverManager puts the whole URL, password included, in some messages ("No suitable driver found for ..."), and
     * a driver may repeat a part of it. Such an exception is replaced by one whose message is scrubbed and which keeps
     * no cause that could repeat the password.
     */
    private SQLException redacted(SQLException e) {
        boolean leaks = false;
        for (Throwable t = e; t != null && !leaks; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            leaks = !m.equals(Dialects.scrub(m, url));
        }
        if (!leaks) {
            return e;
        }
        return new SQLException(Dialects.scrub(e.getMessage(), url), e.getSQLState(), e.getErrorCode());
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // DriverManager has its own log writer; nothing to keep here
    }

    @Override
    public void setLoginTimeout(int seconds) {
        this.loginTimeoutSeconds = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeoutSeconds;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("UrlDataSource logs nothing through java.util.logging");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("UrlDataSource is not a " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    @Override
    public String toString() {
        // the URL may carry a password
        return "UrlDataSource[" + Dialects.redact(url) + "]";
    }
}
