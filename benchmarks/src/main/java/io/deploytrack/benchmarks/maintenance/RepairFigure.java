package io.deploytrack.benchmarks.maintenance;

import io.deploytrack.benchmarks.Figure;
import io.deploytrack.benchmarks.Work;
import io.deploytrack.core.DeploymentHistory;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.jdbc.Diagnosis;
import io.deploytrack.jdbc.JdbcHistoryStore;
import io.deploytrack.jdbc.RepairPlan;
import io.deploytrack.jdbc.RepairSources;
import io.deploytrack.jdbc.StoreMaintenance;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code maintenance.repair}: {@code repair} of a host's own {@code deployment_histories} table (naive times, no
 * deploytrack columns: adopted when the store opens it) holding {@code rows} damaged rows: half of them deployments
 * recorded twice (a {@code success} row and, 30 s later, a {@code running} one of the same commit: merged, and the
 * kept row's {@code deployed_at} filled), half rows left {@code running} for months (resolved {@code timed_out}).
 * Measures the diagnosis and the repair, and, half-way through the repair, a {@code mark} by another store on the
 * same file (another writer, as {@code deploytrack mark} in a second process; repair waits for it between two steps,
 * so its time is counted in {@code repair_s}): the issue saw it fail with {@code SQLITE_BUSY} after 32 s when repair
 * held one transaction throughout.
 */
public final class RepairFigure {
    private static final DateTimeFormatter NAIVE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final LocalDateTime FIRST = LocalDateTime.of(2025, 6, 1, 9, 0);
    private static final Clock NOW = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);

    private final int rows;
    private final Consumer<String> log;

    /** {@code rows} damaged rows (an even number: half duplicates, half stuck). */
    public RepairFigure(int rows, Consumer<String> log) {
        this.rows = rows;
        this.log = log;
    }

    /** Builds the table, repairs it and returns the figure. */
    public Figure run() throws Exception {
        Path db = Work.file("repair", ".db");
        int pairs = rows / 4;
        int stuck = rows / 2;
        write(db, pairs, stuck);
        // the row the mark ends: a stuck one that repair resolves late, so the mark meets the repair mid-way
        long marked = 2L * pairs + stuck;
        try (JdbcHistoryStore store = JdbcHistoryStore.builder().sqlite(db).clock(NOW).build();
             JdbcHistoryStore other = JdbcHistoryStore.builder().sqlite(db).clock(NOW).build()) {
            StoreMaintenance m = store.maintenance();
            long t0 = System.nanoTime();
            Diagnosis diagnosis = m.diagnose();
            RepairPlan plan = m.plan(diagnosis, RepairSources.none());
            long diagnoseNanos = System.nanoTime() - t0;
            int steps = plan.steps().size();
            log.accept("maintenance.repair: " + rows + " damaged rows, " + steps + " steps planned");
            CountDownLatch halfway = new CountDownLatch(1);
            int[] committed = {0};
            CompletableFuture<Long> mark = CompletableFuture.supplyAsync(() -> {
                try {
                    if (!halfway.await(10, TimeUnit.MINUTES)) {
                        throw new IllegalStateException("repair never reached half of its steps");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                long m0 = System.nanoTime();
                DeploymentHistory.of(other, NOW).mark(marked, DeploymentStatus.SUCCESS,
                        "benchmark: another writer during repair", null);
                return System.nanoTime() - m0;
            });
            long r0 = System.nanoTime();
            StoreMaintenance.RepairResult result = m.apply(plan, RepairSources.none(), Duration.ofSeconds(1), false,
                    done -> {
                        if (++committed[0] == steps / 2) {
                            halfway.countDown();
                            // wait for the other writer between two steps (no transaction open), so the marked row
                            // is still running when it is marked, at any size
                            mark.join();
                        }
                    });
            long repairNanos = System.nanoTime() - r0;
            long markNanos = mark.get(10, TimeUnit.MINUTES);
            Diagnosis after = m.diagnose();
            boolean markStands = store.find(marked).orElseThrow().status() == DeploymentStatus.SUCCESS;
            return new Figure("maintenance.repair")
                    .put("rows", rows)
                    .put("steps", steps)
                    .put("done", result.done().size())
                    .put("diagnose_s", diagnoseNanos / 1e9, 2)
                    .put("repair_s", repairNanos / 1e9, 2)
                    .put("mark_ms", markNanos / 1e6, 1)
                    .put("mark_stands", markStands)
                    .put("left_duplicates", after.duplicateGroups().size())
                    .put("left_stale", after.stale().size());
        }
    }

    /** The host's table: {@code pairs} duplicates (rows 1..2*pairs), then {@code stuck} running rows. */
    private static void write(Path db, int pairs, int stuck) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE deployment_histories (id INTEGER PRIMARY KEY AUTOINCREMENT, github_owner TEXT "
                        + "NOT NULL, github_repo TEXT NOT NULL, github_commit_sha TEXT NOT NULL, is_rollback BOOLEAN "
                        + "DEFAULT 0, status TEXT NOT NULL, started_at TEXT, deployed_at TEXT, completed_at TEXT, "
                        + "total_duration INTEGER, error_stage TEXT, error_message TEXT)");
            }
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO deployment_histories (github_owner, "
                    + "github_repo, github_commit_sha, status, started_at, completed_at) VALUES ('acme', ?, ?, ?, ?, ?)")) {
                for (int i = 0; i < pairs; i++) {
                    // one repo per 100 deployments, ten minutes apart: only the two rows of a pair are duplicates
                    LocalDateTime start = FIRST.plusMinutes(10L * i);
                    String sha = String.format("%07x", 0x1000000 + i);
                    insert(ps, "svc-" + (i % 100), sha, "success", start, start.plusSeconds(60));
                    insert(ps, "svc-" + (i % 100), sha, "running", start.plusSeconds(30), null);
                }
                for (int i = 0; i < stuck; i++) {
                    insert(ps, "stuck-" + (i % 100), String.format("%07x", 0x8000000 + i), "running",
                            FIRST.plusMinutes(10L * i), null);
                }
                ps.executeBatch();
            }
            c.commit();
        }
    }

    private static void insert(PreparedStatement ps, String repo, String sha, String status, LocalDateTime start,
                               LocalDateTime end) throws SQLException {
        ps.setString(1, repo);
        ps.setString(2, sha);
        ps.setString(3, status);
        ps.setString(4, NAIVE.format(start));
        ps.setString(5, end == null ? null : NAIVE.format(end));
        ps.addBatch();
    }
}
