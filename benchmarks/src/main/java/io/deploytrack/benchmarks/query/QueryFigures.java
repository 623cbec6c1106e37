package io.deploytrack.benchmarks.query;

import io.deploytrack.benchmarks.Figure;
import io.deploytrack.benchmarks.Percentiles;
import io.deploytrack.benchmarks.SqlRecorder;
import io.deploytrack.benchmarks.Work;
import io.deploytrack.benchmarks.store.SqliteFiles;
import io.deploytrack.core.CheckRef;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentHistory;
import io.deploytrack.core.RollbackTarget;
import io.deploytrack.jdbc.JdbcHistoryStore;
import io.deploytrack.jdbc.support.StoredText;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * {@code query.rollback_target}, {@code query.history} and {@code query.insights} ({@link InsightsFigure}) on a SQLite store of {@code rows} deployments over
 * {@code projects} projects (one check each), bulk-loaded with plain JDBC into the store's own schema, then queried
 * through the store's public API ({@link DeploymentHistory#rollbackTarget}, {@link DeploymentHistory#of} for a page of
 * 20). {@code index_used} comes from {@code EXPLAIN QUERY PLAN} of the exact statements the store ran (recorded
 * through JDBC): true when every table access of every statement is an index or primary-key search.
 */
public final class QueryFigures {
    /** A page of history, as an operator's screen shows it. */
    public static final int HISTORY_PAGE = 20;
    private static final String[] TERMINAL = {"success", "failed", "cancelled", "timed_out"};

    private final int rows;
    private final int projects;
    private final int warmup;
    private final int measured;
    private final Consumer<String> log;

    /**
     * @param rows     deployments to load
     * @param projects projects they spread over (rows / projects each)
     * @param warmup   queries of each kind before measuring
     * @param measured queries of each kind measured
     * @param log      where notes go (the query plans)
     */
    public QueryFigures(int rows, int projects, int warmup, int measured, Consumer<String> log) {
        this.rows = rows;
        this.projects = projects;
        this.warmup = warmup;
        this.measured = measured;
        this.log = log;
    }

    /** Loads, measures, and returns the three figures. */
    public List<Figure> run() throws SQLException {
        Path file = SqliteFiles.fresh(Work.file("query", ".db"));
        long t0 = System.nanoTime();
        load(file);
        log.accept(String.format("query: loaded %,d deployments over %,d projects in %.1f s into %s", rows, projects,
                (System.nanoTime() - t0) / 1e9, file));

        Map<String, Boolean> indexUsed = plans(file);
        List<Figure> out = new ArrayList<>();
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(file)) {
            DeploymentHistory history = DeploymentHistory.of(store);
            Random random = new Random(7);
            long[] target = time(random, p -> {
                RollbackTarget t = history.rollbackTarget(owner(p), repo(p), "production");
                if (t.target().commitSha().equals(t.current().commitSha())) {
                    throw new IllegalStateException("rollback target with the current commit for project " + p);
                }
            });
            out.add(new Figure("query.rollback_target").put("p50_us", Percentiles.of(target, 50))
                    .put("p99_us", Percentiles.of(target, 99)).put("index_used", indexUsed.get("rollback_target")));
            long[] page = time(random, p -> {
                List<Deployment> l = history.of(owner(p), repo(p), "production", HISTORY_PAGE);
                if (l.size() != HISTORY_PAGE) {
                    throw new IllegalStateException("history page of project " + p + " has " + l.size() + " rows");
                }
            });
            out.add(new Figure("query.history").put("p50_us", Percentiles.of(page, 50))
                    .put("p99_us", Percentiles.of(page, 99)).put("index_used", indexUsed.get("history")));
        }
        // an insights answer costs tens of rollback-target answers: a twentieth as many of them
        out.add(new InsightsFigure(file, projects, end(), Math.max(2, warmup / 20), Math.max(5, measured / 20), log).run());
        return out;
    }

    private interface Query {
        void run(int project);
    }

    /** Microseconds per query, random projects, after a warm-up. */
    private long[] time(Random random, Query q) {
        for (int i = 0; i < warmup; i++) {
            q.run(random.nextInt(projects));
        }
        long[] us = new long[measured];
        for (int i = 0; i < measured; i++) {
            int p = random.nextInt(projects);
            long t0 = System.nanoTime();
            q.run(p);
            us[i] = (System.nanoTime() - t0) / 1000;
        }
        return us;
    }

    static String owner(int project) {
        return "org" + (project % 40);
    }

    static String repo(int project) {
        return "service-" + project;
    }

    // ------------------------------------------------------------------ query plans

    /** Runs each query once through a recording store and explains every statement it sent. */
    private Map<String, Boolean> plans(Path file) throws SQLException {
        SqlRecorder recorder = new SqlRecorder();
        SQLiteDataSource ds = new SQLiteDataSource(new SQLiteConfig());
        ds.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        boolean target;
        boolean page;
        try (JdbcHistoryStore store = JdbcHistoryStore.builder().dataSource(recorder.wrap(ds)).build();
             Connection c = SqliteFiles.connect(file)) {
            DeploymentHistory history = DeploymentHistory.of(store);
            recorder.clear();
            history.rollbackTarget(owner(1), repo(1), "production");
            target = explain(c, "rollback_target", recorder.statements());
            recorder.clear();
            history.of(owner(1), repo(1), "production", HISTORY_PAGE);
            page = explain(c, "history", recorder.statements());
        }
        return Map.of("rollback_target", target, "history", page);
    }

    private boolean explain(Connection c, String what, List<String> statements) throws SQLException {
        boolean allSearch = true;
        int explained = 0;
        for (String sql : statements) {
            if (!sql.trim().toUpperCase(java.util.Locale.ROOT).startsWith("SELECT")) {
                continue;
            }
            explained++;
            log.accept("query." + what + " plan of: " + sql);
            try (PreparedStatement ps = c.prepareStatement("EXPLAIN QUERY PLAN " + sql); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String detail = rs.getString("detail");
                    log.accept("    " + detail);
                    if (detail.startsWith("SCAN ") && !detail.startsWith("SCAN CONSTANT")) {
                        allSearch = false;
                    }
                }
            }
        }
        return allSearch && explained > 0;
    }

    // ------------------------------------------------------------------ bulk load

    /**
     * One transaction of plain JDBC batches into the store's tables. Loading-only settings (rollback journal, no
     * sync, a large cache, the store's own secondary indexes dropped and re-created from their stored definitions
     * after the rows are in) make it fast; the file is in WAL mode again when the store opens it.
     */
    private void load(Path file) throws SQLException {
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
             Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=OFF");
            s.execute("PRAGMA synchronous=OFF");
            s.execute("PRAGMA locking_mode=EXCLUSIVE");
            s.execute("PRAGMA cache_size=-524288");
            s.execute("PRAGMA temp_store=MEMORY");
            s.execute("PRAGMA foreign_keys=OFF");
            List<String> indexes = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                    + "AND tbl_name IN ('deployment_histories', 'deployment_checks')")) {
                while (rs.next()) {
                    indexes.add(rs.getString("sql"));
                }
            }
            c.setAutoCommit(false);
            for (String ddl : indexes) {
                s.execute("DROP INDEX " + ddl.split("\\s+")[ddl.startsWith("CREATE UNIQUE") ? 3 : 2]);
            }
            long t0 = System.nanoTime();
            insertRows(c);
            long t1 = System.nanoTime();
            for (String ddl : indexes) {
                s.execute(ddl);
            }
            c.commit();
            log.accept(String.format("query: rows inserted in %.1f s, the store's %d indexes built in %.1f s",
                    (t1 - t0) / 1e9, indexes.size(), (System.nanoTime() - t1) / 1e9));
            c.setAutoCommit(true);
            s.execute("PRAGMA journal_mode=WAL");
        }
    }

    private static final Instant BASE = Instant.parse("2023-01-01T00:00:00Z");

    /** Seconds between two loaded rows' starts: the rows spread over three years. */
    private long stepSeconds() {
        return Math.max(1, Duration.ofDays(3 * 365).toSeconds() / Math.max(1, rows));
    }

    /** Just after the last loaded row started. */
    private Instant end() {
        return BASE.plusSeconds(rows * stepSeconds());
    }

    private void insertRows(Connection c) throws SQLException {
        Random random = new Random(42);
        HexFormat hex = HexFormat.of();
        String[] lastSha = new String[projects];
        Instant base = BASE;
        long stepSeconds = stepSeconds();
        try (PreparedStatement h = c.prepareStatement("INSERT INTO deployment_histories (id, github_owner, github_repo, "
                + "environment, github_commit_sha, is_rollback, rollback_of, idempotency_key, status, started_at, deployed_at, "
                + "completed_at, total_duration, error_stage, error_message, attributes, created_at, updated_at, lease_owner, "
                + "lease_until, completion_notified) VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?)");
             PreparedStatement k = c.prepareStatement("INSERT INTO deployment_checks (deployment_id, position, name, "
                     + "source_type, source_ref, status, started_at, completed_at, deadline_at, last_source_status, "
                     + "awaiting_approval, message, timeout_ms, approval_timeout_ms) VALUES (?, 0, 'ncp', 'ncp', ?, ?, ?, ?, ?, ?, 0, ?, 300000, 86400000)")) {
            for (int i = 0; i < rows; i++) {
                long id = i + 1L;
                int p = i % projects;
                boolean last = i >= rows - projects;
                String env = random.nextDouble() < 0.7 ? "production" : "staging";
                String status;
                if (last && random.nextDouble() < 0.5) {
                    status = "running";
                } else {
                    double r = random.nextDouble();
                    status = r < 0.85 ? TERMINAL[0] : r < 0.95 ? TERMINAL[1] : r < 0.98 ? TERMINAL[2] : TERMINAL[3];
                }
                String sha = lastSha[p] != null && !status.equals("running") && random.nextDouble() < 0.15
                        ? lastSha[p] : hex.formatHex(randomBytes(random, 20));
                lastSha[p] = sha;
                Instant started = base.plusSeconds(i * stepSeconds);
                boolean running = status.equals("running");
                Instant completed = running ? null : started.plusSeconds(30 + random.nextInt(570));
                String sourceWord = switch (status) {
                    case "success" -> "success";
                    case "failed" -> "fail";
                    case "cancelled" -> "canceled";
                    case "timed_out" -> "inprogress";
                    default -> "inprogress";
                };
                String message = switch (status) {
                    case "failed" -> "NCP SourceDeploy deployment " + id + " ended with status 'fail'";
                    case "cancelled" -> "NCP SourceDeploy deployment " + id + " was canceled";
                    case "timed_out" -> "no terminal status within 5m; last status seen: inprogress";
                    default -> null;
                };
                int col = 1;
                h.setLong(col++, id);
                h.setString(col++, owner(p));
                h.setString(col++, repo(p));
                h.setString(col++, env);
                h.setString(col++, sha);
                h.setInt(col++, random.nextDouble() < 0.03 ? 1 : 0);
                h.setString(col++, "ncp:" + (1000 + p) + ":" + id);
                h.setString(col++, status);
                String startedText = time(started);
                String completedText = completed == null ? null : time(completed);
                h.setString(col++, startedText);
                h.setString(col++, status.equals("success") ? completedText : null);
                h.setString(col++, completedText);
                if (completed == null) {
                    h.setNull(col++, java.sql.Types.BIGINT);
                } else {
                    h.setLong(col++, Duration.between(started, completed).toSeconds());
                }
                h.setString(col++, status.equals("success") || running ? null : "ncp");
                h.setString(col++, message);
                String attributes = "image=registry.local%2F" + repo(p) + "%3A" + sha.substring(0, 7) + "&ncp_project_id="
                        + (1000 + p);
                String ref = "historyId=" + id + "&projectId=" + (1000 + p);
                if (i < 1000) {
                    // The hand-made encodings are the library's own, checked on the first rows.
                    Map<String, String> attrs = new java.util.LinkedHashMap<>();
                    attrs.put("image", "registry.local/" + repo(p) + ":" + sha.substring(0, 7));
                    attrs.put("ncp_project_id", Integer.toString(1000 + p));
                    check(attributes, StoredText.attributes(attrs));
                    check(ref, CheckRef.of("ncp", "projectId", Integer.toString(1000 + p), "historyId", Long.toString(id))
                            .encodeFields());
                    check(startedText, StoredText.time(started));
                }
                h.setString(col++, attributes);
                h.setString(col++, startedText);
                h.setString(col++, completedText == null ? startedText : completedText);
                h.setInt(col, running ? 0 : 1);
                h.addBatch();

                k.setLong(1, id);
                k.setString(2, ref);
                k.setString(3, status);
                k.setString(4, startedText);
                k.setString(5, completedText);
                k.setString(6, time(started.plusSeconds(300)));
                k.setString(7, sourceWord);
                k.setString(8, message);
                k.addBatch();
                if (i % 10_000 == 9_999) {
                    h.executeBatch();
                    k.executeBatch();
                }
            }
            h.executeBatch();
            k.executeBatch();
        }
    }

    private static void check(String made, String library) {
        if (!made.equals(library)) {
            throw new IllegalStateException("bulk load encodes '" + made + "' where the store writes '" + library + "'");
        }
    }

    /** {@link Times#format} of a whole second, fast: the bulk load writes five of them per row. */
    private static String time(Instant t) {
        java.time.LocalDateTime d = java.time.LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0, java.time.ZoneOffset.UTC);
        char[] c = "0000-00-00T00:00:00.000Z".toCharArray();
        digits(c, 0, d.getYear(), 4);
        digits(c, 5, d.getMonthValue(), 2);
        digits(c, 8, d.getDayOfMonth(), 2);
        digits(c, 11, d.getHour(), 2);
        digits(c, 14, d.getMinute(), 2);
        digits(c, 17, d.getSecond(), 2);
        return new String(c);
    }

    private static void digits(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
