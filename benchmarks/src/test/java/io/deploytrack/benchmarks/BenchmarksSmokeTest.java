package io.deploytrack.benchmarks;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every benchmark at a tiny size, in seconds: each prints its line with the fixed keys, and what must hold
 * at any size holds (nothing lost, no wrong status, no busy error, the store's queries use an index). Measures
 * nothing: {@code benchmarks/run} does.
 */
class BenchmarksSmokeTest {
    @TempDir
    static Path work;
    private static String previousWork;

    @BeforeAll
    static void useTempFolder() {
        previousWork = System.setProperty(Work.PROPERTY, work.toString());
    }

    @AfterAll
    static void restore() {
        if (previousWork == null) {
            System.clearProperty(Work.PROPERTY);
        } else {
            System.setProperty(Work.PROPERTY, previousWork);
        }
    }

    @Test
    void everyFigureIsMeasuredWithItsFixedKeys() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream notes = new ByteArrayOutputStream();
        Report report = new Report(new PrintStream(out, true, StandardCharsets.UTF_8));

        Main.run(new LinkedHashSet<>(List.of("store", "query", "k8s", "tracker", "webhook", "maintenance")), false, Main.Sizes.smoke(), report,
                new PrintStream(notes, true, StandardCharsets.UTF_8));

        report.printTable();
        assertThat(report.complete()).as("every figure measured; notes:%n%s", notes).isTrue();
        Map<String, List<String>> keys = new java.util.HashMap<>(Map.of(
                "store.sqlite", List.of("ops_per_s", "baseline_ops_per_s", "ratio", "wal_peak_mb"),
                "store.postgres", List.of("ops_per_s", "baseline_ops_per_s", "ratio"),
                "store.sqlite.concurrent", List.of("ops_per_s", "busy_errors", "rows", "wal_peak_mb"),
                "tracker.scale", List.of("deployments", "completed", "lost", "wrong_status", "threads_peak",
                        "heap_peak_mb", "api_calls_per_deployment", "detect_p50_ms", "detect_p99_ms", "wall_s"),
                "tracker.baseline", List.of("deployments", "completed", "lost", "wrong_status", "threads_peak",
                        "heap_peak_mb", "api_calls_per_deployment", "detect_p50_ms", "detect_p99_ms", "wall_s"),
                "store.sqlite.batch", List.of("batched_per_s", "single_per_s", "group", "ratio", "wal_peak_mb"),
                "tracker.scale50k", List.of("deployments", "completed", "lost", "wrong_status", "threads_peak",
                        "heap_peak_mb", "api_calls_per_deployment", "detect_p50_ms", "detect_p99_ms", "wall_s"),
                "k8s.detect", List.of("detect_p50_ms", "detect_p99_ms"),
                "query.rollback_target", List.of("p50_us", "p99_us", "index_used"),
                "query.history", List.of("p50_us", "p99_us", "index_used")));
        keys.put("query.insights", List.of("p50_ms", "p99_ms", "index_used", "shipped_mean"));
        keys.put("webhook.detect", List.of("deployments", "pushes_per_s", "detect_p50_ms", "detect_p99_ms",
                "poll_interval_s", "poll_detect_p50_ms", "poll_detect_p99_ms"));
        keys.put("tracker.pg3", List.of("deployments", "completed", "lost", "wrong_status", "double_polled",
                "duplicate_completions", "share_a", "share_b", "share_c", "api_calls_per_deployment", "detect_p99_ms",
                "wall_s"));
        keys.put("maintenance.repair", List.of("rows", "steps", "done", "diagnose_s", "repair_s", "mark_ms",
                "mark_stands", "left_duplicates", "left_stale"));
        String printed = out.toString(StandardCharsets.UTF_8);
        keys.forEach((name, expected) -> {
            Figure f = report.get(name);
            assertThat(f).as(name).isNotNull();
            assertThat(f.values().keySet()).as(name).containsExactlyElementsOf(expected);
            assertThat(printed).contains(f.line());
        });
        for (String name : List.of("tracker.scale", "tracker.baseline", "tracker.scale50k", "tracker.pg3")) {
            Figure f = report.get(name);
            assertThat(f.number("completed")).as(name).isEqualTo(f.number("deployments"));
            assertThat(f.number("lost")).as(name).isZero();
            assertThat(f.number("wrong_status")).as(name).isZero();
        }
        assertThat(report.get("tracker.pg3").number("double_polled")).isZero();
        assertThat(report.get("tracker.pg3").number("duplicate_completions")).isZero();
        assertThat(report.get("store.sqlite.concurrent").number("busy_errors")).isZero();
        assertThat(report.get("store.sqlite.concurrent").number("rows")).isEqualTo(80);
        assertThat(report.get("query.rollback_target").values()).containsEntry("index_used", "true");
        assertThat(report.get("query.history").values()).containsEntry("index_used", "true");
        assertThat(report.get("query.insights").values()).containsEntry("index_used", "true");
        assertThat(report.get("query.insights").number("shipped_mean")).isPositive();
        Figure repair = report.get("maintenance.repair");
        assertThat(repair.values()).containsEntry("mark_stands", "true").containsEntry("left_duplicates", "0")
                .containsEntry("left_stale", "0");
        assertThat(repair.number("done")).as("every step but the marked row's").isEqualTo(repair.number("steps") - 1);
        assertThat(printed).contains("figure").contains("target");
    }
}
