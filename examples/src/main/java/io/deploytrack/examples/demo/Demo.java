package io.deploytrack.examples.demo;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.DeploymentHandle;
import io.deploytrack.core.DeploymentListener;
import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.HistoryQuery;
import io.deploytrack.core.NoRollbackTargetException;
import io.deploytrack.core.RollbackTarget;
import io.deploytrack.jdbc.JdbcHistoryStore;
import io.deploytrack.ncp.NcpBuildPollingSource;
import io.deploytrack.ncp.NcpBuilds;
import io.deploytrack.ncp.NcpClient;
import io.deploytrack.ncp.NcpCredentials;
import io.deploytrack.ncp.NcpDeployments;
import io.deploytrack.ncp.NcpEndpoint;
import io.deploytrack.ncp.NcpPipelinePollingSource;
import io.deploytrack.ncp.NcpPipelines;
import io.deploytrack.ncp.NcpPollingSource;
import io.deploytrack.ncp.emulator.NcpEmulator;
import io.deploytrack.ncp.emulator.NcpScript;
import io.deploytrack.ncp.emulator.RequestKind;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.deploytrack.ncp.emulator.NcpScript.end;
import static io.deploytrack.ncp.emulator.NcpScript.step;

/**
 * The demo: about twenty NCP SourceDeploy deployments of a few projects, a SourcePipeline run and a build that fails
 * ({@link PipelineDemo}), each started and tracked in one call
 * ({@link NcpDeployments#deployAndTrack}) and followed over HTTP by the real {@link NcpPollingSource} against an NCP
 * emulator started in-process (signature v2 checked on every call, NCP's real status words), into an embedded SQLite
 * file in the working folder; a line per change while they run; then the history, a rollback target and how many NCP
 * calls it took.
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
        try (NcpEmulator ncp = NcpEmulator.builder().clock(clock).cancelDuration(Duration.ofMillis(400)).start()) {
            // The host's side: a SourceDeploy client and the status source, pointed at the emulator instead of NCP.
            NcpClient client = NcpClient.builder().endpoint(NcpEndpoint.of(ncp.baseUri().toString(),
                            ncp.sourceBuildUri().toString(), ncp.sourcePipelineUri().toString()))
                    .credentials(NcpCredentials.of(ncp.accessKey(), ncp.secretKey())).clock(clock).build();
            NcpPollingSource source = NcpPollingSource.of(client);
            NcpPipelinePollingSource pipelines = NcpPipelinePollingSource.builder(client)
                    .pollInterval(Duration.ofMillis(250)).build();
            out.println("deploytrack demo: NCP SourceDeploy emulator at " + ncp.baseUri() + ", history in " + db);
            try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(db);
                 DeploymentTracker tracker = DeploymentTracker.builder(store)
                         .source(source)
                         .source(NcpBuildPollingSource.of(client))
                         .source(pipelines)
                         .clock(clock)
                         .pollInterval(Duration.ofMillis(250))
                         .listener(progress(out))
                         .listener(approver(client, out))
                         .build()
                         .start()) {
                return deployAll(ncp, client, source, pipelines, tracker, out, db);
            }
        }
    }

    private static int deployAll(NcpEmulator ncp, NcpClient client, NcpPollingSource source,
                                 NcpPipelinePollingSource pipelines, DeploymentTracker tracker, PrintStream out, Path db)
            throws Exception {
        Map<String, Long> ncpProjects = new LinkedHashMap<>();
        List<CompletableFuture<Deployment>> running = new ArrayList<>();
        NcpDeployments deployments = NcpDeployments.of(source, tracker);
        List<String> expected = new ArrayList<>();
        for (Plan p : plans()) {
            if (running.size() == 4) {
                // After acme/web's releases: a SourcePipeline run and a build that fails, beside the rest.
                for (PipelineDemo.Started started : PipelineDemo.start(ncp, client, pipelines, tracker)) {
                    running.add(started.completion());
                    expected.add(started.expected());
                }
            }
            // One NCP project per repository; one stage and one scenario per environment.
            long projectId = ncpProjects.computeIfAbsent(p.project, k -> 100L + ncpProjects.size() + 1);
            long stageId = projectId * 10 + (p.environment.equals("production") ? 1 : 2);
            long scenarioId = stageId * 10 + 1;
            ncp.addScenario(projectId, stageId, p.environment, scenarioId, "deploy-" + p.environment);
            ncp.onDeploy(scenarioId, p.script);

            DeploymentRequest.Builder r = DeploymentRequest.builder().project(p.project).commitSha(p.sha)
                    .environment(p.environment).attribute("requested_by", "demo");
            if (p.rollback) {
                long replaced = tracker.history().current(owner(p.project), repo(p.project), p.environment)
                        .map(Deployment::id).orElseThrow();
                r.rollbackOf(replaced);
            }
            // POST .../deploy (or .../deploy/request) over HTTP, then the tracker records and follows the history id.
            CompletableFuture<DeploymentHandle> started = p.approval
                    ? deployments.requestAndTrack(r.build(), projectId, stageId, scenarioId, p.timeout, null)
                    : deployments.deployAndTrack(r.build(), projectId, stageId, scenarioId, p.timeout);
            // Waiting for the start keeps one scenario's script with its own deployment.
            DeploymentHandle h = started.get(30, TimeUnit.SECONDS);
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
            t.skipped().forEach(v -> out.println("  skipped " + v.reason()));
        } catch (NoRollbackTargetException e) {
            out.println(e.getMessage());
        }
        out.printf("%d deployments, %d ended differently than scripted%n", running.size(), wrong);
        long deploys = ncp.requests(RequestKind.DEPLOY).size() + ncp.requests(RequestKind.DEPLOY_REQUEST).size();
        out.printf("NCP SourceDeploy calls over HTTP: %d deploy, %d approve, %d list, %d detail (%d in all)%n",
                deploys, ncp.requests(RequestKind.APPROVE).size(), ncp.listCalls(), ncp.detailCalls(),
                ncp.requestCount());
        printNextCommands(out, db, tracker.history().list(HistoryQuery.all(100)));
        return wrong == 0 ? 0 : 1;
    }

    /**
     * The last lines: what to run next with the {@code deploytrack} command, verbatim (the integration tests run
     * them). The database as the user would type it: relative when it is in the working folder.
     */
    static void printNextCommands(PrintStream out, Path db, List<Deployment> history) {
        Path cwd = Path.of("").toAbsolutePath();
        String file = db.startsWith(cwd) ? cwd.relativize(db).toString() : db.toString();
        String dbOption = "--db " + shellWord(file);
        long failed = history.stream().filter(d -> d.status() == DeploymentStatus.FAILED).mapToLong(Deployment::id)
                .findFirst().orElse(history.isEmpty() ? 1 : history.get(0).id());
        String page = shellWord(file.replaceFirst("\\.db$", "") + ".html");
        out.println();
        out.println("Next, with the deploytrack command (cli/target/deploytrack; the README says how to put it on "
                + "the PATH):");
        out.println("  deploytrack " + dbOption + " history");
        out.println("  deploytrack " + dbOption + " show " + failed);
        out.println("  deploytrack " + dbOption + " report --html " + page);
    }

    /** {@code s} as one word for a POSIX shell: as is when plain, else in single quotes. */
    private static String shellWord(String s) {
        return s.matches("[A-Za-z0-9_./:@%+=-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }

    private static DeploymentListener progress(PrintStream out) {
        return new DeploymentListener() {
            @Override
            public void onStarted(Deployment d) {
                out.printf("%s  #%-3d %-14s %-11s %s%s  started (NCP %s)%n", TIME.format(Instant.now()),
                        d.id(), d.project(), d.environment(), d.shortSha(), d.rollback() ? " (rollback)" : "",
                        ncpId(d));
            }

            @Override
            public void onStatusChanged(Deployment d, DeploymentCheck c) {
                if (!d.isTerminal()) {
                    out.printf("%s  #%-3d %-14s %-11s %s  %s%n", TIME.format(Instant.now()), d.id(), d.project(),
                            d.environment(), d.shortSha(), c.stage() ? c.name() + " " + c.lastSourceStatus()
                                    : c.lastSourceStatus());
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

    /** Which NCP job a deployment follows: a SourceDeploy history, a SourcePipeline run or a SourceBuild build. */
    private static String ncpId(Deployment d) {
        Map<String, String> a = d.attributes();
        if (a.containsKey(NcpPipelines.ATTRIBUTE_PIPELINE_HISTORY_ID)) {
            return "pipeline run " + a.get(NcpPipelines.ATTRIBUTE_PIPELINE_HISTORY_ID);
        }
        if (a.containsKey(NcpBuilds.ATTRIBUTE_BUILD_ID)) {
            return "build " + a.get(NcpBuilds.ATTRIBUTE_BUILD_ID).substring(0, 8) + ", then deploy";
        }
        return "history " + a.get(NcpDeployments.ATTRIBUTE_HISTORY_ID);
    }

    /** Plays the human who approves a deployment waiting in {@code pending}: one asynchronous call to NCP. */
    private static DeploymentListener approver(NcpClient client, PrintStream out) {
        return new DeploymentListener() {
            @Override
            public void onStatusChanged(Deployment d, DeploymentCheck c) {
                if (!d.isTerminal() && "pending".equals(c.lastSourceStatus())) {
                    long projectId = Long.parseLong(d.attributes().get(NcpDeployments.ATTRIBUTE_PROJECT_ID));
                    long historyId = Long.parseLong(d.attributes().get(NcpDeployments.ATTRIBUTE_HISTORY_ID));
                    client.approve(projectId, historyId).whenComplete((v, e) -> out.printf(
                            "%s  #%-3d %-14s %-11s %s  %s%n", TIME.format(Instant.now()), d.id(), d.project(),
                            d.environment(), d.shortSha(), e == null ? "approved in NCP" : "approval failed: " + e.getMessage()));
                }
            }
        };
    }

    static void printHistory(PrintStream out, List<Deployment> history) {
        out.printf("%-4s %-14s %-11s %-8s %-8s %-9s %-10s %-9s %s%n", "ID", "PROJECT", "ENV", "COMMIT", "NCP",
                "ROLLBACK", "STATUS", "DURATION", "ERROR");
        for (Deployment d : history) {
            out.printf("%-4d %-14s %-11s %-8s %-8s %-9s %-10s %-9s %s%n", d.id(), d.project(), d.environment(),
                    d.shortSha(), d.attributes().getOrDefault(NcpDeployments.ATTRIBUTE_HISTORY_ID, ""),
                    d.rollback() ? "yes" : "", d.status().word(),
                    d.totalDuration() == null ? "" : String.format("%.1fs", d.totalDuration().toMillis() / 1000.0),
                    d.errorMessage() == null ? "" : d.errorMessage());
        }
    }

    private record Plan(String project, String environment, String sha, boolean rollback, NcpScript script,
                        String expected, Duration timeout, boolean approval, boolean waitForIt) {

        /** The demo waits for this one to end before starting the next. */
        Plan awaited() {
            return new Plan(project, environment, sha, rollback, script, expected, timeout, approval, true);
        }

        /** A rollback of the deployment that runs now. */
        Plan asRollback() {
            return new Plan(project, environment, sha, true, script, expected, timeout, approval, waitForIt);
        }

        /** Started with deploy/request: waits for an approval. */
        Plan needsApproval() {
            return new Plan(project, environment, sha, rollback, script, expected, timeout, true, waitForIt);
        }

        /** With its own rollout deadline. */
        Plan withTimeout(Duration d) {
            return new Plan(project, environment, sha, rollback, script, expected, d, approval, waitForIt);
        }
    }

    private static Plan plan(String project, String environment, String sha, NcpScript script, String expected) {
        return new Plan(project, environment, sha, false, script, expected, null, false, false);
    }

    /** waiting, inprogress, then the final word (seconds on the emulator's clock, which is the real one here). */
    private static NcpScript script(double waiting, double inprogress, String end) {
        return NcpScript.of(step("waiting", seconds(waiting)), step("inprogress", seconds(inprogress)), end(end));
    }

    /** A deployment a user cancels while it runs: canceling, then canceled. */
    private static NcpScript canceled(double waiting, double inprogress) {
        return NcpScript.of(step("waiting", seconds(waiting)), step("inprogress", seconds(inprogress)),
                step("canceling", seconds(0.4)), end("canceled"));
    }

    private static Duration seconds(double s) {
        return Duration.ofMillis((long) (s * 1000));
    }

    private static List<Plan> plans() {
        List<Plan> p = new ArrayList<>();
        // acme/web: three releases, the third broke in production and was rolled back to the second: the rollback
        // target is the first, never the third the team just left. A broken build that never deployed fails beside it.
        p.add(plan("acme/web", "production", "a1b2c3d4e5f6", script(0.3, 1.0, "success"), "success").awaited());
        p.add(plan("acme/web", "production", "b2c3d4e5f6a7", script(0.3, 1.2, "success"), "success").awaited());
        p.add(plan("acme/web", "production", "c3d4e5f6a7b8", script(0.2, 0.8, "success"), "success").awaited());
        p.add(plan("acme/web", "production", "b2c3d4e5f6a7", script(0.2, 0.8, "success"), "success").asRollback());
        p.add(plan("acme/web", "staging", "d4e5f6a7b8c9", script(0.5, 1.5, "success"), "success"));
        // Needs a human's approval: it waits in 'pending' (the approval deadline applies) until approved.
        p.add(plan("acme/api", "production", "e5f6a7b8c9d0", script(0.4, 2.0, "success"), "success").needsApproval());
        p.add(plan("acme/api", "staging", "f6a7b8c9d0e1", canceled(0.2, 1.0), "cancelled"));
        // Never ends at NCP: the 4 s rollout deadline ends it as timed_out, naming the last status seen.
        p.add(plan("acme/api", "production", "0a1b2c3d4e5f",
                NcpScript.of(step("waiting", seconds(0.2)), step("inprogress", Duration.ofHours(1)), end("success")),
                "timed_out").withTimeout(Duration.ofSeconds(4)));
        p.add(plan("globex/billing", "production", "1b2c3d4e5f60", script(0.6, 2.4, "success"), "success"));
        p.add(plan("globex/billing", "staging", "2c3d4e5f6071", script(0.3, 1.1, "error"), "failed"));
        p.add(plan("globex/search", "production", "3d4e5f607182", script(0.2, 1.7, "success"), "success"));
        p.add(plan("globex/search", "staging", "4e5f60718293", script(0.5, 0.9, "success"), "success"));
        p.add(plan("initech/tps", "production", "5f60718293a4", script(0.3, 2.2, "success"), "success"));
        p.add(plan("initech/tps", "staging", "60718293a4b5", script(0.1, 0.6, "success"), "success"));
        p.add(plan("initech/portal", "production", "718293a4b5c6", script(0.4, 1.3, "fail"), "failed"));
        p.add(plan("initech/portal", "staging", "8293a4b5c6d7", script(0.2, 1.9, "success"), "success"));
        p.add(plan("umbrella/lab", "production", "93a4b5c6d7e8", script(0.3, 2.6, "success"), "success"));
        p.add(plan("umbrella/lab", "staging", "a4b5c6d7e8f9", script(0.2, 0.7, "success"), "success"));
        p.add(plan("umbrella/hive", "production", "b5c6d7e8f90a", script(0.4, 1.4, "success"), "success"));
        p.add(plan("umbrella/hive", "staging", "c6d7e8f90a1b", canceled(0.3, 0.9), "cancelled"));
        return p;
    }

    private static String owner(String project) {
        return project.substring(0, project.indexOf('/'));
    }

    private static String repo(String project) {
        return project.substring(project.indexOf('/') + 1);
    }
}
