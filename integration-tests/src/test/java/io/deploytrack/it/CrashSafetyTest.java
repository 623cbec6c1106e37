package io.deploytrack.it;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentEvent;
import io.deploytrack.core.DeploymentListener;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.LeaseInfo;
import io.deploytrack.jdbc.JdbcHistoryStore;
import io.deploytrack.jdbc.PostgresDatabase;
import io.deploytrack.ncp.NcpClient;
import io.deploytrack.ncp.NcpCredentials;
import io.deploytrack.ncp.NcpPollingSource;
import io.deploytrack.ncp.emulator.EmulatorRequest;
import io.deploytrack.ncp.emulator.NcpEmulator;
import io.deploytrack.ncp.emulator.RequestKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A host process (a child JVM) tracking 100 NCP deployments is killed with SIGKILL while they are in flight; a new
 * tracker on the same history then ends every one with its script's status, none twice, none left running. On a SQLite
 * file and on PostgreSQL.
 */
class CrashSafetyTest {
    private static final int DEPLOYMENTS = 100;
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration LEASE = Duration.ofSeconds(2);
    private static final String CHILD = "crashing-child";
    private static final String RECOVERY = "recovery";

    @RegisterExtension
    final PostgresDatabase pg = new PostgresDatabase();

    @TempDir
    Path dir;

    private final List<AutoCloseable> closing = new ArrayList<>();
    private ChildJvm child;

    @AfterEach
    void stopEverything() throws Exception {
        if (child != null) {
            child.close();
        }
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    @Test
    void sqliteFileSurvivesSigkillAndANewTrackerEndsEveryDeployment() {
        Path file = dir.resolve("history.db");
        crashThenRecover(file.toString(), () -> JdbcHistoryStore.sqlite(file),
                () -> DriverManager.getConnection("jdbc:sqlite:" + file));
    }

    @Test
    void postgresSurvivesSigkillAndANewTrackerEndsEveryDeployment() {
        crashThenRecover(pg.jdbcUrl(), () -> JdbcHistoryStore.builder().dataSource(pg.hikari(RECOVERY, 4)).build(),
                () -> pg.dataSource().getConnection());
    }

    private void crashThenRecover(String db, Supplier<JdbcHistoryStore> openStore, HistoryChecks.Database raw) {
        NcpEmulator ncp = NcpEmulator.builder().credentials("ITCRASH00000001", "it-crash-secret").start();
        closing.add(ncp);
        long[] projects = {31, 32};
        Scripts.register(ncp, projects);

        child = ChildJvm.start(CHILD, TrackingChild.class,
                Map.of(NcpCredentials.ACCESS_KEY_VARIABLE, ncp.accessKey(), NcpCredentials.SECRET_KEY_VARIABLE, ncp.secretKey()),
                dir, List.of("db=" + db, "ncp=" + ncp.baseUri(), "instance=" + CHILD, "count=" + DEPLOYMENTS,
                        "projects=" + Instances.join(projects), "seed=7", "pollMillis=" + POLL.toMillis(),
                        "leaseMillis=" + LEASE.toMillis(), "listBatching=true", "approval=true"));
        child.awaitLine("ready", Duration.ofSeconds(60), "ready"::equals);
        child.send("go");
        child.awaitLine("tracking " + DEPLOYMENTS, Duration.ofSeconds(60), ("tracking " + DEPLOYMENTS)::equals);
        // Every deployment waits in "pending" until approved: approve them all now that all are recorded, so that the
        // kill lands while most are in flight however long recording took on a loaded machine.
        List<EmulatorRequest> requested = ncp.requests(RequestKind.DEPLOY_REQUEST);
        assertThat(requested).hasSize(DEPLOYMENTS);
        requested.forEach(r -> ncp.approve(r.projectId(), r.historyId()));
        Instances.await("the child to complete 10 deployments", Duration.ofSeconds(30),
                () -> child.countLines(l -> l.startsWith("completed ")) >= 10);

        // SIGKILL, while most deployments are in flight.
        long pid = child.process().pid();
        int exit = child.kill();
        Instant killedAt = Instant.now();
        assertThat(exit).as("exit status after SIGKILL (128 + 9)").isEqualTo(137);
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("child alive").isFalse();
        Set<Long> notifiedByChild = new HashSet<>();
        child.lines().stream().filter(l -> l.startsWith("completed "))
                .forEach(l -> notifiedByChild.add(Long.parseLong(l.split(" ")[1])));
        assertThat(child.lines()).noneMatch(l -> l.startsWith("done"));
        assertThat(child.lockErrors()).as("lock errors in the child's stderr").isEmpty();
        assertThat(child.unexpectedStderr()).as("unexpected lines in the child's stderr").isEmpty();

        JdbcHistoryStore store = openStore.get();
        closing.add(store);
        List<Deployment> atKill = HistoryChecks.rows(store);
        assertThat(atKill).as("rows the child recorded").hasSize(DEPLOYMENTS);
        Map<Long, Instant> runningLeases = new HashMap<>();
        for (Deployment d : atKill) {
            if (!d.isTerminal()) {
                LeaseInfo lease = store.lease(d.id()).orElseThrow(() -> new AssertionError("running row " + d.id() + " has no lease"));
                assertThat(lease.owner()).isEqualTo(CHILD);
                runningLeases.put(d.id(), lease.until());
            }
        }
        assertThat(runningLeases).as("deployments in flight at the kill").isNotEmpty();

        // A new tracker on the same history: it claims the dead child's rows once their leases expire.
        Map<Long, AtomicInteger> notifiedByRecovery = new ConcurrentHashMap<>();
        NcpClient client = NcpClient.builder().baseUri(ncp.baseUri())
                .credentials(NcpCredentials.of(ncp.accessKey(), ncp.secretKey())).userAgent(Instances.userAgent(RECOVERY))
                .requestTimeout(Duration.ofSeconds(10)).build();
        DeploymentTracker tracker = DeploymentTracker.builder(store).discoverSources(false)
                .source(NcpPollingSource.of(client)).instanceId(RECOVERY).pollInterval(POLL).leaseDuration(LEASE)
                .defaultTimeout(Duration.ofSeconds(60)).maxBackoff(Duration.ofSeconds(1))
                .listener(new DeploymentListener() {
                    @Override
                    public void onCompleted(Deployment d) {
                        notifiedByRecovery.computeIfAbsent(d.id(), k -> new AtomicInteger()).incrementAndGet();
                    }
                })
                .build();
        closing.add(tracker);
        tracker.start();
        List<CompletableFuture<Deployment>> ends = atKill.stream().map(d -> tracker.awaitCompletion(d.id())).toList();
        CompletableFuture.allOf(ends.toArray(CompletableFuture[]::new)).orTimeout(60, TimeUnit.SECONDS).join();
        Instances.await("every deployment ended and notified, no lease left", Duration.ofSeconds(30),
                () -> HistoryChecks.unfinished(raw) == 0);
        Instant allDone = Instant.now();

        HistoryChecks.endedOnceWithTheirScriptsStatus(store, ncp, DEPLOYMENTS);

        // onCompleted: never twice in the new tracker; each deployment notified by the child or the new tracker. One
        // the child had ended but not marked notified when it died is notified again (at least once on a crash).
        assertThat(notifiedByRecovery.entrySet().stream().filter(e -> e.getValue().get() != 1).toList())
                .as("deployments notified more than once by the new tracker").isEmpty();
        for (Deployment d : atKill) {
            boolean byChild = notifiedByChild.contains(d.id());
            boolean byRecovery = notifiedByRecovery.containsKey(d.id());
            assertThat(byChild || byRecovery).as("deployment %s notified by someone", d.id()).isTrue();
        }
        long renotified = notifiedByChild.stream().filter(notifiedByRecovery::containsKey).count();

        // The rows the child held were taken over only after its leases expired, by the new tracker.
        Instant firstResume = null;
        for (Map.Entry<Long, Instant> e : runningLeases.entrySet()) {
            List<DeploymentEvent> resumed = store.events(e.getKey()).stream().filter(ev -> ev.type().equals("resumed")).toList();
            assertThat(resumed).as("resumed events of %s", e.getKey()).isNotEmpty()
                    .allMatch(ev -> ev.message().contains(RECOVERY));
            if (firstResume == null || resumed.get(0).at().isBefore(firstResume)) {
                firstResume = resumed.get(0).at();
            }
        }
        Map<Long, Long> historyOf = new HashMap<>();
        for (Deployment d : HistoryChecks.rows(store)) {
            historyOf.put(d.id(), Scripts.historyId(d));
        }
        for (Map.Entry<Long, Instant> e : runningLeases.entrySet()) {
            long historyId = historyOf.get(e.getKey());
            List<EmulatorRequest> byRecovery = ncp.requestsFor(historyId).stream()
                    .filter(r -> r.kind() == RequestKind.DETAIL && RECOVERY.equals(Instances.instanceOf(r.userAgent())))
                    .toList();
            assertThat(byRecovery).as("detail calls of the new tracker for history %s", historyId).isNotEmpty();
            assertThat(byRecovery).as("calls before the dead child's lease (until %s) expired", e.getValue())
                    .allMatch(r -> !r.time().isBefore(e.getValue().minusMillis(1)));
        }
        HistoryChecks.Handovers handovers = HistoryChecks.handovers(ncp, LEASE, Set.of(CHILD, RECOVERY));
        assertThat(handovers.violations()).as("ids polled by the child and the new tracker within one lease").isEmpty();

        System.out.printf("crash safety (%s): killed with %d of %d in flight and %d notified; first row resumed %d ms "
                        + "after the kill, all done %d ms after it; %d notified again by the new tracker; %d handovers, "
                        + "shortest gap %s ms%n", db.startsWith("jdbc:") ? "PostgreSQL" : "SQLite", runningLeases.size(),
                DEPLOYMENTS, notifiedByChild.size(), Duration.between(killedAt, firstResume).toMillis(),
                Duration.between(killedAt, allDone).toMillis(), renotified, handovers.count(),
                handovers.minGap() == null ? "-" : handovers.minGap().toMillis());
    }
}
