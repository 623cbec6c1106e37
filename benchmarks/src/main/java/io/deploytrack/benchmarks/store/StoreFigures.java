package io.deploytrack.benchmarks.store;

import com.zaxxer.hikari.HikariDataSource;
import io.deploytrack.benchmarks.Figure;
import io.deploytrack.benchmarks.Percentiles;
import io.deploytrack.benchmarks.Work;
import io.deploytrack.jdbc.JdbcHistoryStore;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/** {@code store.sqlite}, {@code store.postgres} (JMH) and {@code store.sqlite.concurrent}. */
public final class StoreFigures {

    /** How JMH runs: forks, warm-up and measured iterations. */
    public record JmhPlan(int forks, int warmupIterations, int measurementIterations, long iterationMillis) {
        /** The plan of {@code benchmarks/run}. */
        public static JmhPlan standard() {
            return new JmhPlan(1, 3, 5, 1000);
        }
    }

    private StoreFigures() {
    }

    /**
     * {@code store.sqlite}: the store and plain JDBC on two fresh files, interleaved ({@link Alternating});
     * {@code wal_peak_mb}: the largest the store's WAL grew ({@link WalPeak}).
     */
    public static Figure sqlite(Alternating.Plan plan) throws SQLException {
        String run = "alt" + System.nanoTime();
        Path oursFile = SqliteFiles.fresh(Work.file("store-sqlite", ".db"));
        try (WalPeak wal = WalPeak.watch(oursFile);
             Lifecycle ours = new StoreLifecycle(JdbcHistoryStore.sqlite(oursFile), run, true);
             Lifecycle plain = PlainJdbcLifecycle.sqlite(SqliteFiles.connect(
                     SqliteFiles.fresh(Work.file("store-sqlite-plain", ".db"))), run)) {
            return Alternating.compare("store.sqlite", ours, plain, plan).put("wal_peak_mb", wal.peakMb(), 2);
        }
    }

    /**
     * {@code store.postgres}: the store and plain JDBC on two fresh databases of {@code server}, each through its own
     * HikariCP pool with the default settings, interleaved ({@link Alternating}).
     */
    public static Figure postgres(Alternating.Plan plan, PostgresServer server) throws SQLException {
        String run = "alt" + System.nanoTime();
        PostgresServer.Database oursDb = server.createDatabase();
        PostgresServer.Database plainDb = server.createDatabase();
        try (HikariDataSource oursPool = oursDb.pool("bench-ours"); HikariDataSource plainPool = plainDb.pool("bench-plain")) {
            JdbcHistoryStore.builder().dataSource(plainPool).build().close();
            try (Lifecycle ours = new StoreLifecycle(JdbcHistoryStore.builder().dataSource(oursPool).build(), run, true);
                 Lifecycle plain = PlainJdbcLifecycle.postgres(plainPool, run)) {
                return Alternating.compare("store.postgres", ours, plain, plan);
            }
        } finally {
            oursDb.drop();
            plainDb.drop();
        }
    }

    /** {@code store.sqlite} through JMH: sequential forks of each side. */
    public static Figure sqliteJmh(JmhPlan plan) throws RunnerException {
        return ratio("store.sqlite", SqliteLifecycleBenchmark.class, plan, List.of());
    }

    /** {@code store.postgres} through JMH, against the running server. */
    public static Figure postgresJmh(JmhPlan plan, PostgresServer server) throws RunnerException {
        return ratio("store.postgres", PostgresLifecycleBenchmark.class, plan,
                List.of("-D" + PostgresServer.URL_PROPERTY + "=" + server.url()));
    }

    private static Figure ratio(String name, Class<?> benchmark, JmhPlan plan, List<String> extraJvmArgs)
            throws RunnerException {
        List<String> jvmArgs = new ArrayList<>(List.of("-Xms256m", "-Xmx512m", "-XX:+UseG1GC",
                "-D" + Work.PROPERTY + "=" + Work.dir()));
        jvmArgs.addAll(extraJvmArgs);
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("^" + benchmark.getName().replace(".", "\\.") + "\\.(deploytrack|plainJdbc)$")
                .forks(plan.forks())
                .warmupIterations(plan.warmupIterations())
                .warmupTime(TimeValue.milliseconds(plan.iterationMillis()))
                .measurementIterations(plan.measurementIterations())
                .measurementTime(TimeValue.milliseconds(plan.iterationMillis()))
                .threads(1)
                .jvmArgs(jvmArgs.toArray(String[]::new))
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT);
        Collection<RunResult> results = new Runner(options.build()).run();
        double ours = Double.NaN;
        double baseline = Double.NaN;
        for (RunResult r : results) {
            String method = r.getParams().getBenchmark();
            double median = median(r);
            if (method.endsWith(".deploytrack")) {
                ours = median;
            } else if (method.endsWith(".plainJdbc")) {
                baseline = median;
            }
        }
        if (Double.isNaN(ours) || Double.isNaN(baseline)) {
            throw new IllegalStateException("JMH returned no result for " + name);
        }
        // ratio of times per operation: ours / baseline = baseline throughput / our throughput
        return new Figure(name).put("ops_per_s", ours, 1).put("baseline_ops_per_s", baseline, 1)
                .put("ratio", baseline / ours, 3);
    }

    /** The median of every measured iteration of every fork. */
    private static double median(RunResult r) {
        List<Double> scores = new ArrayList<>();
        for (BenchmarkResult b : r.getBenchmarkResults()) {
            for (IterationResult i : b.getIterationResults()) {
                scores.add(i.getPrimaryResult().getScore());
            }
        }
        return Percentiles.median(scores.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /**
     * {@code store.sqlite.concurrent}: {@code threads} threads share {@code stores} store instances on one WAL file
     * (threads spread evenly over them) and run {@code lifecycles} deployment lives in all. {@code benchmarks/run}
     * uses two stores of four threads each: two writer connections contend for the file as two processes would, so
     * {@code BEGIN IMMEDIATE} and {@code busy_timeout} are what keep {@code busy_errors} at 0. A failure that is
     * SQLite's "busy"/"locked" counts in {@code busy_errors}; any other failure stops the run. {@code rows}: the
     * successful deployments in the file afterwards; {@code wal_peak_mb}: the largest the file's WAL grew ({@link WalPeak}).
     */
    public static Figure concurrent(int threads, int stores, int lifecycles) throws Exception {
        Path file = SqliteFiles.fresh(Work.file("store-concurrent", ".db"));
        WalPeak wal = WalPeak.watch(file);
        List<JdbcHistoryStore> opened = new ArrayList<>();
        for (int i = 0; i < stores; i++) {
            opened.add(JdbcHistoryStore.sqlite(file));
        }
        AtomicLong busy = new AtomicLong();
        AtomicLong done = new AtomicLong();
        AtomicLong remaining = new AtomicLong(lifecycles);
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "bench-concurrent");
            t.setDaemon(true);
            return t;
        });
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        String run = "conc" + System.nanoTime();
        for (int t = 0; t < threads; t++) {
            JdbcHistoryStore store = opened.get(t % stores);
            StoreLifecycle lifecycle = new StoreLifecycle(store, run + "t" + t, false);
            futures.add(pool.submit(() -> {
                go.await();
                while (remaining.getAndDecrement() > 0) {
                    try {
                        lifecycle.run();
                        done.incrementAndGet();
                    } catch (RuntimeException e) {
                        if (isBusy(e)) {
                            busy.incrementAndGet();
                        } else {
                            throw e;
                        }
                    }
                }
                return null;
            }));
        }
        long start = System.nanoTime();
        go.countDown();
        try {
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double walPeakMb = wal.peakMb();
        wal.close();
        opened.forEach(JdbcHistoryStore::close);
        long rows;
        try (Connection c = SqliteFiles.connect(file); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM deployment_histories WHERE status = 'success'")) {
            rs.next();
            rows = rs.getLong(1);
        }
        return new Figure("store.sqlite.concurrent").put("ops_per_s", done.get() / seconds, 1)
                .put("busy_errors", busy.get()).put("rows", rows).put("wal_peak_mb", walPeakMb, 2);
    }

    static boolean isBusy(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (m.contains("SQLITE_BUSY") || m.contains("database is locked") || m.contains("SQLITE_LOCKED")) {
                return true;
            }
            if (t instanceof SQLException s && (s.getErrorCode() == 5 || s.getErrorCode() == 6)) {
                return true;
            }
        }
        return false;
    }
}
