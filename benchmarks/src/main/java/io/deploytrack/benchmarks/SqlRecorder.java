package io.deploytrack.benchmarks;

import javax.sql.DataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Records the SQL text a piece of code sends through JDBC: every {@code prepareStatement(sql)} and every
 * {@code Statement.execute*(sql)}. The benchmarks use it to run {@code EXPLAIN QUERY PLAN} on the exact statements the
 * store runs (never a copy of them), and to check that a plain-JDBC baseline runs the same statements as the store.
 */
public final class SqlRecorder {
    private final List<String> statements = Collections.synchronizedList(new ArrayList<>());

    /** The statements recorded so far, in order. */
    public List<String> statements() {
        synchronized (statements) {
            return List.copyOf(statements);
        }
    }

    /** Forgets what was recorded. */
    public void clear() {
        statements.clear();
    }

    /** A DataSource whose connections record. */
    public DataSource wrap(DataSource ds) {
        InvocationHandler h = (proxy, method, args) -> {
            Object result = invoke(ds, method, args);
            return result instanceof Connection c && method.getName().startsWith("getConnection") ? wrap(c) : result;
        };
        return (DataSource) Proxy.newProxyInstance(SqlRecorder.class.getClassLoader(), new Class<?>[]{DataSource.class}, h);
    }

    /** A connection that records. */
    public Connection wrap(Connection c) {
        InvocationHandler h = (proxy, method, args) -> {
            String name = method.getName();
            if ((name.equals("prepareStatement") || name.equals("prepareCall")) && args != null && args[0] instanceof String sql) {
                statements.add(sql);
            }
            Object result = invoke(c, method, args);
            if (name.equals("createStatement") && result instanceof Statement s) {
                return wrap(s);
            }
            return result;
        };
        return (Connection) Proxy.newProxyInstance(SqlRecorder.class.getClassLoader(), new Class<?>[]{Connection.class}, h);
    }

    private Statement wrap(Statement s) {
        InvocationHandler h = (proxy, method, args) -> {
            if (method.getName().startsWith("execute") && args != null && args.length > 0 && args[0] instanceof String sql) {
                statements.add(sql);
            }
            return invoke(s, method, args);
        };
        return (Statement) Proxy.newProxyInstance(SqlRecorder.class.getClassLoader(), new Class<?>[]{Statement.class}, h);
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
