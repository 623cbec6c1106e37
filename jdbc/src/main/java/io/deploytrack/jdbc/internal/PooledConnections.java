package io.deploytrack.jdbc.internal;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/** Connections from a host's {@link DataSource} (a pool such as HikariCP), one per transaction. */
public final class PooledConnections implements Connections {
    private final DataSource dataSource;
    private final Dialect dialect;
    private final AutoCloseable onClose;

    /** Wraps {@code dataSource}; {@code onClose} (nullable) runs when the store closes. */
    public PooledConnections(DataSource dataSource, Dialect dialect, AutoCloseable onClose) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.onClose = onClose;
    }

    @Override
    public <T> T write(SqlWork<T> work) throws SQLException {
        return run(work, true);
    }

    @Override
    public <T> T read(SqlWork<T> work) throws SQLException {
        return run(work, false);
    }

    private <T> T run(SqlWork<T> work, boolean write) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            try {
                return dialect.inTransaction(c, write, work);
            } finally {
                if (c.getAutoCommit() != auto) {
                    c.setAutoCommit(auto);
                }
            }
        }
    }

    @Override
    public Dialect dialect() {
        return dialect;
    }

    @Override
    public void close() {
        if (onClose != null) {
            try {
                onClose.close();
            } catch (Exception ignored) {
                // closing a pool we created; nothing more to do
            }
        }
    }
}
