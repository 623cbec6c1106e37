package io.deploytrack.cli.internal;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One self-contained HTML page: an inline SVG chart of the deployments over time (x: start, y: duration, one
 * {@code <circle class="deployment">} per deployment, coloured by outcome), success rate and median duration per
 * project, and the current and rollback-target commit per project and environment. No script, no font, no network.
 * Not public API.
 */
final class HtmlReport {
    static final int WIDTH = 960;
    static final int HEIGHT = 380;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 20;
    private static final int BOTTOM = 50;

    /** The current and rollback-target deployments of one project and environment (either may be null). */
    record Target(String project, String environment, Deployment current, Deployment target, String note) {
    }

    private HtmlReport() {
    }

    static String render(List<Deployment> deployments, List<Target> targets, String title, Instant generatedAt) {
        return render(deployments, targets, title, generatedAt, "", "");
    }

    /** The page with {@code sections} (whole HTML sections, e.g. {@link HtmlInsights}) after the tables, their CSS in {@code style}. */
    static String render(List<Deployment> deployments, List<Target> targets, String title, Instant generatedAt,
                         String style, String sections) {
        StringBuilder h = new StringBuilder(32_768);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(esc(title)).append("</title>\n<style>\n")
                .append("body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:24px;color:#1f2328;background:#fff}\n")
                .append("h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}\n")
                .append(".meta{color:#59636e;font-size:13px}\n")
                .append("table{border-collapse:collapse;font-size:14px}th,td{padding:4px 12px;border-bottom:1px solid #d1d9e0;text-align:left}\n")
                .append("th{background:#f6f8fa}td.num{text-align:right;font-variant-numeric:tabular-nums}\n")
                .append("code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:13px}\n")
                .append("svg{background:#fbfcfd;border:1px solid #d1d9e0}\n")
                .append(".axis{stroke:#59636e;stroke-width:1}.grid{stroke:#e6eaef;stroke-width:1}\n")
                .append(".tick{fill:#59636e;font-size:11px}\n")
                .append("circle.deployment{stroke:#fff;stroke-width:1;fill-opacity:.85}\n")
                .append(".status-success{fill:#1a7f37}.status-failed{fill:#cf222e}.status-cancelled{fill:#8c959f}\n")
                .append(".status-timed_out{fill:#bc4c00}.status-running{fill:#0969da}\n")
                .append(".legend span{display:inline-block;margin-right:14px;font-size:13px}\n")
                .append(".legend i{display:inline-block;width:10px;height:10px;border-radius:5px;margin-right:5px}\n")
                .append("i.status-success{background:#1a7f37}i.status-failed{background:#cf222e}i.status-cancelled{background:#8c959f}\n")
                .append("i.status-timed_out{background:#bc4c00}i.status-running{background:#0969da}\n")
                .append(style).append("</style>\n</head>\n<body>\n");
        h.append("<h1>").append(esc(title)).append("</h1>\n<p class=\"meta\">").append(deployments.size())
                .append(deployments.size() == 1 ? " deployment" : " deployments").append(", generated ")
                .append(esc(Format.time(generatedAt))).append(" (times in UTC)</p>\n");
        h.append("<h2>Deployments over time</h2>\n");
        chart(h, deployments, generatedAt);
        h.append("<p class=\"legend\">");
        for (DeploymentStatus s : DeploymentStatus.values()) {
            h.append("<span><i class=\"status-").append(s.word()).append("\"></i>").append(s.word()).append("</span>");
        }
        h.append("</p>\n");
        projects(h, deployments);
        targets(h, targets);
        h.append(sections);
        h.append("</body>\n</html>\n");
        return h.toString();
    }

    private static void chart(StringBuilder h, List<Deployment> all, Instant now) {
        List<Deployment> ds = all.stream().filter(d -> d.startedAt() != null)
                .sorted(Comparator.comparing(Deployment::startedAt).thenComparingLong(Deployment::id)).toList();
        h.append("<svg id=\"chart\" width=\"").append(WIDTH).append("\" height=\"")
                .append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" role=\"img\" aria-label=\"deployments over time: start time against duration\">\n");
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        Instant min = ds.isEmpty() ? now.minus(Duration.ofDays(1)) : ds.get(0).startedAt();
        Instant max = ds.isEmpty() ? now : ds.get(ds.size() - 1).startedAt();
        ChartAxes.TimeAxis xAxis = ChartAxes.time(min, max, 5);
        min = xAxis.min();
        long span = xAxis.spanMillis();
        double maxSeconds = 0;
        for (Deployment d : ds) {
            maxSeconds = Math.max(maxSeconds, seconds(d, now));
        }
        ChartAxes.DurationAxis yAxis = ChartAxes.duration(maxSeconds);
        double yStep = yAxis.step();
        double yMax = yAxis.max();
        // grid and y ticks
        for (double v = 0; v <= yMax + 1e-9; v += yStep) {
            double y = TOP + plotH - v / yMax * plotH;
            h.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" y1=\"").append(fmt(y)).append("\" x2=\"")
                    .append(LEFT + plotW).append("\" y2=\"").append(fmt(y)).append("\"/>\n");
            h.append("<text class=\"tick\" x=\"").append(LEFT - 8).append("\" y=\"").append(fmt(y + 4))
                    .append("\" text-anchor=\"end\">").append(esc(Format.duration(Duration.ofSeconds((long) v))))
                    .append("</text>\n");
        }
        // x ticks
        for (int i = 0; i <= 5; i++) {
            double x = LEFT + plotW * i / 5.0;
            h.append("<text class=\"tick\" x=\"").append(fmt(x)).append("\" y=\"").append(TOP + plotH + 18)
                    .append("\" text-anchor=\"").append(i == 0 ? "start" : i == 5 ? "end" : "middle").append("\">")
                    .append(esc(xAxis.labels().get(i))).append("</text>\n");
        }
        h.append("<line class=\"axis\" x1=\"").append(LEFT).append("\" y1=\"").append(TOP + plotH).append("\" x2=\"")
                .append(LEFT + plotW).append("\" y2=\"").append(TOP + plotH).append("\"/>\n");
        h.append("<line class=\"axis\" x1=\"").append(LEFT).append("\" y1=\"").append(TOP).append("\" x2=\"")
                .append(LEFT).append("\" y2=\"").append(TOP + plotH).append("\"/>\n");
        h.append("<text class=\"tick\" x=\"").append(LEFT + plotW / 2).append("\" y=\"").append(HEIGHT - 8)
                .append("\" text-anchor=\"middle\">started (UTC)</text>\n");
        h.append("<text class=\"tick\" transform=\"rotate(-90)\" x=\"").append(-(TOP + plotH / 2)).append("\" y=\"14\" ")
                .append("text-anchor=\"middle\">duration</text>\n");
        h.append("<g id=\"deployments\">\n");
        for (Deployment d : ds) {
            double x = LEFT + plotW * (Duration.between(min, d.startedAt()).toMillis() / (double) span);
            double y = TOP + plotH - seconds(d, now) / yMax * plotH;
            h.append("<circle class=\"deployment status-").append(d.status().word()).append("\" data-id=\"")
                    .append(d.id()).append("\" data-status=\"").append(d.status().word()).append("\" data-project=\"")
                    .append(esc(d.project())).append("\" cx=\"").append(fmt(x)).append("\" cy=\"").append(fmt(y))
                    .append("\" r=\"5\"><title>").append(esc("#" + d.id() + " " + Format.label(d) + " "
                            + d.status().word() + ", started " + Format.time(d.startedAt()) + ", "
                            + (d.totalDuration() == null ? "running for " + Format.duration(Duration.ofSeconds((long) seconds(d, now)))
                            : "took " + Format.duration(d.totalDuration()))
                            + (d.errorMessage() == null ? "" : ": " + Format.cut(d.errorMessage(), 120))))
                    .append("</title></circle>\n");
        }
        h.append("</g>\n</svg>\n");
    }

    private static void projects(StringBuilder h, List<Deployment> ds) {
        Map<String, List<Deployment>> byProject = new TreeMap<>();
        ds.forEach(d -> byProject.computeIfAbsent(d.project(), k -> new ArrayList<>()).add(d));
        h.append("<h2>Projects</h2>\n<table id=\"projects\">\n<tr><th>project</th><th>deployments</th><th>finished</th>")
                .append("<th>success rate</th><th>median duration</th></tr>\n");
        if (byProject.isEmpty()) {
            h.append("<tr><td colspan=\"5\">no deployments</td></tr>\n");
        }
        byProject.forEach((project, list) -> {
            long finished = list.stream().filter(Deployment::isTerminal).count();
            long ok = list.stream().filter(d -> d.status() == DeploymentStatus.SUCCESS).count();
            List<Long> durations = list.stream().filter(d -> d.isTerminal() && d.totalDuration() != null)
                    .map(d -> d.totalDuration().toMillis()).sorted().toList();
            h.append("<tr data-project=\"").append(esc(project)).append("\"><td>").append(esc(project))
                    .append("</td><td class=\"num\">").append(list.size()).append("</td><td class=\"num\">").append(finished)
                    .append("</td><td class=\"num success-rate\">")
                    .append(finished == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * ok / finished))
                    .append("</td><td class=\"num median-duration\">")
                    .append(durations.isEmpty() ? "-" : esc(Format.duration(Duration.ofMillis(median(durations)))))
                    .append("</td></tr>\n");
        });
        h.append("</table>\n");
    }

    private static void targets(StringBuilder h, List<Target> targets) {
        h.append("<h2>What runs now and what to roll back to</h2>\n<table id=\"targets\">\n<tr><th>project</th>")
                .append("<th>environment</th><th>current</th><th>deployed</th><th>rollback target</th><th>deployed</th></tr>\n");
        if (targets.isEmpty()) {
            h.append("<tr><td colspan=\"6\">no successful deployment</td></tr>\n");
        }
        for (Target t : targets) {
            h.append("<tr><td>").append(esc(t.project())).append("</td><td>").append(esc(t.environment())).append("</td>");
            cell(h, t.current());
            if (t.target() == null) {
                h.append("<td colspan=\"2\">").append(esc(t.note())).append("</td>");
            } else {
                cell(h, t.target());
                if (t.note() != null) {
                    h.setLength(h.length() - "</td>".length());
                    h.append("<br><small class=\"skipped\">").append(esc(t.note())).append("</small></td>");
                }
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    private static void cell(StringBuilder h, Deployment d) {
        if (d == null) {
            h.append("<td>-</td><td>-</td>");
            return;
        }
        h.append("<td><code title=\"").append(esc(d.commitSha())).append("\">").append(esc(d.shortSha()))
                .append("</code> #").append(d.id()).append("</td><td>").append(esc(Format.time(d.deployedAt()))).append("</td>");
    }

    private static double seconds(Deployment d, Instant now) {
        if (d.totalDuration() != null) {
            return Math.max(0, d.totalDuration().toMillis() / 1000.0);
        }
        return Math.max(0, Duration.between(d.startedAt(), now).toMillis() / 1000.0);
    }

    private static long median(List<Long> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
