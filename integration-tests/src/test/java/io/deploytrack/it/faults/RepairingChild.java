package io.deploytrack.it.faults;

import io.deploytrack.it.TrackingChild;
import io.deploytrack.jdbc.JdbcHistoryStore;
import io.deploytrack.jdbc.RepairSources;
import io.deploytrack.jdbc.StoreMaintenance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * A child JVM for {@link RepairKillFaultTest}: repairs the SQLite file named by its first argument and, after each
 * committed step, appends {@code step N} to the file named by its second (one {@code write} each: a SIGKILL cannot
 * take back what the kernel has, whereas lines still in the stdout pipe may be lost with the process) and prints the
 * protocol line {@value TrackingChild#PREFIX}{@code step N}, until it is killed.
 */
public final class RepairingChild {
    private RepairingChild() {
    }

    public static void main(String[] args) {
        try (JdbcHistoryStore store = JdbcHistoryStore.builder().sqlite(Path.of(args[0]))
                .clock(RepairKillFaultTest.NOW).build()) {
            StoreMaintenance m = store.maintenance();
            Path progress = Path.of(args[1]);
            int[] n = {0};
            m.apply(m.plan(m.diagnose(), RepairSources.none()), RepairSources.none(), Duration.ofSeconds(1), false,
                    done -> {
                        String line = "step " + ++n[0];
                        try {
                            Files.writeString(progress, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                                    StandardOpenOption.APPEND);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                        System.out.println(TrackingChild.PREFIX + line);
                        System.out.flush();
                    });
            System.out.println(TrackingChild.PREFIX + "repaired");
        }
    }
}
