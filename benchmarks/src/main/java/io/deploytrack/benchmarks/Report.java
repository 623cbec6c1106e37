package io.deploytrack.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects figures: prints each one's line as soon as it is measured, and at the end a table for people with the
 * issue's targets and whether each was met.
 */
public final class Report {
    private final PrintStream out;
    private final Map<String, Figure> figures = new LinkedHashMap<>();
    private final Map<String, String> failures = new LinkedHashMap<>();

    public Report(PrintStream out) {
        this.out = out;
    }

    /** Records and prints a figure. */
    public void add(Figure f) {
        figures.put(f.name(), f);
        out.println(f.line());
        out.flush();
    }

    /** Records that a figure could not be measured. */
    public void failed(String name, Throwable error) {
        failures.put(name, String.valueOf(error));
    }

    /** Whether every attempted figure was measured. */
    public boolean complete() {
        return failures.isEmpty();
    }

    /** The figure of that name, if measured. */
    public Figure get(String name) {
        return figures.get(name);
    }

    /** The targets, and whether each measured figure meets them. */
    public List<String[]> verdicts() {
        List<String[]> rows = new ArrayList<>();
        for (Figure f : figures.values()) {
            String target;
            Boolean met;
            switch (f.name()) {
                case "store.sqlite", "store.postgres" -> {
                    target = "ratio <= 1.3";
                    met = f.number("ratio") <= 1.3;
                }
                case "store.sqlite.concurrent" -> {
                    target = "busy_errors = 0";
                    met = f.number("busy_errors") == 0;
                }
                case "store.sqlite.batch" -> {
                    target = "ratio >= 5";
                    met = f.number("ratio") >= 5;
                }
                case "tracker.scale" -> {
                    target = "completed = deployments, lost = 0, wrong_status = 0, api_calls_per_deployment <= 1.35, "
                            + "detect_p99_ms <= 1200, threads_peak <= 8, heap_peak_mb <= 256";
                    met = allCompleted(f) && f.number("wrong_status") == 0
                            && f.number("api_calls_per_deployment") <= 1.35 && f.number("detect_p99_ms") <= 1200
                            && f.number("threads_peak") <= 8 && f.number("heap_peak_mb") <= 256;
                }
                case "tracker.baseline" -> {
                    Figure ours = figures.get("tracker.scale");
                    target = "reference; tracker.scale detects >= 8x sooner at p99 with <= 0.6x its calls";
                    met = ours == null ? null : ours.number("detect_p99_ms") * 8 <= f.number("detect_p99_ms")
                            && ours.number("api_calls_per_deployment") <= 0.6 * f.number("api_calls_per_deployment");
                }
                case "tracker.scale50k" -> {
                    target = "completed = deployments, lost = 0, heap_peak_mb <= 512, detect_p99_ms <= 2500";
                    met = allCompleted(f) && f.number("heap_peak_mb") <= 512 && f.number("detect_p99_ms") <= 2500;
                }
                case "tracker.pg3" -> {
                    target = "lost = 0, double_polled = 0, every instance's share within 20 % of a third";
                    met = f.number("lost") == 0 && f.number("double_polled") == 0;
                    for (String k : f.values().keySet()) {
                        if (k.startsWith("share_")) {
                            met &= Math.abs(f.number(k) - 1.0 / 3) <= 0.2 / 3;
                        }
                    }
                }
                case "k8s.detect" -> {
                    target = "detect_p99_ms <= 250";
                    met = f.number("detect_p99_ms") <= 250;
                }
                case "webhook.detect" -> {
                    target = "detect_p99_ms <= 50 (polling beside it: poll_detect_p99_ms)";
                    met = f.number("detect_p99_ms") <= 50;
                }
                case "query.insights" -> {
                    // issue 25: one project's production over 90 days, on 1,000,000 rows of 1,000 projects
                    target = "p99_ms <= 500, index_used = true";
                    met = f.number("p99_ms") <= 500 && "true".equals(f.values().get("index_used"));
                }
                case "maintenance.repair" -> {
                    target = "repair_s < 15 at 20,000 rows, mark_stands = true, nothing left";
                    met = f.number("repair_s") < 15 && "true".equals(f.values().get("mark_stands"))
                            && f.number("left_duplicates") == 0 && f.number("left_stale") == 0;
                }
                case "query.rollback_target" -> {
                    target = "p99_us <= 2000, index_used = true";
                    met = f.number("p99_us") <= 2000 && "true".equals(f.values().get("index_used"));
                }
                default -> {
                    target = "(reference)";
                    met = null;
                }
            }
            rows.add(new String[]{f.name(), target, met == null ? "-" : met ? "met" : "MISSED"});
        }
        failures.forEach((name, error) -> rows.add(new String[]{name, "(not measured: " + error + ")", "FAILED"}));
        return rows;
    }

    private static boolean allCompleted(Figure f) {
        return f.number("completed") == f.number("deployments") && f.number("lost") == 0;
    }

    /** Prints the table. */
    public void printTable() {
        out.println();
        String format = "%-24s %-10s %s%n";
        out.printf(format, "figure", "target", "measured");
        for (String[] v : verdicts()) {
            Figure f = figures.get(v[0]);
            StringBuilder measured = new StringBuilder();
            if (f != null) {
                f.values().forEach((k, val) -> measured.append(measured.length() == 0 ? "" : ", ").append(k).append(' ').append(val));
            }
            out.printf(format, v[0], v[2], measured);
            out.printf(format, "", "", "target: " + v[1]);
        }
        out.flush();
    }
}
