package io.deploytrack.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
                case "tracker.scale" -> {
                    Figure base = figures.get("tracker.baseline");
                    double half = base == null ? Double.NaN : base.number("api_calls_per_deployment") / 2;
                    target = "completed = deployments, lost = 0, wrong_status = 0, threads_peak <= 16, "
                            + "heap_peak_mb <= 256, api_calls <= baseline/2"
                            + (Double.isNaN(half) ? "" : String.format(Locale.ROOT, " (%.2f)", half))
                            + ", detect_p99_ms <= 1500";
                    boolean basic = f.number("completed") == f.number("deployments") && f.number("lost") == 0
                            && f.number("wrong_status") == 0 && f.number("threads_peak") <= 16
                            && f.number("heap_peak_mb") <= 256 && f.number("detect_p99_ms") <= 1500;
                    // Without the baseline's line the API calls cannot be judged: no verdict then, unless already missed.
                    met = !basic ? Boolean.FALSE
                            : Double.isNaN(half) ? null : f.number("api_calls_per_deployment") <= half;
                }
                case "k8s.detect" -> {
                    target = "detect_p99_ms <= 250";
                    met = f.number("detect_p99_ms") <= 250;
                }
                case "webhook.detect" -> {
                    target = "detect_p99_ms <= 50 (polling beside it: poll_detect_p99_ms)";
                    met = f.number("detect_p99_ms") <= 50;
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
