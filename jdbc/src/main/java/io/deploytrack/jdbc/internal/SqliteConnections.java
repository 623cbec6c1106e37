package io.deploytrack.jdbc.internal;

import org.sqlite.SQLiteConfig;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * SQLite connections: one writer connection per process (writes queue here instead of contending inside SQLite, and
 * those that queue together commit together: {@link GroupedWrites}), and a few reader connections, which WAL lets read while the writer writes. Every connection gets
 * {@code busy_timeout}, {@code synchronous=NORMAL} and {@code foreign_keys=ON}; the file is put in WAL mode once. The
 * writer keeps its prepared statements ({@link StatementCache}) and checkpoints less often than SQLite's default.
 * Before each transaction the file is checked to be the one opened ({@link SqliteFile}).
 */
public final class SqliteConnections implements Connections {
    private static final int READERS = 4;
    /** WAL pages between two automatic checkpoints (SQLite's default is 1,000): about 40 MB of 4 KB pages. */
    static final int WAL_CHECKPOINT_PAGES = 10_000;
    /** The size, in bytes, a WAL file emptied by a checkpoint is cut back to. */
    static final long WAL_SIZE_LIMIT = 8L * 1024 * 1024;

    private final String url;
    private final SQLiteConfig config;
    private final Dialect dialect = new SqliteDialect();
    private final Connection writer;
    /** The file, checked before each transaction; null for a database that is not a plain file. */
    private final SqliteFile file;
    private final StatementCache writerStatements;
    private final GroupedWrites writes;
    private final ReentrantLock writeLock;
    private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
    private final List<Connection> all = new ArrayList<>();
    private int readersOpened;
    private volatile boolean closed;

    /** Opens the writer at once (so a bad path fails here) and readers on demand. */
    public SqliteConnections(String url, int busyTimeoutMillis) throws SQLException {
        this(url, busyTimeoutMillis, true);
    }

    /**
     * As above; {@code wal} false leaves the file's journal mode as it is (a dry run, such as {@code adopt} without
     * {@code --apply}, changes nothing in the file).
     */
    public SqliteConnections(String url, int busyTimeoutMillis, boolean wal) throws SQLException {
        this.url = url;
        this.config = new SQLiteConfig();
        config.setBusyTimeout(busyTimeoutMillis);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.enforceForeignKeys(true);
        this.writer = open();
        try (Statement s = writer.createStatement(); ResultSet rs = s.executeQuery(wal ? "PRAGMA journal_mode=WAL" : "PRAGMA journal_mode")) {
            String mode = rs.next() ? rs.getString(1) : "";
            if (wal && !"wal".equalsIgnoreCase(mode) && !url.contains(":memory:") && !url.contains("mode=memory")) {
                throw new SQLException("SQLite refused WAL mode (journal_mode is '" + mode + "') for " + url);
            }
            try (Statement t = writer.createStatement()) {
                // The writer checkpoints the WAL into the database every WAL_CHECKPOINT_PAGES pages instead of
                // SQLite's 1,000: each checkpoint waits for two fsyncs while every write queues behind it, and a page
                // written many times between two checkpoints is copied once. The WAL file is cut back to
                // WAL_SIZE_LIMIT once a checkpoint has emptied it.
                t.execute("PRAGMA wal_autocheckpoint=" + WAL_CHECKPOINT_PAGES);
                t.execute("PRAGMA journal_size_limit=" + WAL_SIZE_LIMIT);
            }
        } catch (SQLException e) {
            writer.close();
            throw e;
        }
        try {
            this.file = SqliteFile.opened(url);
        } catch (SQLException e) {
            writer.close();
            throw e;
        }
        this.writerStatements = new StatementCache(writer);
        this.writes = new GroupedWrites(dialect, writerStatements::connection);
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
        return writes.write(work, this::ensureOpen);
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

    @Override
    public Dialect dialect() {
        return dialect;
    }

    @Override
    public void close() {
        closed = true;
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
