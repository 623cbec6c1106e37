package io.deploytrack.benchmarks.store;

import com.zaxxer.hikari.HikariDataSource;
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

import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

/**
 * {@code store.postgres}: one deployment's life per operation, through the store and through plain JDBC, each on a
 * fresh database of the embedded server whose URL {@link PostgresServer#URL_PROPERTY} names, through a HikariCP pool.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PostgresLifecycleBenchmark {

    /** The store over a pool. */
    @State(Scope.Thread)
    public static class Ours {
        PostgresServer.Database db;
        HikariDataSource pool;
        Lifecycle lifecycle;

        @Setup(Level.Trial)
        public void open() throws SQLException {
            db = PostgresServer.fromProperty().createDatabase();
            pool = db.pool("bench-ours");
            lifecycle = new StoreLifecycle(JdbcHistoryStore.builder().dataSource(pool).build(), "jmh" + System.nanoTime(), true);
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            lifecycle.close();
            pool.close();
            db.drop();
        }
    }

    /** Plain JDBC over the same kind of pool, on a database with the store's schema. */
    @State(Scope.Thread)
    public static class Plain {
        PostgresServer.Database db;
        HikariDataSource pool;
        Lifecycle lifecycle;

        @Setup(Level.Trial)
        public void open() throws SQLException {
            db = PostgresServer.fromProperty().createDatabase();
            pool = db.pool("bench-plain");
            JdbcHistoryStore.builder().dataSource(pool).build().close();
            lifecycle = PlainJdbcLifecycle.postgres(pool, "jmh" + System.nanoTime());
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            lifecycle.close();
            pool.close();
            db.drop();
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
