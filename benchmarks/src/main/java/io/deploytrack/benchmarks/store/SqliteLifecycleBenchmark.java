package io.deploytrack.benchmarks.store;

import io.deploytrack.benchmarks.Work;
import io.deploytrack.jdbc.JdbcHistoryStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

/** {@code store.sqlite}: one deployment's life per operation, through the store and through plain JDBC. */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SqliteLifecycleBenchmark {

    /** The store on a fresh SQLite file. */
    @State(Scope.Thread)
    public static class Ours {
        Lifecycle lifecycle;

        @Setup(Level.Trial)
        public void open() {
            Path file = SqliteFiles.fresh(Work.file("store-sqlite", ".db"));
            lifecycle = new StoreLifecycle(JdbcHistoryStore.sqlite(file), "jmh" + System.nanoTime(), true);
        }

        @TearDown(Level.Trial)
        public void close() {
            lifecycle.close();
        }
    }

    /** Plain JDBC on a fresh SQLite file with the store's schema and settings. */
    @State(Scope.Thread)
    public static class Plain {
        Lifecycle lifecycle;

        @Setup(Level.Trial)
        public void open() throws SQLException {
            Path file = SqliteFiles.fresh(Work.file("store-sqlite-plain", ".db"));
            lifecycle = PlainJdbcLifecycle.sqlite(SqliteFiles.connect(file), "jmh" + System.nanoTime());
        }

        @TearDown(Level.Trial)
        public void close() {
            lifecycle.close();
        }
    }

    @Benchmark
    public long deploytrack(Ours s) {
        return s.lifecycle.run();
    }

    @Benchmark
    public long plainJdbc(Plain s) {
        return s.lifecycle.run();
    }
}
