package io.deploytrack.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The prepared statements of a connection that one thread at a time uses (SQLite's writer, under its lock), which
 * {@link SqlRunner} borrows: the statement prepared for the same SQL before, its parameters cleared when it is given
 * back. SQLite compiles a statement in about the time it takes to run a small one, so this makes the store's writes a
 * quarter to a third cheaper. At most {@value #SIZE} statements, the least recently used closed first; a statement
 * whose use failed is closed and forgotten. The runner finds the cache of a connection through {@link #of}: only
 * connections given to {@link #forConnection} have one. Not thread-safe. Not public API.
 */
public final class StatementCache {
    static final int SIZE = 64;
    /** The caches of the connections that have one (one per open SQLite store). */
    private static final Map<Connection, StatementCache> CACHES = new ConcurrentHashMap<>();

    private final Connection connection;
    private final Map<String, PreparedStatement> cache = new LinkedHashMap<>(SIZE * 2, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
            if (size() > SIZE) {
                closeQuietly(eldest.getValue());
                return true;
            }
            return false;
        }
    };

    private StatementCache(Connection connection) {
        this.connection = connection;
    }

    /**
     * Caches the statements the runner prepares on {@code connection}, which stays the caller's to close (after
     * {@link #clear()}). The caller makes sure one thread at a time uses it.
     */
    public static StatementCache forConnection(Connection connection) {
        StatementCache cache = new StatementCache(connection);
        CACHES.put(connection, cache);
        return cache;
    }

    /** The cache of {@code c}, or null when its statements are not cached. */
    static StatementCache of(Connection c) {
        return CACHES.isEmpty() ? null : CACHES.get(c);
    }

    /** The statement prepared for {@code sql} before, or a new one that the cache keeps. */
    PreparedStatement borrow(String sql) throws SQLException {
        PreparedStatement ps = cache.get(sql);
        if (ps == null || ps.isClosed()) {
            ps = connection.prepareStatement(sql);
            cache.put(sql, ps);
        }
        return ps;
    }

    /** {@code ps} is done with: its parameters are cleared for the next user (a failure to do so evicts it). */
    void release(String sql, PreparedStatement ps) throws SQLException {
        try {
            ps.clearParameters();
        } catch (SQLException e) {
            evict(sql, ps);
            throw e;
        }
    }

    /** A use of {@code ps} failed: close it, and prepare its SQL again next time. */
    void evict(String sql, PreparedStatement ps) {
        cache.remove(sql, ps);
        closeQuietly(ps);
    }

    /** Closes every cached statement (not the connection) and stops caching for it. */
    public void clear() {
        CACHES.remove(connection, this);
        cache.values().forEach(StatementCache::closeQuietly);
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
