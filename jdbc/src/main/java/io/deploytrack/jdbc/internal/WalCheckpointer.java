package io.deploytrack.jdbc.internal;

import org.sqlite.SQLiteConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The checkpoints of an SQLite file's WAL beyond the writer's own automatic one, on a connection of their own: a
 * {@code TRUNCATE} checkpoint once the store has been idle for {@link #IDLE} (no write since), on a daemon thread (or a
 * test's scheduler), which cuts the WAL file to zero bytes; and a {@code RESTART} checkpoint, on the writer's thread
 * under its lock ({@link #restart}), when the WAL file has grown past its limit all the same.
 *
 * <p>What this relies on (SQLite's documentation of {@code sqlite3_wal_checkpoint_v2}, {@code wal_autocheckpoint},
 * {@code journal_size_limit} and {@code wal.html}): a checkpoint can start the WAL over (the next write transaction
 * writes from its beginning) only once it has copied every frame, which needs a moment when no other connection
 * appends to the WAL or reads an older snapshot; a PASSIVE checkpoint never waits for one, so with the writer appending
 * beside it it may never finish. {@code RESTART} and {@code TRUNCATE} wait for the writer and for readers (the busy
 * handler), blocking new writers while they wait, so they run either when idle or under the writer's lock, each with a
 * short busy timeout, and a busy answer is tried again later. The WAL file is reused, not shrunk, when it starts over,
 * except down to {@code journal_size_limit}. Measured here: PASSIVE checkpoints on this thread after every write,
 * back to back with the writer, kept the writer's own checkpoint busy and never finished, and the WAL grew to 110 MB,
 * so there are none. Not public API.
 */
final class WalCheckpointer implements AutoCloseable {
    /** How long without a write before the WAL file is truncated. */
    static final Duration IDLE = Duration.ofSeconds(2);
    /** How long a {@code TRUNCATE} waits for a reader or a writer before it gives up until the next idle period. */
    static final int BUSY_TIMEOUT_MS = 50;
    /**
     * How long a {@code RESTART} of a WAL past its limit waits for another writer or a reader: longer, since it runs
     * only when the WAL has outgrown its bound, and gives up (to be tried after a later write) past it.
     */
    static final int RESTART_BUSY_TIMEOUT_MS = 200;
    /** How much further a WAL must grow after a {@code RESTART} that found it busy before the next is tried. */
    static final long RESTART_RETRY_GROWTH = 1024L * 1024;
    /** Idle periods in a row whose {@code TRUNCATE} may find the WAL busy before waiting for the next write. */
    private static final int TRUNCATE_ATTEMPTS = 3;

    private final Connection connection;
    /** The WAL file: {@code <database>-wal}. */
    private final Path wal;
    private final ScheduledExecutorService scheduler;
    /** True when {@link #scheduler} is this checkpointer's own, to be shut down with it. */
    private final boolean ownsScheduler;
    /** Held while the connection is used, so that {@link #close} never closes it under a checkpoint. */
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicLong writes = new AtomicLong();
    private final AtomicBoolean idleArmed = new AtomicBoolean();
    private final AtomicLong restarts = new AtomicLong();
    private final AtomicLong truncations = new AtomicLong();
    private int busyTruncations;
    /** The WAL file's size at the last write. */
    private volatile long lastSize;
    /** After a busy {@code RESTART}: the size the WAL must pass before the next is tried; 0 otherwise. */
    private volatile long retryAbove;
    private volatile boolean closed;

    private WalCheckpointer(Connection connection, Path database, ScheduledExecutorService scheduler,
                            boolean ownsScheduler) {
        this.connection = connection;
        this.wal = Path.of(database + "-wal");
        this.scheduler = scheduler;
        this.ownsScheduler = ownsScheduler;
    }

    /**
     * A checkpointer on its own connection to {@code url} (opened with {@code config}'s settings and a short busy
     * timeout), running on {@code scheduler}, or on a daemon thread of its own when that is null.
     */
    static WalCheckpointer open(String url, Path database, SQLiteConfig config, ScheduledExecutorService scheduler)
            throws SQLException {
        Properties p = config.toProperties();
        p.setProperty(SQLiteConfig.Pragma.BUSY_TIMEOUT.pragmaName, String.valueOf(BUSY_TIMEOUT_MS));
        Connection c = DriverManager.getConnection(url, p);
        return scheduler != null ? new WalCheckpointer(c, database, scheduler, false)
                : new WalCheckpointer(c, database, ownThread(), true);
    }

    private static ScheduledExecutorService ownThread() {
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "deploytrack-sqlite-checkpoint");
            t.setDaemon(true);
            return t;
        });
        pool.setRemoveOnCancelPolicy(true);
        pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return pool;
    }

    /**
     * Called after each write on the writer's side: cheap (a {@code stat} of the WAL file, a counter), it starts the
     * idle watch unless it runs, and says whether the WAL file has grown past {@code limitBytes}: then the writer's
     * automatic checkpoints have not been able to start it over, and the caller should {@link #restart} it.
     */
    boolean wrote(long limitBytes) {
        writes.incrementAndGet();
        if (closed) {
            return false;
        }
        armIdle();
        try {
            long size = Files.size(wal);
            lastSize = size;
            return size > Math.max(limitBytes, retryAbove);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A {@code RESTART} checkpoint on the caller's thread, which holds the writer's lock so that this process's writer
     * is not in its way: it waits (at most {@link #RESTART_BUSY_TIMEOUT_MS} at each step) for another writer and for
     * readers of older snapshots, copies the whole WAL into the database, and leaves the WAL to be started over by the
     * next write, whose commit cuts the file back to {@code journal_size_limit}. True when it finished.
     */
    boolean restart() {
        boolean done = checkpoint("RESTART", RESTART_BUSY_TIMEOUT_MS);
        if (done) {
            restarts.incrementAndGet();
            retryAbove = 0;
        } else {
            // Busy (an old reader, another writer's checkpoint): each write must not wait for it again.
            retryAbove = lastSize + RESTART_RETRY_GROWTH;
        }
        return done;
    }

    private void armIdle() {
        if (idleArmed.compareAndSet(false, true)) {
            long seen = writes.get();
            submit(() -> idle(seen), IDLE.toMillis());
        }
    }

    /** The idle watch: truncates when no write came since {@code seen}, else watches on. */
    private void idle(long seen) {
        idleArmed.set(false);
        if (writes.get() != seen) {
            busyTruncations = 0;
            armIdle();
            return;
        }
        if (checkpoint("TRUNCATE", BUSY_TIMEOUT_MS)) {
            busyTruncations = 0;
            truncations.incrementAndGet();
        } else if (++busyTruncations < TRUNCATE_ATTEMPTS) {
            armIdle();
        } else {
            busyTruncations = 0;
        }
    }

    private void submit(Runnable task, long delayMillis) {
        try {
            scheduler.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Shut down: the store is closing, and closing checkpoints the WAL anyway.
            idleArmed.set(false);
        }
    }

    /**
     * Runs {@code PRAGMA wal_checkpoint(mode)}: true when it was not busy. A failure is not the writer's: the writer's
     * own automatic checkpoint still bounds the WAL, so it is swallowed here.
     */
    private boolean checkpoint(String mode, int busyTimeoutMillis) {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            // One row: busy (1 when it could not finish), frames in the WAL, frames checkpointed.
            try {
                SqlRunner.executeDirect(connection, "PRAGMA busy_timeout=" + busyTimeoutMillis);
                return SqlRunner.readDirect(connection, "PRAGMA wal_checkpoint(" + mode + ")",
                        rs -> rs.next() && rs.getInt(1) == 0);
            } catch (SQLException e) {
                return false;
            }
        } finally {
            lock.unlock();
        }
    }

    /** RESTART checkpoints that finished so far (for tests). */
    long restarts() {
        return restarts.get();
    }

    /** TRUNCATE checkpoints that succeeded so far (for tests). */
    long truncations() {
        return truncations.get();
    }

    @Override
    public void close() {
        closed = true;
        if (ownsScheduler) {
            scheduler.shutdownNow();
        }
        lock.lock();
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing anyway
        } finally {
            lock.unlock();
        }
        if (ownsScheduler) {
            try {
                scheduler.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
