package io.deploytrack.jdbc.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
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
 * first; a statement that failed is closed and forgotten. Not thread-safe. Not public API.
 */
public final class StatementCache {
    static final int SIZE = 64;

    private final Connection connection;
    private final Map<String, PreparedStatement> cache = new LinkedHashMap<>(SIZE * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
            if (size() > SIZE) {
                closeQuietly(eldest.getValue());
                return true;
            }
            return false;
        }
    };
    private final Connection view;

    /** Caches the statements of {@code connection}, which stays the caller's to close (after {@link #clear()}). */
    public StatementCache(Connection connection) {
        this.connection = connection;
        this.view = (Connection) Proxy.newProxyInstance(StatementCache.class.getClassLoader(),
                new Class<?>[]{Connection.class}, this::onConnection);
    }

    /** The connection to hand to the store's code: the real one, with prepareStatement(sql) cached. */
    public Connection connection() {
        return view;
    }

    private Object onConnection(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getName().equals("prepareStatement") && args != null && args.length == 1 && args[0] instanceof String sql) {
            PreparedStatement ps = cache.get(sql);
            if (ps == null || ps.isClosed()) {
                ps = connection.prepareStatement(sql);
                cache.put(sql, ps);
            }
            return cached(sql, ps);
        }
        return invoke(connection, method, args);
    }

    private PreparedStatement cached(String sql, PreparedStatement ps) {
        InvocationHandler h = (proxy, method, args) -> {
            String name = method.getName();
            if (name.equals("close")) {
                ps.clearParameters();
                return null;
            }
            if (name.equals("isClosed")) {
                return false;
            }
            try {
                return invoke(ps, method, args);
            } catch (SQLException e) {
                cache.remove(sql, ps);
                closeQuietly(ps);
                throw e;
            }
        };
        return (PreparedStatement) Proxy.newProxyInstance(StatementCache.class.getClassLoader(),
                new Class<?>[]{PreparedStatement.class}, h);
    }

    /** Closes every cached statement (not the connection). */
    public void clear() {
        cache.values().forEach(StatementCache::closeQuietly);
        cache.clear();
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void closeQuietly(PreparedStatement ps) {
        try {
            ps.close();
        } catch (SQLException ignored) {
            // closing a statement we no longer keep
        }
    }
}
