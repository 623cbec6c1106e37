package io.deploytrack.benchmarks.store;

import io.deploytrack.benchmarks.Figure;
import io.deploytrack.benchmarks.Work;
import io.deploytrack.core.CheckRef;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.DeploymentEvent;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.DeploymentUpdate;
import io.deploytrack.core.UpdateOutcome;
import io.deploytrack.jdbc.JdbcHistoryStore;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code store.sqlite.batch}: terminal transitions per second on one SQLite file, in one process, written the two
 * ways the tracker can: one transaction each ({@code updateUnderLease} with one update: lease check and extension,
 * compare-and-set, the check, the event) and group-committed ({@code updateUnderLease} with {@code group} updates in
 * one {@code BEGIN IMMEDIATE}). Same rows, same statements; only the number of commits differs. The two alternate in
 * rounds so that a busy machine slows both alike. {@code ratio} = batched / one each; {@code wal_peak_mb}: the largest
 * the file's WAL grew ({@link WalPeak}).
 */
public final class BatchFigure {
    private static final String OWNER = "bench";
    private static final Duration LEASE = Duration.ofMinutes(5);

    private BatchFigure() {
    }

    /**
     * @param rounds      alternating rounds
     * @param perRound    transitions per way per round
     * @param group       updates per group commit
     */
    public static Figure sqlite(int rounds, int perRound, int group) throws Exception {
        Path file = SqliteFiles.fresh(Work.file("store-batch", ".db"));
        try (WalPeak wal = WalPeak.watch(file); JdbcHistoryStore store = JdbcHistoryStore.sqlite(file)) {
            long singleNanos = 0;
            long batchedNanos = 0;
            long singleDone = 0;
            long batchedDone = 0;
            // A first round of each warms the JIT and the statement cache; it is not counted.
            for (int round = -1; round < rounds; round++) {
                List<DeploymentUpdate> a = ends(store, "s" + round, perRound);
                long t0 = System.nanoTime();
                for (DeploymentUpdate u : a) {
                    singleDone += applied(store.updateUnderLease(OWNER, LEASE, List.of(u)), round);
                }
                long t1 = System.nanoTime();
                List<DeploymentUpdate> b = ends(store, "b" + round, perRound);
                long t2 = System.nanoTime();
                for (int i = 0; i < b.size(); i += group) {
                    batchedDone += applied(store.updateUnderLease(OWNER, LEASE,
                            b.subList(i, Math.min(b.size(), i + group))), round);
                }
                long t3 = System.nanoTime();
                if (round >= 0) {
                    singleNanos += t1 - t0;
                    batchedNanos += t3 - t2;
                }
            }
            double single = singleDone / (singleNanos / 1e9);
            double batched = batchedDone / (batchedNanos / 1e9);
            return new Figure("store.sqlite.batch").put("batched_per_s", batched, 1).put("single_per_s", single, 1)
                    .put("group", group).put("ratio", batched / single, 2).put("wal_peak_mb", wal.peakMb(), 2);
        }
    }

    private static long applied(List<UpdateOutcome> outcomes, int round) {
        for (UpdateOutcome o : outcomes) {
            if (o != UpdateOutcome.APPLIED) {
                throw new IllegalStateException("a benchmark transition was refused: " + o);
            }
        }
        return round >= 0 ? outcomes.size() : 0;
    }

    /** {@code n} running rows leased to the benchmark, and the update that ends each (as the tracker writes it). */
    private static List<DeploymentUpdate> ends(JdbcHistoryStore store, String tag, int n) {
        List<DeploymentUpdate> out = new ArrayList<>(n);
        Instant now = Instant.now();
        for (int i = 0; i < n; i++) {
            CheckRef ref = CheckRef.of("ncp", "projectId", "1", "historyId", tag + i);
            Deployment draft = new Deployment(0, "bench", "batch-" + tag, "production", String.format("%040x", i), false,
                    null, "batch:" + tag + ":" + i, DeploymentStatus.RUNNING, now, null, null, null, null, null,
                    List.of(new DeploymentCheck("ncp", ref, DeploymentStatus.RUNNING, now, null,
                            now.plus(Duration.ofMinutes(30)), "inprogress", false, null, Duration.ofMinutes(30),
                            Duration.ofHours(24))), Map.of());
            Deployment d = store.create(draft, OWNER, LEASE).deployment();
            DeploymentCheck c = d.checks().get(0);
            Instant end = now.plusMillis(1);
            DeploymentCheck done = c.withProgress(DeploymentStatus.SUCCESS, c.startedAt(), end, c.deadlineAt(),
                    "success", false, null);
            out.add(new DeploymentUpdate(d.id(), DeploymentStatus.RUNNING, DeploymentStatus.SUCCESS, null, end, end,
                    null, null, List.of(done), List.of(DeploymentEvent.of(d.id(), end, "completed", "ncp",
                    DeploymentStatus.RUNNING, DeploymentStatus.SUCCESS, "success", null))));
        }
        return out;
    }
}
