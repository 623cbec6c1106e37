package io.deploytrack.jdbc.internal;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Group commit of SQLite writes, on a real file: writes queued behind a running one commit together, each caller
 * still gets its own result or its own failure, and nothing of a failed write (or of a group whose commit failed)
 * stays. The writes are lined up deterministically: the first one holds the writer until the others have queued.
 */
class GroupedWritesTest {
    @TempDir
    Path dir;
    Connection writer;
    Connection reader;
    GroupedWrites writes;
    ExecutorService threads;
    volatile boolean closed;

    @BeforeEach
    void open() throws SQLException {
        String url = "jdbc:sqlite:" + dir.resolve("grouped.db") + "?foreign_keys=on";
        writer = DriverManager.getConnection(url);
        reader = DriverManager.getConnection(url);
        try (Statement s = writer.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA foreign_keys=ON");
            s.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)");
            s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL, parent_id INTEGER REFERENCES parent (id))");
        }
        writes = new GroupedWrites(new SqliteDialect(), () -> writer);
        threads = Executors.newFixedThreadPool(8);
    }

    @AfterEach
    void close() throws SQLException {
        threads.shutdownNow();
        writer.close();
        reader.close();
    }

    private <T> T write(SqlWork<T> work) throws SQLException {
        return writes.write(work, () -> {
            if (closed) {
                throw new SQLException("the history store is closed");
            }
        });
    }

    private static long insert(Connection c, String v) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO t (v) VALUES (?) RETURNING id")) {
            ps.setString(1, v);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static List<String> values(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT v FROM t ORDER BY id")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /**
     * Starts a write that holds the writer until {@code release}, then the {@code others}, each on its own thread,
     * and returns once all of them wait in the queue: they then run together, in this order, when it is released.
     */
    private List<Future<Object>> lineUp(CountDownLatch release, List<SqlWork<Object>> others) throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        List<Future<Object>> out = new ArrayList<>();
        out.add(threads.submit(() -> write(c -> {
            holding.countDown();
            try {
                assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                throw new SQLException("interrupted", e);
            }
            return insert(c, "first");
        })));
        assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
        for (SqlWork<Object> w : others) {
            int before = writes.queued();
            out.add(threads.submit(() -> write(w)));
            // Each queues before the next starts, so the group's order is the list's.
            waitUntil(() -> writes.queued() == before + 1);
        }
        return out;
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 30 s").isLessThan(deadline);
            CountDownLatch pause = new CountDownLatch(1);
            pause.await(2, TimeUnit.MILLISECONDS);
        }
    }

    @Test
    void queuedWritesShareOneTransactionAndEachGetsItsOwnResult() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> seenByLast = new ArrayList<>();
        List<Future<Object>> results = lineUp(release, List.of(
                c -> insert(c, "b"),
                c -> insert(c, "c"),
                c -> {
                    // Inside the group: b and c are visible here and not yet committed for anyone else.
                    seenByLast.addAll(values(c));
                    seenByLast.add("reader:" + values(reader));
                    return insert(c, "d");
                }));
        release.countDown();
        List<Object> ids = new ArrayList<>();
        for (Future<Object> f : results) {
            ids.add(f.get(30, TimeUnit.SECONDS));
        }
        assertThat(ids).containsExactly(1L, 2L, 3L, 4L);
        assertThat(seenByLast).containsExactly("first", "b", "c", "reader:[first]");
        assertThat(values(reader)).containsExactly("first", "b", "c", "d");
    }

    @Test
    void aFailedWriteIsRolledBackAloneAndItsCallerGetsItsException() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Future<Object>> results = lineUp(release, List.of(
                c -> insert(c, "b"),
                c -> {
                    insert(c, "c");
                    throw new IllegalStateException("c changed its mind");
                },
                c -> {
                    insert(c, "d");
                    try (Statement s = c.createStatement()) {
                        s.execute("INSERT INTO t (v) VALUES (NULL)");
                    }
                    return "unreachable";
                },
                c -> insert(c, "e")));
        release.countDown();
        assertThat(results.get(1).get(30, TimeUnit.SECONDS)).isEqualTo(2L);
        assertThatThrownBy(() -> results.get(2).get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause()
                .isInstanceOf(IllegalStateException.class).hasMessage("c changed its mind");
        assertThatThrownBy(() -> results.get(3).get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause()
                .isInstanceOf(SQLException.class).hasMessageContaining("NOT NULL");
        assertThat(results.get(4).get(30, TimeUnit.SECONDS)).isNotNull();
        assertThat(values(reader)).containsExactly("first", "b", "e");
    }

    @Test
    void whenTheGroupsCommitFailsEveryWriteOfItFailsAndNothingStays() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Future<Object>> results = lineUp(release, List.of(
                c -> insert(c, "b"),
                c -> {
                    // A deferred foreign key is checked at COMMIT: the commit of the whole group fails.
                    try (Statement s = c.createStatement()) {
                        s.execute("PRAGMA defer_foreign_keys = ON");
                        s.execute("INSERT INTO t (v, parent_id) VALUES ('orphan', 42)");
                    }
                    return "orphan";
                },
                c -> insert(c, "d")));
        release.countDown();
        assertOnlyTheFirstCommitted(results, "FOREIGN KEY");
        // The writer is usable afterwards.
        assertThat((Object) write(c -> insert(c, "after"))).isNotNull();
        assertThat(values(reader)).containsExactly("first", "after");
    }

    @Test
    void whenSqliteAbandonsTheTransactionTheWritesBeforeItFailToo() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Future<Object>> results = lineUp(release, List.of(
                c -> insert(c, "b"),
                c -> {
                    // What SQLite does by itself on a full disk or an I/O error: the whole transaction is gone.
                    try (Statement s = c.createStatement()) {
                        s.execute("ROLLBACK");
                    }
                    throw new SQLException("disk I/O error");
                },
                c -> insert(c, "d")));
        release.countDown();
        assertOnlyTheFirstCommitted(results, "disk I/O error");
        assertThat((Object) write(c -> insert(c, "after"))).isNotNull();
    }

    /** The write that held the writer committed alone; every write of the group after it failed with {@code error}. */
    private void assertOnlyTheFirstCommitted(List<Future<Object>> results, String error) throws Exception {
        assertThat(results.get(0).get(30, TimeUnit.SECONDS)).isEqualTo(1L);
        for (Future<Object> f : results.subList(1, results.size())) {
            assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).cause()
                    .isInstanceOf(SQLException.class).hasMessageContaining(error);
        }
        assertThat(values(reader)).containsExactly("first");
    }

    @Test
    void aLoneWriteRunsInItsOwnTransactionAndAClosedWriterRefusesWrites() throws Exception {
        assertThat((Object) write(c -> insert(c, "alone"))).isEqualTo(1L);
        assertThatThrownBy(() -> write(c -> {
            insert(c, "undone");
            throw new SQLException("refused");
        })).isInstanceOf(SQLException.class).hasMessage("refused");
        assertThat(values(reader)).containsExactly("alone");
        closed = true;
        assertThatThrownBy(() -> write(c -> insert(c, "late"))).isInstanceOf(SQLException.class)
                .hasMessageContaining("closed");
        assertThat(writes.queued()).isZero();
    }

    @Test
    void manyThreadsWritingAtOnceLoseNothing() throws Exception {
        List<CompletableFuture<Long>> all = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String v = "v" + i;
            all.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return write(c -> insert(c, v));
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }, threads));
        }
        List<Long> ids = new ArrayList<>();
        for (CompletableFuture<Long> f : all) {
            ids.add(f.get(60, TimeUnit.SECONDS));
        }
        assertThat(ids).doesNotHaveDuplicates().hasSize(400);
        assertThat(values(reader)).hasSize(400);
    }
}
