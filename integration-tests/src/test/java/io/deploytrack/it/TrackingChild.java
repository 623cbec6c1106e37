package io.deploytrack.it;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentHandle;
import io.deploytrack.core.DeploymentListener;
import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.jdbc.JdbcHistoryStore;
import io.deploytrack.ncp.NcpClient;
import io.deploytrack.ncp.NcpCredentials;
import io.deploytrack.ncp.NcpDeployments;
import io.deploytrack.ncp.NcpPollingSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A host process, run as a child JVM by the tests: opens the history store (a SQLite file or a PostgreSQL URL),
 * starts a tracker with the NCP source against the test's emulator over HTTP, and on "go" (a line on stdin) starts
 * {@code count} SourceDeploy deployments with {@link NcpDeployments#deployAndTrack} (or
 * {@link NcpDeployments#requestAndTrack}) and waits for all to end.
 *
 * <p>Arguments are {@code key=value}: {@code db} (a SQLite path or a {@code jdbc:postgresql:} URL), {@code ncp} (the
 * emulator's base URI), {@code instance}, {@code count}, {@code projects} (comma-separated NCP project ids),
 * {@code seed} (makes the commits unique across children), {@code pollMillis}, {@code leaseMillis},
 * {@code listBatching}, {@code approval} (true: start each deployment with {@code deploy/request}, so that it waits in
 * {@code pending} until approved). The NCP credentials come from {@code NCP_ACCESS_KEY} and {@code NCP_SECRET_KEY}, as in a real
 * deployment.
 *
 * <p>Protocol on stdout, one line each, prefixed with {@value #PREFIX}: {@code ready}, {@code tracking <n>},
 * {@code completed <id> <status>} (from {@code onCompleted}), {@code done <n> <status counts>}. Logs and errors go to
 * stderr; any failure exits with a non-zero status.
 */
public final class TrackingChild {
    public static final String PREFIX = "@ ";
    private static final PrintStream OUT = System.out;

    private TrackingChild() {
    }

    public static void main(String[] args) {
        try {
            run(parse(args));
            System.exit(0);
        } catch (Throwable e) {
            System.err.println("tracking child failed: " + e);
            e.printStackTrace(System.err);
            say("failed " + e.getClass().getSimpleName());
            System.exit(1);
        }
    }

    static synchronized void say(String line) {
        OUT.println(PREFIX + line);
        OUT.flush();
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value, got '" + a + "'");
            }
            m.put(a.substring(0, eq), a.substring(eq + 1));
        }
        return m;
    }

    private static String required(Map<String, String> args, String key) {
        String v = args.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing argument " + key + "=...; got " + args.keySet());
        }
        return v;
    }

    private static void run(Map<String, String> args) throws Exception {
        String db = required(args, "db");
        String instance = required(args, "instance");
        int count = Integer.parseInt(required(args, "count"));
        long[] projects = Arrays.stream(required(args, "projects").split(",")).mapToLong(Long::parseLong).toArray();
        int seed = Integer.parseInt(required(args, "seed"));
        Duration poll = Duration.ofMillis(Long.parseLong(required(args, "pollMillis")));
        Duration lease = Duration.ofMillis(Long.parseLong(required(args, "leaseMillis")));
        boolean listBatching = Boolean.parseBoolean(required(args, "listBatching"));
        boolean approval = Boolean.parseBoolean(args.getOrDefault("approval", "false"));

        HikariDataSource pool = null;
        JdbcHistoryStore store;
        if (db.startsWith("jdbc:postgresql:")) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(db);
            config.setPoolName(instance);
            config.setMaximumPoolSize(4);
            pool = new HikariDataSource(config);
            store = JdbcHistoryStore.builder().dataSource(pool).build();
        } else {
            store = JdbcHistoryStore.sqlite(Path.of(db));
        }
        NcpClient client = NcpClient.builder().baseUri(URI.create(required(args, "ncp")))
                .credentials(NcpCredentials.fromEnvironment()).userAgent(Instances.userAgent(instance))
                .requestTimeout(Duration.ofSeconds(10)).build();
        NcpPollingSource source = NcpPollingSource.builder(client).listBatching(listBatching).build();
        DeploymentTracker tracker = DeploymentTracker.builder(store).discoverSources(false).source(source)
                .instanceId(instance).pollInterval(poll).leaseDuration(lease).defaultTimeout(Duration.ofSeconds(60))
                .maxBackoff(Duration.ofSeconds(1))
                .listener(new DeploymentListener() {
                    @Override
                    public void onCompleted(Deployment d) {
                        say("completed " + d.id() + " " + d.status().word());
                    }
                })
                .build().start();
        say("ready");

        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line = in.readLine();
        if (!"go".equals(line)) {
            throw new IllegalStateException("expected 'go' on stdin, got " + line);
        }
        long go = System.nanoTime();
        List<CompletableFuture<DeploymentHandle>> started = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long project = projects[i % projects.length];
            int variant = Scripts.variantOf(i / projects.length);
            DeploymentRequest request = DeploymentRequest.builder("acme", "web", String.format("%06x%06x", seed, i))
                    .build().withAttribute("instance", instance);
            long stage = Scripts.stageId(project);
            long scenario = Scripts.scenarioId(project, variant);
            started.add(approval ? NcpDeployments.of(source, tracker).requestAndTrack(request, project, stage, scenario)
                    : NcpDeployments.of(source, tracker).deployAndTrack(request, project, stage, scenario));
        }
        CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        List<CompletableFuture<Deployment>> completions = new ArrayList<>();
        for (CompletableFuture<DeploymentHandle> h : started) {
            completions.add(h.join().completion());
        }
        long trackedMs = (System.nanoTime() - go) / 1_000_000;
        say("tracking " + completions.size());

        CompletableFuture.allOf(completions.toArray(CompletableFuture[]::new)).get(90, TimeUnit.SECONDS);
        Map<DeploymentStatus, Integer> byStatus = new EnumMap<>(DeploymentStatus.class);
        for (CompletableFuture<Deployment> c : completions) {
            byStatus.merge(c.join().status(), 1, Integer::sum);
        }
        tracker.close();
        store.close();
        if (pool != null) {
            pool.close();
        }
        say("done " + completions.size() + " " + byStatus + " tracked_ms=" + trackedMs + " total_ms="
                + (System.nanoTime() - go) / 1_000_000);
    }
}
