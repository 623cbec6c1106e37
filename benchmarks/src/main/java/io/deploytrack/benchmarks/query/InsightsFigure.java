package io.deploytrack.benchmarks.query;

import io.deploytrack.benchmarks.Figure;
import io.deploytrack.benchmarks.Percentiles;
import io.deploytrack.benchmarks.SqlRecorder;
import io.deploytrack.core.DeploymentHistory;
import io.deploytrack.core.Insights;
import io.deploytrack.core.InsightsSettings;
import io.deploytrack.jdbc.JdbcHistoryStore;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;

/**
 * {@code query.insights}: {@link DeploymentHistory#insights} of one random project's production over the 90 days that
 * end where {@link QueryFigures}' loaded history ends, through the store's public API (no resolver: lead time needs
 * commit times from outside the database). {@code index_used} is true when no statement the store ran scans a table
 * (the scans of its own CTEs are of rows already selected through an index); {@code shipped_mean} is the mean number of
 * successes per answer, to show the query had work to do.
 */
final class InsightsFigure {
    /** The window the target is set for. */
    static final Duration WINDOW = Duration.ofDays(90);

    private final Path file;
    private final int projects;
    private final Instant end;
    private final int warmup;
    private final int measured;
    private final Consumer<String> log;

    InsightsFigure(Path file, int projects, Instant end, int warmup, int measured, Consumer<String> log) {
        this.file = file;
        this.projects = projects;
        this.end = end;
        this.warmup = warmup;
        this.measured = measured;
        this.log = log;
    }

    Figure run() throws SQLException {
        boolean indexUsed = plan();
        Instant from = end.minus(WINDOW);
        Random random = new Random(11);
        long[] us = new long[measured];
        long shipped = 0;
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(file)) {
            DeploymentHistory history = DeploymentHistory.of(store);
            for (int i = 0; i < warmup + measured; i++) {
                int p = random.nextInt(projects);
                long t0 = System.nanoTime();
                Insights in = history.insights(QueryFigures.owner(p), QueryFigures.repo(p), "production", from, end,
                        InsightsSettings.defaults());
                long took = (System.nanoTime() - t0) / 1000;
                if (in.deployments() + in.rollbacks() == 0) {
                    throw new IllegalStateException("insights of project " + p + " saw no deployment in " + from
                            + " .. " + end + ": the load does not reach the window");
                }
                if (i >= warmup) {
                    us[i - warmup] = took;
                    shipped += in.deployments() + in.rollbacks();
                }
            }
        }
        return new Figure("query.insights").put("p50_ms", Percentiles.of(us, 50) / 1000.0, 1)
                .put("p99_ms", Percentiles.of(us, 99) / 1000.0, 1).put("index_used", indexUsed)
                .put("shipped_mean", shipped / (double) Math.max(1, measured), 1);
    }

    /** Runs one insights query through a recording store and explains every statement it sent. */
    private boolean plan() throws SQLException {
        SqlRecorder recorder = new SqlRecorder();
        SQLiteDataSource ds = new SQLiteDataSource(new SQLiteConfig());
        ds.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        boolean allSearch = true;
        int explained = 0;
        try (JdbcHistoryStore store = JdbcHistoryStore.builder().dataSource(recorder.wrap(ds)).build();
             Connection c = ds.getConnection()) {
            recorder.clear();
            DeploymentHistory.of(store).insights(QueryFigures.owner(1), QueryFigures.repo(1), "production",
                    end.minus(WINDOW), end, InsightsSettings.defaults());
            for (String sql : recorder.statements()) {
                String head = sql.trim().toUpperCase(Locale.ROOT);
                if (!head.startsWith("SELECT") && !head.startsWith("WITH")) {
                    continue;
                }
                explained++;
                log.accept("query.insights plan of: " + sql);
                try (PreparedStatement ps = c.prepareStatement("EXPLAIN QUERY PLAN " + sql);
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String detail = rs.getString("detail");
                        log.accept("    " + detail);
                        // a table's scan (with or without a covering index) reads every row; a CTE's reads its own
                        if (detail.startsWith("SCAN deployment_")) {
                            allSearch = false;
                        }
                    }
                }
            }
        }
        return allSearch && explained > 0;
    }
}
