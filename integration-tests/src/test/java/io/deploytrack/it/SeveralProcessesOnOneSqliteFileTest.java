package io.deploytrack.it;

import io.deploytrack.jdbc.JdbcHistoryStore;
import io.deploytrack.ncp.NcpCredentials;
import io.deploytrack.ncp.emulator.NcpEmulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Four host processes (child JVMs) track 250 NCP deployments each into one SQLite file in WAL mode, all at once,
 * against one NCP emulator over HTTP: no "database is locked", 1,000 rows, every one terminal with its script's
 * status, no duplicates.
 */
class SeveralProcessesOnOneSqliteFileTest {
    private static final int CHILDREN = 4;
    private static final int EACH = 250;
    private static final int PROJECTS_PER_CHILD = 5;


    @TempDir
    Path dir;

    private final List<ChildJvm> children = new ArrayList<>();
    private NcpEmulator ncp;

    @AfterEach
    void stopEverything() {
        children.forEach(ChildJvm::close);
        if (ncp != null) {
            ncp.close();
        }
    }

    @Test
    void fourProcessesTrackIntoOneWalFileAtOnce() throws Exception {
        ncp = NcpEmulator.builder().credentials("ITPROCESSES0001", "it-processes-secret").start();
        Path db = dir.resolve("history.db");
        for (int c = 1; c <= CHILDREN; c++) {
            // Five projects of 50 deployments per process: one list call serves a project's due deployments, all on
            // its first page.
            long[] projects = projectsOf(c);
            Scripts.register(ncp, projects);
            String instance = "process-" + c;
            children.add(ChildJvm.start(instance, TrackingChild.class,
                    Map.of(NcpCredentials.ACCESS_KEY_VARIABLE, ncp.accessKey(), NcpCredentials.SECRET_KEY_VARIABLE, ncp.secretKey()),
                    dir, List.of("db=" + db, "ncp=" + ncp.baseUri(), "instance=" + instance, "count=" + EACH,
                            "projects=" + Instances.join(projects), "seed=" + c, "pollMillis=300",
                            // a lease far longer than a write may wait for the file's lock under this load (several
                            // seconds on two busy cores): this test is about the file, not about takeovers
                            "leaseMillis=20000",
                            "listBatching=true")));
        }
        // All four opened (and migrated) the same new file at once; now they start deploying at once.
        for (ChildJvm child : children) {
            child.awaitLine("ready", Duration.ofSeconds(60), "ready"::equals);
        }
        long started = System.nanoTime();
        children.forEach(child -> child.send("go"));
        for (ChildJvm child : children) {
            int exit = child.awaitExit(Duration.ofSeconds(120));
            assertThat(exit).as("exit status of %s%s", child.name(), child.describeOutput()).isZero();
            assertThat(child.lines()).as("%s's report", child.name()).contains("tracking " + EACH)
                    .anyMatch(l -> l.startsWith("done " + EACH + " "));
        }
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;

        List<String> reports = new ArrayList<>();
        for (ChildJvm child : children) {
            assertThat(child.lockErrors()).as("lock errors in %s's stderr", child.name()).isEmpty();
            // Anything else logged at WARN or ERROR (a lost lease, a failed store write, an exception) is a failure.
            assertThat(child.unexpectedStderr()).as("unexpected lines in %s's stderr", child.name()).isEmpty();
            reports.add(child.name() + ": " + child.lines().get(child.lines().size() - 1));
        }
        // onCompleted ran once per deployment, in the process that followed it.
        List<Long> notified = new ArrayList<>();
        for (ChildJvm child : children) {
            child.lines().stream().filter(l -> l.startsWith("completed ")).map(l -> Long.parseLong(l.split(" ")[1]))
                    .forEach(notified::add);
        }
        assertThat(notified).as("onCompleted calls across the processes").hasSize(CHILDREN * EACH).doesNotHaveDuplicates();

        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(db)) {
            HistoryChecks.endedOnceWithTheirScriptsStatus(store, ncp, CHILDREN * EACH);
            Set<Long> ids = new HashSet<>();
            HistoryChecks.rows(store).forEach(d -> ids.add(d.id()));
            assertThat(ids).isEqualTo(new HashSet<>(notified));
        }
        HistoryChecks.Database sqlite = () -> DriverManager.getConnection("jdbc:sqlite:" + db);
        assertThat(HistoryChecks.unfinished(sqlite)).as("rows running, unnotified or leased").isZero();
        try (var c = sqlite.open(); var s = c.createStatement()) {
            try (var rs = s.executeQuery("PRAGMA journal_mode")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
            }
            try (var rs = s.executeQuery("PRAGMA integrity_check")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("ok");
            }
        }
        System.out.printf("several processes: %d processes x %d deployments into one SQLite file in %d ms, "
                + "%d NCP requests; %s%n", CHILDREN, EACH, elapsedMs, ncp.requestCount(), reports);
    }

    private static long[] projectsOf(int child) {
        long[] p = new long[PROJECTS_PER_CHILD];
        for (int i = 0; i < p.length; i++) {
            p[i] = child * 10L + i + 1;
        }
        return p;
    }
}
