package io.deploytrack.jdbc;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentHistory;
import io.deploytrack.core.DeploymentStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Repair in whole steps (issue 21.4), on a host's adopted table full of duplicates and stuck rows: between two steps
 * no transaction is open, so another writer's {@code mark} gets in at once (it waits for no lock at all), and a repair
 * stopped between two steps leaves whole steps done, which a rerun finishes without repeating one. The
 * {@link StoreMaintenance.StepListener} acts between the steps, so nothing depends on timing.
 */
class RepairInStepsTest {
    private static final Clock NOW = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);
    private static final int PAIRS = 60;
    private static final int STUCK = 40;

    @TempDir
    Path dir;

    private Path damaged() throws Exception {
        Path db = dir.resolve("host.db");
        DamagedHostTable.write(db, PAIRS, STUCK);
        return db;
    }

    private static JdbcHistoryStore open(Path db, Duration busyTimeout) {
        return JdbcHistoryStore.builder().sqlite(db).clock(NOW).busyTimeout(busyTimeout).build();
    }

    private static StoreMaintenance.RepairResult repair(JdbcHistoryStore store, StoreMaintenance.StepListener l) {
        StoreMaintenance m = store.maintenance();
        return m.apply(m.plan(m.diagnose(), RepairSources.none()), RepairSources.none(), Duration.ofSeconds(1), false, l);
    }

    @Test
    void anotherWritersMarkGetsInBetweenTwoStepsWithoutWaitingAndRepairLeavesItsRowAlone() throws Exception {
        Path db = damaged();
        long stuckRow = 2L * PAIRS + STUCK; // resolved last: repair reaches it after the mark
        List<String> before = new ArrayList<>();
        List<String> after = new ArrayList<>();
        List<Deployment> marked = new ArrayList<>();
        try (JdbcHistoryStore repairing = open(db, Duration.ofSeconds(30));
             // busy timeout 0: a write behind any open transaction would fail at once with SQLITE_BUSY
             JdbcHistoryStore other = open(db, Duration.ZERO)) {
            StoreMaintenance.RepairResult result = repair(repairing, done -> {
                if (marked.isEmpty()) {
                    before.add(done);
                    if (before.size() == 5) {
                        marked.add(DeploymentHistory.of(other, NOW).mark(stuckRow, DeploymentStatus.SUCCESS,
                                "ops: verified by hand during repair", null));
                    }
                } else {
                    after.add(done);
                }
            });

            // a merge per pair, a deployed_at fill per merged row, a resolution per stuck row
            int planned = 2 * PAIRS + STUCK;
            assertThat(marked).singleElement().satisfies(d -> assertThat(d.status()).isEqualTo(DeploymentStatus.SUCCESS));
            assertThat(before).hasSize(5);
            assertThat(after).as("repair went on after the mark").hasSize(planned - 5);
            assertThat(result.done()).hasSize(planned - 1).noneMatch(l -> l.startsWith("resolved #" + stuckRow + " "));
            assertThat(after).contains("row " + stuckRow + ": changed while repair ran (a tracker took it over); not resolved");
            Deployment d = repairing.find(stuckRow).orElseThrow();
            assertThat(d.status()).as("the mark stands: repair's compare-and-set skipped the row")
                    .isEqualTo(DeploymentStatus.SUCCESS);
            assertThat(repairing.events(stuckRow)).anyMatch(e -> "ops: verified by hand during repair".equals(e.message()));
            Diagnosis left = repairing.maintenance().diagnose();
            assertThat(left.duplicateGroups()).isEmpty();
            assertThat(left.stale()).isEmpty();
        }
    }

    @Test
    void aRepairStoppedBetweenStepsLeavesWholeStepsAndARerunFinishesTheRest() throws Exception {
        Path db = damaged();
        List<String> first = new ArrayList<>();
        try (JdbcHistoryStore store = open(db, Duration.ofSeconds(30))) {
            int planned = store.maintenance().plan(store.maintenance().diagnose(), RepairSources.none()).steps().size();
            assertThat(planned).as("a merge per pair, a fill per merged row, a resolution per stuck row")
                    .isEqualTo(2 * PAIRS + STUCK);
            int killAfter = PAIRS + 7;
            assertThatThrownBy(() -> repair(store, done -> {
                first.add(done);
                if (first.size() == killAfter) {
                    throw new IllegalStateException("killed between two steps");
                }
            })).hasMessage("killed between two steps");

            RepairPlan left = store.maintenance().plan(store.maintenance().diagnose(), RepairSources.none());
            assertThat(left.steps()).as("every committed step stays done, whole").hasSize(planned - killAfter);
            StoreMaintenance.RepairResult rerun = repair(store, done -> { });

            assertThat(rerun.done()).as("only what was left").hasSize(planned - killAfter);
            assertThat(rerun.done()).noneMatch(first::contains);
            Diagnosis after = store.maintenance().diagnose();
            assertThat(after.duplicateGroups()).isEmpty();
            assertThat(after.stale()).isEmpty();
            assertThat(store.list(io.deploytrack.core.HistoryQuery.all(1000))).hasSize(PAIRS + STUCK);
            assertThat(repair(store, done -> { }).done()).as("nothing left to do").isEmpty();
        }
    }
}
