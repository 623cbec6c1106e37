package io.deploytrack.examples.demo;

import io.deploytrack.core.CheckRef;
import io.deploytrack.core.CheckSpec;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.DeploymentHandle;
import io.deploytrack.core.DeploymentListener;
import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.HistoryQuery;
import io.deploytrack.core.NoRollbackTargetException;
import io.deploytrack.core.RollbackTarget;
import io.deploytrack.jdbc.JdbcHistoryStore;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.deploytrack.examples.demo.DemoSource.Step;

/**
 * The demo: about twenty deployments of a few projects tracked through the real tracker into an embedded SQLite
 * file in the working folder; a line per change while they run; then the history and a rollback target.
 *
 * <p>Run: {@code java -jar examples/target/deploytrack-demo.jar [database-file]} (default {@code deploytrack-demo.db}).
 */
public final class Demo {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private Demo() {
    }

    /** Runs the demo; exits 0 when every deployment ended as its script says. */
    public static void main(String[] args) throws Exception {
        Path db = Path.of(args.length > 0 ? args[0] : "deploytrack-demo.db").toAbsolutePath();
        int code = run(db, System.out);
        System.exit(code);
    }

    /** The demo's body, callable from tests; returns the exit code. */
    public static int run(Path db, PrintStream out) throws Exception {
        for (String suffix : new String[]{"", "-wal", "-shm"}) {
            Files.deleteIfExists(Path.of(db + suffix));
        }
        Clock clock = Clock.systemUTC();
        DemoSource target = new DemoSource(clock);
        out.println("deploytrack demo: tracking deployments into " + db);
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(db);
             DeploymentTracker tracker = DeploymentTracker.builder(store)
                     .source(target)
                     .clock(clock)
                     .pollInterval(Duration.ofMillis(250))
                     .listener(progress(out))
                     .build()
                     .start()) {
            List<CompletableFuture<Deployment>> running = new ArrayList<>();
            List<String> expected = new ArrayList<>();
            int n = 0;
            for (Plan p : plans()) {
                DeploymentRequest.Builder r = DeploymentRequest.builder().project(p.project).commitSha(p.sha)
                        .environment(p.environment).attribute("requested_by", "demo");
                if (p.rollback) {
                    long replaced = tracker.history().current(owner(p.project), repo(p.project), p.environment)
                            .map(Deployment::id).orElseThrow();
                    r.rollbackOf(replaced);
                }
                CheckRef ref = target.start("run-" + (++n), p.steps, p.end);
                CheckSpec check = CheckSpec.of("deploy", ref);
                if (p.timeout != null) {
                    check = check.withTimeout(p.timeout);
                }
                DeploymentHandle h = tracker.track(r.build(), check);
                expected.add(p.expected);
                if (p.waitForIt) {
                    h.completion().get(1, TimeUnit.MINUTES);
                }
                running.add(h.completion());
            }
            CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
            int wrong = 0;
            for (int i = 0; i < running.size(); i++) {
                if (!running.get(i).join().status().word().equals(expected.get(i))) {
                    wrong++;
                }
            }
            out.println();
            printHistory(out, tracker.history().list(HistoryQuery.all(100)));
            out.println();
            try {
                RollbackTarget t = tracker.history().rollbackTarget("acme", "web", "production");
                out.printf("acme/web in production runs %s (#%d); roll back to %s (#%d, deployed %s)%n",
                        t.current().shortSha(), t.current().id(), t.target().shortSha(), t.target().id(),
                        TIME.format(t.target().deployedAt()));
            } catch (NoRollbackTargetException e) {
                out.println(e.getMessage());
            }
            out.printf("%d deployments, %d ended differently than scripted; %d status polls%n", running.size(), wrong,
                    target.polls());
            return wrong == 0 ? 0 : 1;
        }
    }

    private static DeploymentListener progress(PrintStream out) {
        return new DeploymentListener() {
            @Override
            public void onStarted(Deployment d) {
                out.printf("%s  #%-3d %-14s %-11s %s%s  started%n", TIME.format(Instant.now()), d.id(), d.project(),
                        d.environment(), d.shortSha(), d.rollback() ? " (rollback)" : "");
            }

            @Override
            public void onStatusChanged(Deployment d, DeploymentCheck c) {
                if (!d.isTerminal()) {
                    out.printf("%s  #%-3d %-14s %-11s %s  %s%n", TIME.format(Instant.now()), d.id(), d.project(),
                            d.environment(), d.shortSha(), c.lastSourceStatus());
                }
            }

            @Override
            public void onCompleted(Deployment d) {
                out.printf("%s  #%-3d %-14s %-11s %s  %s in %.1f s%s%n", TIME.format(Instant.now()), d.id(),
                        d.project(), d.environment(), d.shortSha(), d.status().word().toUpperCase(),
                        d.totalDuration().toMillis() / 1000.0, d.errorMessage() == null ? "" : ": " + d.errorMessage());
            }
        };
    }

    static void printHistory(PrintStream out, List<Deployment> history) {
        out.printf("%-4s %-14s %-11s %-8s %-9s %-10s %-9s %s%n", "ID", "PROJECT", "ENV", "COMMIT", "ROLLBACK",
                "STATUS", "DURATION", "ERROR");
        for (Deployment d : history) {
            out.printf("%-4d %-14s %-11s %-8s %-9s %-10s %-9s %s%n", d.id(), d.project(), d.environment(),
                    d.shortSha(), d.rollback() ? "yes" : "", d.status().word(),
                    d.totalDuration() == null ? "" : String.format("%.1fs", d.totalDuration().toMillis() / 1000.0),
                    d.errorMessage() == null ? "" : d.errorMessage());
        }
    }

    private record Plan(String project, String environment, String sha, boolean rollback, List<Step> steps, String end,
                        String expected, Duration timeout, boolean waitForIt) {
    }

    private static List<Step> steps(double waiting, double inprogress) {
        return List.of(new Step("waiting", Duration.ofMillis((long) (waiting * 1000))),
                new Step("inprogress", Duration.ofMillis((long) (inprogress * 1000))));
    }

    private static List<Plan> plans() {
        List<Plan> p = new ArrayList<>();
        // acme/web: two good releases, a broken one, then a rollback to the first: the rollback target is clear.
        p.add(new Plan("acme/web", "production", "a1b2c3d4e5f6", false, steps(0.3, 1.0), "success", "success", null, true));
        p.add(new Plan("acme/web", "production", "b2c3d4e5f6a7", false, steps(0.3, 1.2), "success", "success", null, true));
        p.add(new Plan("acme/web", "production", "c3d4e5f6a7b8", false, steps(0.2, 0.8), "fail", "failed", null, true));
        p.add(new Plan("acme/web", "production", "a1b2c3d4e5f6", true, steps(0.2, 0.8), "success", "success", null, false));
        p.add(new Plan("acme/web", "staging", "d4e5f6a7b8c9", false, steps(0.5, 1.5), "success", "success", null, false));
        p.add(new Plan("acme/api", "production", "e5f6a7b8c9d0", false, steps(0.4, 2.0), "success", "success", null, false));
        p.add(new Plan("acme/api", "staging", "f6a7b8c9d0e1", false, steps(0.2, 1.0), "canceled", "cancelled", null, false));
        p.add(new Plan("acme/api", "production", "0a1b2c3d4e5f", false, steps(0.2, 60), "inprogress", "timed_out",
                Duration.ofSeconds(4), false));
        p.add(new Plan("globex/billing", "production", "1b2c3d4e5f60", false, steps(0.6, 2.4), "success", "success", null, false));
        p.add(new Plan("globex/billing", "staging", "2c3d4e5f6071", false, steps(0.3, 1.1), "fail", "failed", null, false));
        p.add(new Plan("globex/search", "production", "3d4e5f607182", false, steps(0.2, 1.7), "success", "success", null, false));
        p.add(new Plan("globex/search", "staging", "4e5f60718293", false, steps(0.5, 0.9), "success", "success", null, false));
        p.add(new Plan("initech/tps", "production", "5f60718293a4", false, steps(0.3, 2.2), "success", "success", null, false));
        p.add(new Plan("initech/tps", "staging", "60718293a4b5", false, steps(0.1, 0.6), "success", "success", null, false));
        p.add(new Plan("initech/portal", "production", "718293a4b5c6", false, steps(0.4, 1.3), "fail", "failed", null, false));
        p.add(new Plan("initech/portal", "staging", "8293a4b5c6d7", false, steps(0.2, 1.9), "success", "success", null, false));
        p.add(new Plan("umbrella/lab", "production", "93a4b5c6d7e8", false, steps(0.3, 2.6), "success", "success", null, false));
        p.add(new Plan("umbrella/lab", "staging", "a4b5c6d7e8f9", false, steps(0.2, 0.7), "success", "success", null, false));
        p.add(new Plan("umbrella/hive", "production", "b5c6d7e8f90a", false, steps(0.4, 1.4), "success", "success", null, false));
        p.add(new Plan("umbrella/hive", "staging", "c6d7e8f90a1b", false, steps(0.3, 0.9), "canceled", "cancelled", null, false));
        return p;
    }

    private static String owner(String project) {
        return project.substring(0, project.indexOf('/'));
    }

    private static String repo(String project) {
        return project.substring(project.indexOf('/') + 1);
    }
}
