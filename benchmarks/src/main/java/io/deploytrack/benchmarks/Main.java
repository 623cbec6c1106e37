package io.deploytrack.benchmarks;

import io.deploytrack.benchmarks.k8s.K8sDetect;
import io.deploytrack.benchmarks.maintenance.RepairFigure;
import io.deploytrack.benchmarks.query.QueryFigures;
import io.deploytrack.benchmarks.store.Alternating;
import io.deploytrack.benchmarks.store.BatchFigure;
import io.deploytrack.benchmarks.store.PostgresServer;
import io.deploytrack.benchmarks.store.StoreFigures;
import io.deploytrack.benchmarks.tracker.ScaleWorkload;
import io.deploytrack.benchmarks.tracker.TrackerBaseline;
import io.deploytrack.benchmarks.tracker.TrackerPg3;
import io.deploytrack.benchmarks.tracker.TrackerScale;
import io.deploytrack.benchmarks.webhook.WebhookDetect;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Runs the benchmarks and prints one line per figure ({@code NAME key=value ...}) on stdout as each is measured,
 * then a table with the targets. Notes (progress, query plans, counts) go to stderr.
 *
 * <pre>
 * Main [--only=store,query,k8s,tracker,webhook,maintenance|MEASUREMENT,...] [--jmh] [--quick]
 * </pre>
 * {@code --only} picks groups ({@code store}: store.sqlite, store.postgres, store.sqlite.concurrent; {@code query};
 * {@code k8s}; {@code tracker}: tracker.scale, tracker.baseline, tracker.scale50k, tracker.pg3; {@code webhook}:
 * webhook.detect; {@code maintenance}: maintenance.repair); {@code store} also has store.sqlite.batch; a
 * measurement may also be named alone
 * ({@code --only=tracker.scale}); {@code --jmh} measures store.* with JMH forks
 * instead of the interleaving harness; {@code --quick} shrinks every workload (a check that everything runs, not a
 * measurement).
 */
public final class Main {
    private static final List<String> GROUPS = List.of("store", "query", "k8s", "tracker", "webhook", "maintenance");
    /** The measurements {@code --only} may also name one by one (each is in the group its name starts with). */
    private static final List<String> MEASUREMENTS = List.of("store.sqlite", "store.postgres", "store.sqlite.concurrent",
            "store.sqlite.batch", "query", "k8s.detect", "tracker.scale", "tracker.baseline", "tracker.scale50k",
            "tracker.pg3", "webhook.detect", "maintenance.repair");
    /** Updates per group commit in {@code store.sqlite.batch}. */
    static final int BATCH_GROUP = 250;

    private Main() {
    }

    /** Sizes of one run. */
    record Sizes(Alternating.Plan sqlitePlan, Alternating.Plan postgresPlan, StoreFigures.JmhPlan jmhPlan,
                 int concurrentThreads, int concurrentLifecycles, int queryRows, int queryProjects, int queryWarmup,
                 int queryMeasured, int rollouts, ScaleWorkload scale, int batchRounds, int batchPerRound,
                 ScaleWorkload scale50k, ScaleWorkload pg3, int pushedDeployments, int pushesPerSecond,
                 Duration pushSafetyNetInterval, int repairRows) {

        static Sizes standard() {
            return new Sizes(Alternating.Plan.standard(), new Alternating.Plan(4, 20, 30), StoreFigures.JmhPlan.standard(),
                    8, 20_000, 1_000_000, 1_000, 2_000, 10_000, 200, ScaleWorkload.standard(), 8, 1_500,
                    ScaleWorkload.standard50k(), ScaleWorkload.pg3(), 1_000, 200, Duration.ofSeconds(10), 20_000);
        }

        static Sizes quick() {
            return new Sizes(new Alternating.Plan(1, 3, 10), new Alternating.Plan(1, 3, 5),
                    new StoreFigures.JmhPlan(1, 1, 2, 200), 8, 400, 20_000, 100, 50, 200, 5,
                    new ScaleWorkload(200, 20, 2, 4, 1L), 1, 200, new ScaleWorkload(500, 50, 2, 4, 1L),
                    new ScaleWorkload(150, 15, 2, 4, 1L), 100, 200, Duration.ofSeconds(10), 2_000);
        }

        /** The smoke test's: seconds in all. */
        static Sizes smoke() {
            return new Sizes(new Alternating.Plan(0, 2, 4), new Alternating.Plan(0, 2, 2),
                    new StoreFigures.JmhPlan(1, 1, 1, 100), 8, 80, 5_000, 50, 20, 50, 3,
                    new ScaleWorkload(20, 2, 1, 2, 1L), 1, 100, new ScaleWorkload(40, 4, 1, 2, 1L),
                    new ScaleWorkload(30, 3, 1, 2, 1L), 10, 200, Duration.ofMillis(500), 200);
        }
    }

    public static void main(String[] args) {
        Set<String> groups = new LinkedHashSet<>(GROUPS);
        boolean jmh = false;
        boolean quick = false;
        // benchmarks/run passes its arguments as one (Maven property); split them again.
        for (String a : String.join(" ", args).trim().split("\\s+")) {
            if (a.startsWith("--only=")) {
                groups = new LinkedHashSet<>(Arrays.asList(a.substring("--only=".length()).split(",")));
                if (!groups.stream().allMatch(g -> GROUPS.contains(g) || MEASUREMENTS.contains(g))) {
                    System.err.println("unknown group in " + a + ": expected some of " + GROUPS + " or of " + MEASUREMENTS);
                    System.exit(2);
                }
            } else if (a.equals("--jmh")) {
                jmh = true;
            } else if (a.equals("--quick")) {
                quick = true;
            } else if (!a.equals("--all") && !a.isBlank()) {
                System.err.println("unknown argument " + a + "; usage: Main [--only=" + String.join(",", GROUPS)
                        + "] [--jmh] [--quick]");
                System.exit(2);
            }
        }
        Report report = new Report(System.out);
        long start = System.nanoTime();
        run(groups, jmh, quick ? Sizes.quick() : Sizes.standard(), report, System.err);
        report.printTable();
        System.err.printf(Locale.ROOT, "benchmarks: done in %.0f s%n", (System.nanoTime() - start) / 1e9);
        System.exit(report.complete() ? 0 : 1);
    }

    static void run(Set<String> groups, boolean jmh, Sizes sizes, Report report, PrintStream notes) {
        Consumer<String> log = m -> {
            notes.println(m);
            notes.flush();
        };
        if (selected(groups, "store.sqlite")) {
            measure(report, log, "store.sqlite", () -> List.of(jmh ? StoreFigures.sqliteJmh(sizes.jmhPlan())
                    : StoreFigures.sqlite(sizes.sqlitePlan())));
        }
        if (selected(groups, "store.postgres")) {
            measure(report, log, "store.postgres", () -> {
                log.accept("store.postgres: starting embedded PostgreSQL");
                try (PostgresServer pg = PostgresServer.start()) {
                    return List.of(jmh ? StoreFigures.postgresJmh(sizes.jmhPlan(), pg)
                            : StoreFigures.postgres(sizes.postgresPlan(), pg));
                }
            });
        }
        if (selected(groups, "store.sqlite.concurrent")) {
            measure(report, log, "store.sqlite.concurrent", () -> List.of(
                    StoreFigures.concurrent(sizes.concurrentThreads(), 2, sizes.concurrentLifecycles())));
        }
        if (selected(groups, "store.sqlite.batch")) {
            measure(report, log, "store.sqlite.batch", () -> List.of(
                    BatchFigure.sqlite(sizes.batchRounds(), sizes.batchPerRound(), BATCH_GROUP)));
        }
        if (selected(groups, "query")) {
            measure(report, log, "query.rollback_target,query.history,query.insights", () -> new QueryFigures(sizes.queryRows(),
                    sizes.queryProjects(), sizes.queryWarmup(), sizes.queryMeasured(), log).run());
        }
        if (selected(groups, "k8s.detect")) {
            measure(report, log, "k8s.detect", () -> List.of(new K8sDetect(sizes.rollouts(), log).run()));
        }
        if (selected(groups, "tracker.scale")) {
            measure(report, log, "tracker.scale", () -> List.of(new TrackerScale(sizes.scale(), log).run()));
        }
        if (selected(groups, "tracker.baseline")) {
            measure(report, log, "tracker.baseline", () -> List.of(new TrackerBaseline(sizes.scale(), log).run()));
        }
        if (selected(groups, "tracker.scale50k")) {
            measure(report, log, "tracker.scale50k", () -> List.of(new TrackerScale("tracker.scale50k", sizes.scale50k(),
                    log).run()));
        }
        if (selected(groups, "tracker.pg3")) {
            measure(report, log, "tracker.pg3", () -> List.of(new TrackerPg3(sizes.pg3(), log).run()));
        }
        if (selected(groups, "webhook.detect")) {
            measure(report, log, "webhook.detect", () -> List.of(new WebhookDetect(sizes.pushedDeployments(),
                    sizes.pushesPerSecond(), sizes.pushSafetyNetInterval(), log).run()));
        }
        if (selected(groups, "maintenance.repair")) {
            measure(report, log, "maintenance.repair", () -> List.of(new RepairFigure(sizes.repairRows(), log).run()));
        }
    }

    /** Whether {@code --only} asked for the measurement, by its name or by its group (the name's first word). */
    private static boolean selected(Set<String> groups, String measurement) {
        int dot = measurement.indexOf('.');
        return groups.contains(measurement) || groups.contains(dot < 0 ? measurement : measurement.substring(0, dot));
    }

    @FunctionalInterface
    interface Measurement {
        List<Figure> run() throws Exception;
    }

    private static void measure(Report report, Consumer<String> log, String names, Measurement m) {
        long t0 = System.nanoTime();
        log.accept(names + ": running");
        try {
            for (Figure f : new ArrayList<>(m.run())) {
                report.add(f);
            }
        } catch (Exception | Error e) {
            for (String name : names.split(",")) {
                report.failed(name, e);
            }
            log.accept(names + ": failed: " + e);
            e.printStackTrace(System.err);
        }
        log.accept(String.format(Locale.ROOT, "%s: %.1f s", names, (System.nanoTime() - t0) / 1e9));
    }
}
