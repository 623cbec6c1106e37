package io.deploytrack.examples.embedded;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.HistoryQuery;
import io.deploytrack.jdbc.JdbcHistoryStore;
import io.deploytrack.ncp.NcpClient;
import io.deploytrack.ncp.NcpCredentials;
import io.deploytrack.ncp.NcpEndpoint;
import io.deploytrack.ncp.NcpDeployments;
import io.deploytrack.ncp.NcpPollingSource;
import io.deploytrack.ncp.emulator.NcpEmulator;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A plain Java host: the embedded SQLite store, the NCP source, one deployment started and waited for, the history
 * printed. With {@code NCP_ENDPOINT}, {@code NCP_ACCESS_KEY} and {@code NCP_SECRET_KEY} set it talks to that
 * endpoint (give project, stage and scenario ids as arguments); without them it starts the NCP emulator in-process.
 */
public final class EmbeddedHostExample {
    private EmbeddedHostExample() {
    }

    /** The whole wiring a host needs. */
    public static List<Deployment> run(Path db, URI endpoint, NcpCredentials credentials, long project, long stage,
                                       long scenario) throws Exception {
        NcpClient ncp = NcpClient.builder().endpoint(NcpEndpoint.of(endpoint)).credentials(credentials).build();
        NcpPollingSource source = NcpPollingSource.of(ncp);
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(db);
             DeploymentTracker tracker = DeploymentTracker.builder(store).source(source)
                     .pollInterval(Duration.ofSeconds(1)).build().start()) {   // default 10 s; 1 s for a quick example
            DeploymentRequest request = DeploymentRequest.builder("acme", "shop", "9fceb02d0ae598e95dc970b74767f19372d61af8")
                    .environment("production").attribute("requested_by", "example").build();
            Deployment done = NcpDeployments.of(source, tracker).deployAndTrack(request, project, stage, scenario)
                    .get(30, TimeUnit.SECONDS).completion().get(10, TimeUnit.MINUTES);
            System.out.printf("#%d %s %s: %s in %s%n", done.id(), done.project(), done.shortSha(), done.status(),
                    done.totalDuration());
            List<Deployment> history = tracker.history().list(HistoryQuery.project("acme", "shop", 10));
            history.forEach(d -> System.out.printf("  #%d %s %s %s%n", d.id(), d.shortSha(), d.status(), d.startedAt()));
            return history;
        }
    }

    /** Runs against NCP_ENDPOINT, or against an in-process emulator when it is not set. */
    public static void main(String[] args) throws Exception {
        Path db = Path.of("embedded-host.db");
        String endpoint = System.getenv("NCP_ENDPOINT");
        if (endpoint != null) {
            run(db, URI.create(endpoint), NcpCredentials.fromEnvironment(), Long.parseLong(args[0]),
                    Long.parseLong(args[1]), Long.parseLong(args[2]));
            return;
        }
        try (NcpEmulator emulator = NcpEmulator.start()) {
            emulator.addScenario(7, 70, 700);
            run(db, emulator.baseUri(), NcpCredentials.of(emulator.accessKey(), emulator.secretKey()), 7, 70, 700);
        }
    }
}
