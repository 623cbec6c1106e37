package io.deploytrack.examples.replicas;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentHandle;
import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.jdbc.JdbcHistoryStore;
import io.deploytrack.ncp.NcpClient;
import io.deploytrack.ncp.NcpCredentials;
import io.deploytrack.ncp.NcpEndpoint;
import io.deploytrack.ncp.NcpDeployments;
import io.deploytrack.ncp.NcpPollingSource;
import io.deploytrack.ncp.emulator.NcpEmulator;
import io.deploytrack.ncp.emulator.NcpScript;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static io.deploytrack.ncp.emulator.NcpScript.end;
import static io.deploytrack.ncp.emulator.NcpScript.step;

/**
 * Several replicas of one host on PostgreSQL: each replica has its own HikariCP pool and tracker; leases decide
 * which replica follows which deployment. Run with a JDBC URL: {@code ReplicasExample jdbc:postgresql://host/db?user=..}.
 * Replica "a" starts deployments and then dies without releasing its leases; replica "b" takes them over once they
 * expire and finishes them.
 */
public final class ReplicasExample {
    private ReplicasExample() {
    }

    /** One replica: a pool, a store on it, a tracker with explicit lease settings. */
    static DeploymentTracker replica(String jdbcUrl, String name, NcpPollingSource source, Duration lease,
                                     ScheduledExecutorService threads) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setPoolName("deploytrack-" + name);
        config.setMaximumPoolSize(4);                 // the tracker needs few connections: writes are short
        HikariDataSource pool = new HikariDataSource(config);
        JdbcHistoryStore store = JdbcHistoryStore.builder().dataSource(pool).build();
        DeploymentTracker.Builder b = DeploymentTracker.builder(store);
        if (threads != null) {
            b.scheduler(threads).executor(threads);   // only so that this example can "kill" the replica
        }
        return b
                .source(source)
                .instanceId("replica-" + name)         // written as lease_owner
                .leaseDuration(lease)                  // renewed every third of it; taken over after it expires
                .pollInterval(Duration.ofMillis(200))
                .build()
                .start();
    }

    /** Starts 4 deployments on replica a, kills it, lets replica b finish them; returns them as b saw them end. */
    public static List<Deployment> run(String jdbcUrl) throws Exception {
        try (NcpEmulator ncp = NcpEmulator.start()) {
            ncp.addScenario(3, 30, 300);
            ncp.onDeploy(300, NcpScript.of(step("waiting", Duration.ofMillis(300)), step("inprogress", Duration.ofSeconds(3)), end("success")));
            NcpPollingSource source = NcpPollingSource.of(NcpClient.builder().endpoint(NcpEndpoint.of(ncp.baseUri()))
                    .credentials(NcpCredentials.of(ncp.accessKey(), ncp.secretKey())).build());
            Duration lease = Duration.ofSeconds(2);
            ScheduledExecutorService aThreads = Executors.newScheduledThreadPool(2);
            DeploymentTracker a = replica(jdbcUrl, "a", source, lease, aThreads);
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                DeploymentHandle h = NcpDeployments.of(source, a).deployAndTrack(DeploymentRequest.builder("acme", "svc" + i, "abcdef" + i).build(),
                        3, 30, 300).get(10, TimeUnit.SECONDS);
                ids.add(h.id());
            }
            System.out.println("replica a follows " + a.inFlight() + " deployments and dies without releasing them");
            aThreads.shutdownNow();                   // replica a dies: no renewals, no release
            try (DeploymentTracker b = replica(jdbcUrl, "b", source, lease, null)) {
                List<Deployment> done = new ArrayList<>();
                for (long id : ids) {
                    Deployment d = b.awaitCompletion(id).get(60, TimeUnit.SECONDS);
                    System.out.printf("#%d %s %s, finished by replica b%n", d.id(), d.project(), d.status());
                    done.add(d);
                }
                return done;
            }
        }
    }

    /** Needs a PostgreSQL JDBC URL (user and password in it, or in PGUSER-style URL parameters). */
    public static void main(String[] args) throws Exception {
        if (args.length != 1 || !args[0].startsWith("jdbc:postgresql:")) {
            System.err.println("usage: ReplicasExample jdbc:postgresql://HOST:PORT/DB?user=USER&password=PASSWORD");
            System.exit(2);
        }
        run(args[0]);
    }
}
