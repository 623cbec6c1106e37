package io.deploytrack.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keeps the prepared statements of a connection that one thread at a time uses (SQLite's writer, under its lock):
 * {@code prepareStatement(sql)} returns the statement prepared for the same SQL before, and closing it only clears
 * its parameters. SQLite compiles a statement in about the time it takes to run a small one, so this makes the
 * store's writes a quarter to a third cheaper. At most {@value #SIZE} statements, the least recently used closed
 * first; a statement that failed is closed and forgotten. The connection and statements handed out are plain
 * delegating classes ({@link CachingConnection}, {@link CachedStatement}), so binding a parameter costs one virtual
 * call more than on the driver's own statement. Not thread-safe. Not public API.
 */
public final class StatementCache {
    static final int SIZE = 64;

    private final Connection connection;
    private final Map<String, CachedStatement> cache = new LinkedHashMap<>(SIZE * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CachedStatement> eldest) {
            if (size() > SIZE) {
                closeQuietly(eldest.getValue().statement);
                return true;
            }
            return false;
        }
    };
    private final Connection view;

    /** Caches the statements of {@code connection}, which stays the caller's to close (after {@link #clear()}). */
    public StatementCache(Connection connection) {
        this.connection = connection;
        this.view = new CachingConnection(this, connection);
    }

    /** The connection to hand to the store's code: the real one, with prepareStatement(sql) cached. */
    public Connection connection() {
        return view;
    }

    PreparedStatement prepare(String sql) throws SQLException {
        CachedStatement ps = cache.get(sql);
        if (ps == null || ps.statement.isClosed()) {
            ps = new CachedStatement(this, sql, connection.prepareStatement(sql));
            cache.put(sql, ps);
        }
        return ps;
    }

    /** A call on {@code ps} failed: close it, and prepare its SQL again next time. */
    void forget(CachedStatement ps) {
        cache.remove(ps.sql, ps);
        closeQuietly(ps.statement);
    }

    /** Closes every cached statement (not the connection). */
    public void clear() {
        cache.values().forEach(ps -> closeQuietly(ps.statement));
        cache.clear();
    }

    private static void closeQuietly(PreparedStatement ps) {
        try {
            ps.close();
        } catch (SQLException ignored) {
            // closing a statement we no longer keep
        }
    }
}
