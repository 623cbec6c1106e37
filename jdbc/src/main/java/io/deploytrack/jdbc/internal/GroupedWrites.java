package io.deploytrack.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Group commit of the write transactions of one connection that one thread at a time may use (SQLite's writer).
 * Writes that arrive while another commits queue here; the next thread to take the writer runs every queued write, in
 * arrival order, in one {@code BEGIN IMMEDIATE} transaction, each inside its own savepoint, and commits them once. A
 * commit writes every page the transaction touched to the WAL, so it costs far more than a small write's statements:
 * writes that share one (the host's threads recording deployments while the tracker records their ends) go several
 * times faster than one transaction each.
 *
 * <p>What each caller sees is what it saw alone: its work runs once, sees the writes queued before it, and its call
 * returns (or throws its own exception) only after the commit that made its work durable. A work that throws has its
 * own writes rolled back to its savepoint and the others still commit. If the commit fails, or SQLite abandons the
 * whole transaction (a full disk, an I/O error), every work of the group whose writes were lost gets that error, as a
 * lone transaction's caller would. A lone write runs exactly as before: {@code BEGIN IMMEDIATE}, work, {@code COMMIT},
 * with no savepoint. Not public API.
 */
final class GroupedWrites {
    /** The most writes one transaction takes, so that a long queue still commits at a steady pace. */
    static final int MAX_GROUP = 64;
    private static final String SAVEPOINT = "deploytrack_write";

    private final Dialect dialect;
    private final Supplier<Connection> connection;
    private final ReentrantLock lock = new ReentrantLock(true);
    private final Queue<Pending<?>> queue = new ConcurrentLinkedQueue<>();

    /**
     * @param dialect    begins, commits and rolls back
     * @param connection the writer connection; asked for under the lock only
     */
    GroupedWrites(Dialect dialect, Supplier<Connection> connection) {
        this.dialect = dialect;
        this.connection = connection;
    }

    /** One queued write, and what became of it. Its fields are written by whichever thread ran it, under the lock. */
    private static final class Pending<T> {
        private final SqlWork<T> work;
        private T result;
        private Throwable failure;
        private boolean done;

        Pending(SqlWork<T> work) {
            this.work = work;
        }

        void run(Connection c) throws SQLException {
            result = work.apply(c);
        }

        void fail(Throwable t) {
            failure = t;
            done = true;
        }

        T outcome() throws SQLException {
            if (failure instanceof SQLException e) {
                throw e;
            }
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            if (failure != null) {
                throw new SQLException(failure.getMessage(), failure);
            }
            return result;
        }
    }

    /** The lock that makes the connection one thread's at a time; hold it to do anything else with the connection. */
    ReentrantLock lock() {
        return lock;
    }

    /**
     * Runs {@code work} in a write transaction, with whatever other writes are queued; {@code open} is checked first
     * (it throws when the connection may no longer be used).
     */
    <T> T write(SqlWork<T> work, OpenCheck open) throws SQLException {
        Pending<T> mine = new Pending<>(work);
        queue.add(mine);
        lock.lock();
        try {
            // Another thread may have run it (and committed) while this one waited for the lock.
            while (!mine.done) {
                runGroup(open);
            }
        } finally {
            lock.unlock();
        }
        return mine.outcome();
    }

    /** How many writes wait to be run (for tests that line writes up). */
    int queued() {
        return queue.size();
    }

    /** Throws when the connection is closed. */
    @FunctionalInterface
    interface OpenCheck {
        void check() throws SQLException;
    }

    private void runGroup(OpenCheck open) {
        List<Pending<?>> group = new ArrayList<>();
        Pending<?> p;
        while (group.size() < MAX_GROUP && (p = queue.poll()) != null) {
            group.add(p);
        }
        try {
            open.check();
        } catch (SQLException e) {
            group.forEach(g -> g.fail(e));
            return;
        }
        Connection c = connection.get();
        if (group.size() == 1) {
            runAlone(c, group.get(0));
        } else if (!group.isEmpty()) {
            runTogether(c, group);
        }
    }

    private <T> void runAlone(Connection c, Pending<T> p) {
        // Exactly the transaction a write had before writes were grouped.
        try {
            p.result = dialect.inTransaction(c, true, p.work);
        } catch (Throwable t) {
            p.fail(t);
            return;
        }
        p.done = true;
    }

    private void runTogether(Connection c, List<Pending<?>> group) {
        try {
            dialect.beginWrite(c);
        } catch (SQLException e) {
            group.forEach(g -> g.fail(e));
            return;
        }
        List<Pending<?>> ran = new ArrayList<>(group.size());
        SQLException abandoned = null;
        for (Pending<?> p : group) {
            if (abandoned != null) {
                p.fail(abandoned);
                continue;
            }
            try {
                execute(c, "SAVEPOINT " + SAVEPOINT);
                p.run(c);
                execute(c, "RELEASE " + SAVEPOINT);
                ran.add(p);
            } catch (Throwable t) {
                p.fail(t);
                try {
                    execute(c, "ROLLBACK TO " + SAVEPOINT);
                    execute(c, "RELEASE " + SAVEPOINT);
                } catch (SQLException gone) {
                    // SQLite rolled the whole transaction back (it does on a full disk or an I/O error).
                    abandoned = new SQLException("the write transaction was rolled back after an error in a write "
                            + "committed with this one: " + t.getMessage(), t);
                }
            }
        }
        if (abandoned != null) {
            dialect.rollbackQuietly(c);
            for (Pending<?> p : ran) {
                p.fail(abandoned);
            }
            return;
        }
        try {
            dialect.commit(c);
        } catch (SQLException e) {
            dialect.rollbackQuietly(c);
            ran.forEach(p -> p.fail(e));
            return;
        }
        ran.forEach(p -> p.done = true);
    }

    private static void execute(Connection c, String sql) throws SQLException {
        // Prepared, so that the writer's statement cache compiles each savepoint statement once.
        SqlRunner.execute(c, sql);
    }
}
