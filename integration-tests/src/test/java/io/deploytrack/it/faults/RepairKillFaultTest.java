package io.deploytrack.it.faults;

import io.deploytrack.core.HistoryQuery;
import io.deploytrack.it.ChildJvm;
import io.deploytrack.jdbc.DamagedHostTable;
import io.deploytrack.jdbc.Diagnosis;
import io.deploytrack.jdbc.JdbcHistoryStore;
import io.deploytrack.jdbc.RepairSources;
import io.deploytrack.jdbc.StoreMaintenance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fault probe (issue 21.9): a process killed with SIGKILL while it repairs a host's damaged adopted table
 * ({@link DamagedHostTable}: duplicates to merge, rows stuck running). Each step is its own transaction, so the kill
 * leaves whole steps done (at most one more than the child reported, committed just before the kill), the file
 * intact, and a rerun does exactly the steps that are left. The deterministic variant, with the stop between two
 * steps and another writer's mark, is jdbc's {@code RepairInStepsTest}.
 */
class RepairKillFaultTest {
    static final Clock NOW = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);
    private static final int PAIRS = 300;
    private static final int STUCK = 200;

    @TempDir
    Path dir;

    @Test
    void aRepairKilledMidWayLeavesWholeStepsAndARerunFinishesTheRest() throws Exception {
        Path db = dir.resolve("host.db");
        Path progress = dir.resolve("progress.txt");
        DamagedHostTable.write(db, PAIRS, STUCK);
        int planned;
        try (JdbcHistoryStore store = JdbcHistoryStore.builder().sqlite(db).clock(NOW).build()) {
            StoreMaintenance m = store.maintenance();
            planned = m.plan(m.diagnose(), RepairSources.none()).steps().size();
        }
        assertThat(planned).as("a merge and a fill per pair, a resolution per stuck row").isEqualTo(2 * PAIRS + STUCK);

        int reported;
        try (ChildJvm child = ChildJvm.start("repair", RepairingChild.class, Map.of(), dir, List.of(db.toString(), progress.toString()))) {
            child.awaitLine("step 250", Duration.ofMinutes(2), l -> l.equals("step 250"));
            child.kill();
            // counted from the progress file: every step the child reported before the kill is there
            reported = (int) Files.readAllLines(progress).stream().filter(l -> l.startsWith("step ")).count();
            assertThat(child.lines()).as("killed before it finished").doesNotContain("repaired");
        }

        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("ok");
        }
        try (JdbcHistoryStore store = JdbcHistoryStore.builder().sqlite(db).clock(NOW).build()) {
            StoreMaintenance m = store.maintenance();
            int left = m.plan(m.diagnose(), RepairSources.none()).steps().size();
            assertThat(left).as("whole steps: the %d reported, perhaps one more committed just before the kill",
                    reported).isBetween(planned - reported - 1, planned - reported);

            StoreMaintenance.RepairResult rerun = m.apply(m.plan(m.diagnose(), RepairSources.none()),
                    RepairSources.none(), Duration.ofSeconds(1), false);

            assertThat(rerun.done()).as("the rerun does only what was left").hasSize(left);
            Diagnosis after = m.diagnose();
            assertThat(after.duplicateGroups()).isEmpty();
            assertThat(after.stale()).isEmpty();
            assertThat(store.list(HistoryQuery.all(10_000))).hasSize(PAIRS + STUCK);
        }
    }
}
