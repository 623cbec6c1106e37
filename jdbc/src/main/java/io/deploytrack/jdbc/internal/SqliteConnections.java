package io.deploytrack.jdbc.internal;

import org.sqlite.SQLiteConfig;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * SQLite connections: one writer connection per process (writes queue here instead of contending inside SQLite, and
 * those that queue together commit together: {@link GroupedWrites}), and a few reader connections, which WAL lets read while the writer writes. Every connection gets
 * {@code busy_timeout}, {@code synchronous=NORMAL} and {@code foreign_keys=ON}; the file is put in WAL mode once. The
 * writer keeps its prepared statements ({@link StatementCache}, which {@link SqlRunner} uses); the WAL is checkpointed off the writer's thread
 * ({@link WalCheckpointer}).
 * Before each transaction the file is checked to be the one opened ({@link SqliteFile}).
 */
public final class SqliteConnections implements Connections {
    private static final int READERS = 4;
    /**
     * WAL pages after which the writer checkpoints in its own commit (SQLite's default, about 4 MB of 4 KB pages): the
     * bound for when {@link WalCheckpointer}, which checkpoints off the writer's thread, cannot finish a checkpoint
     * because the writer keeps appending.
     */
    static final int WAL_CHECKPOINT_PAGES = 1_000;
    /**
     * The size, in bytes, a WAL file is cut back to when a write starts it over after a whole checkpoint: above what
     * {@link #WAL_CHECKPOINT_PAGES} lets it reach with a transaction of the tracker's on top, so a steady WAL is
     * reused as it is, and one that grew past it (a long reader held checkpoints back) shrinks again.
     */
    static final long WAL_SIZE_LIMIT = 6L * 1024 * 1024;

    private final String url;
    private final SQLiteConfig config;
    private final Dialect dialect = new SqliteDialect();
    private final Connection writer;
    /** The file, checked before each transaction; null for a database that is not a plain file. */
    private final SqliteFile file;
    /** Checkpoints the WAL off the writer's thread; null when {@link #file} is, and in a dry run. */
    private final WalCheckpointer checkpointer;
    private final StatementCache writerStatements;
    private final GroupedWrites writes;
    private final ReentrantLock writeLock;
    private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
    private final List<Connection> all = new ArrayList<>();
    private int readersOpened;
    private volatile boolean closed;
    /** True while one writer thread restarts the WAL ({@link #restartWal}); the others go on. */
    private final AtomicBoolean restarting = new AtomicBoolean();

    /** Opens the writer at once (so a bad path fails here) and readers on demand. */
    public SqliteConnections(String url, int busyTimeoutMillis) throws SQLException {
        this(url, busyTimeoutMillis, true);
    }

    /**
     * As above; {@code wal} false leaves the file's journal mode as it is (a dry run, such as {@code adopt} without
     * {@code --apply}, changes nothing in the file).
     */
    public SqliteConnections(String url, int busyTimeoutMillis, boolean wal) throws SQLException {
        this(url, busyTimeoutMillis, wal, null);
    }

    /**
     * As above, the WAL's checkpoints run on {@code checkpoints} (a test's manual scheduler), or on a daemon thread of
     * their own when it is null.
     */
    SqliteConnections(String url, int busyTimeoutMillis, boolean wal, ScheduledExecutorService checkpoints)
            throws SQLException {
        this.url = url;
        this.config = new SQLiteConfig();
        config.setBusyTimeout(busyTimeoutMillis);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.enforceForeignKeys(true);
        this.writer = open();
        try {
            String mode = SqlRunner.readDirect(writer, wal ? "PRAGMA journal_mode=WAL" : "PRAGMA journal_mode",
                    rs -> rs.next() ? rs.getString(1) : "");
            if (wal && !"wal".equalsIgnoreCase(mode) && !url.contains(":memory:") && !url.contains("mode=memory")) {
                throw new SQLException("SQLite refused WAL mode (journal_mode is '" + mode + "') for " + url);
            }
            // The writer's automatic checkpoint (PASSIVE, after a commit that leaves WAL_CHECKPOINT_PAGES or
            // more frames in the WAL) bounds the WAL at about that plus one transaction, as long as one process
            // writes and readers do not hold old snapshots; the WalCheckpointer does most of the copying off the
            // writer's thread, so that checkpoint finds little left. A WAL started over after a whole checkpoint
            // is cut back to WAL_SIZE_LIMIT (journal_size_limit applies to the WAL when it is reset).
            SqlRunner.executeDirect(writer, "PRAGMA wal_autocheckpoint=" + WAL_CHECKPOINT_PAGES);
            SqlRunner.executeDirect(writer, "PRAGMA journal_size_limit=" + WAL_SIZE_LIMIT);
        } catch (SQLException e) {
            writer.close();
            throw e;
        }
        try {
            this.file = SqliteFile.opened(url);
            this.checkpointer = file == null || !wal ? null
                    : WalCheckpointer.open(url, file.path(), config, checkpoints);
        } catch (SQLException e) {
            writer.close();
            throw e;
        }
        this.writerStatements = StatementCache.forConnection(writer);
        Connection theWriter = writer;
        this.writes = new GroupedWrites(dialect, () -> theWriter);
        this.writeLock = writes.lock();
    }

    private Connection open() throws SQLException {
        Connection c = DriverManager.getConnection(url, config.toProperties());
        synchronized (all) {
            all.add(c);
        }
        return c;
    }

    @Override
    public <T> T write(SqlWork<T> work) throws SQLException {
        try {
            return writes.write(work, this::ensureOpen);
        } finally {
            if (checkpointer != null && checkpointer.wrote(WAL_SIZE_LIMIT) && restarting.compareAndSet(false, true)) {
                restartWal();
            }
        }
    }

    /**
     * The WAL grew past {@link #WAL_SIZE_LIMIT}: the writer's own PASSIVE checkpoints could not finish (another
     * process's writer appended while they ran, or a reader held an old snapshot). A RESTART under the writer's lock
     * copies all of it and lets the next write start the WAL over.
     */
    private void restartWal() {
        writeLock.lock();
        try {
            if (!closed) {
                checkpointer.restart();
            }
        } finally {
            writeLock.unlock();
            restarting.set(false);
        }
    }

    @Override
    public <T> T read(SqlWork<T> work) throws SQLException {
        ensureOpen();
        Connection c = borrow();
        try {
            return dialect.inTransaction(c, false, work);
        } finally {
            if (!readers.offer(c)) {
                c.close();
            }
        }
    }

    private Connection borrow() throws SQLException {
        Connection c = readers.poll();
        if (c != null) {
            return c;
        }
        synchronized (this) {
            if (readersOpened < READERS) {
                readersOpened++;
                return open();
            }
        }
        try {
            return readers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for a SQLite reader connection", e);
        }
    }

    private void ensureOpen() throws SQLException {
        if (closed) {
            throw new SQLException("the history store is closed");
        }
        checkInPlace();
    }

    @Override
    public void checkInPlace() throws SQLException {
        if (file != null) {
            file.check();
        }
    }

    /** The WAL's checkpointer (for tests); null when there is none. */
    WalCheckpointer checkpointer() {
        return checkpointer;
    }

    @Override
    public Dialect dialect() {
        return dialect;
    }

    @Override
    public void close() {
        closed = true;
        if (checkpointer != null) {
            checkpointer.close();
        }
        writeLock.lock();
        try {
            writerStatements.clear();
            synchronized (all) {
                for (Connection c : all) {
                    try {
                        c.close();
                    } catch (SQLException ignored) {
                        // closing anyway
                    }
                }
                all.clear();
            }
        } finally {
            writeLock.unlock();
        }
    }
}
