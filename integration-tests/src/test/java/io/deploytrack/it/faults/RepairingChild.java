package io.deploytrack.it.faults;

import io.deploytrack.it.TrackingChild;
import io.deploytrack.jdbc.JdbcHistoryStore;
import io.deploytrack.jdbc.RepairSources;
import io.deploytrack.jdbc.StoreMaintenance;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A child JVM for {@link RepairKillFaultTest}: repairs the SQLite file named by its one argument and prints a
 * protocol line ({@value TrackingChild#PREFIX}{@code step N}) after each committed step, until it is killed.
 */
public final class RepairingChild {
    private RepairingChild() {
    }

    public static void main(String[] args) {
        try (JdbcHistoryStore store = JdbcHistoryStore.builder().sqlite(Path.of(args[0]))
                .clock(RepairKillFaultTest.NOW).build()) {
            StoreMaintenance m = store.maintenance();
            int[] n = {0};
            m.apply(m.plan(m.diagnose(), RepairSources.none()), RepairSources.none(), Duration.ofSeconds(1), false,
                    done -> {
                        System.out.println(TrackingChild.PREFIX + "step " + ++n[0]);
                        System.out.flush();
                    });
            System.out.println(TrackingChild.PREFIX + "repaired");
        }
    }
}
