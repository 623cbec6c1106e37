package io.deploytrack.cli.internal;

import io.deploytrack.core.DeploymentHistory;
import io.deploytrack.core.DoraLevel;
import io.deploytrack.core.Insights;
import io.deploytrack.core.InsightsSettings;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import static io.deploytrack.cli.internal.HtmlReport.esc;

/**
 * The "Delivery insights" section of {@code report --html}: per project and environment, DORA's metrics over the
 * report's window with their counts and level, and beside each a small inline SVG chart of the same metric per period
 * ({@code <svg class="spark" data-metric=... data-values=...>}, one point per period that has a value, gaps where a
 * period has none). No script, nothing from the network. Not public API.
 */
final class HtmlInsights {
    /** The most targets the section shows (each costs one insights query per period, plus one). */
    static final int MAX_TARGETS = 20;
    static final int SPARK_WIDTH = 180;
    static final int SPARK_HEIGHT = 36;
    private static final int PAD = 4;

    static final String STYLE = "table.insights td{vertical-align:middle}\n"
            + ".level{display:inline-block;padding:1px 7px;border-radius:9px;font-size:12px;color:#fff}\n"
            + ".level-elite{background:#1a7f37}.level-high{background:#0969da}.level-medium{background:#bc4c00}"
            + ".level-low{background:#cf222e}\n"
            + "svg.spark{background:none;border:none}svg.spark polyline{fill:none;stroke:#0969da;stroke-width:1.5}\n"
            + "svg.spark circle{fill:#0969da}svg.spark line{stroke:#d1d9e0;stroke-width:1}\n";

    /** One target's insights over the whole window and per period, oldest period first. */
    record Target(Insights total, List<Insights> periods) {
    }

    private HtmlInsights() {
    }

    /**
     * The periods of {@code [from, to)}: whole weeks when the window holds two or more (at most 26), else 12 equal
     * periods; the last ends at {@code to}.
     */
    static List<Instant[]> periods(Instant from, Instant to) {
        Duration window = Duration.between(from, to);
        long weeks = window.toDays() / 7;
        int n = weeks >= 2 ? (int) Math.min(26, weeks) : 12;
        Duration length = window.dividedBy(n);
        List<Instant[]> out = new ArrayList<>();
        for (int i = n; i >= 1; i--) {
            out.add(new Instant[] {to.minus(length.multipliedBy(i)), to.minus(length.multipliedBy(i - 1))});
        }
        return out;
    }

    /** Works out the insights of each (owner, repo, environment) over {@code [from, to)} and per period. */
    static List<Target> gather(DeploymentHistory history, List<String[]> targets, Instant from, Instant to,
                               InsightsSettings settings) {
        List<Instant[]> periods = periods(from, to);
        List<Target> out = new ArrayList<>();
        for (String[] t : targets.subList(0, Math.min(MAX_TARGETS, targets.size()))) {
            Insights total = history.insights(t[0], t[1], t[2], from, to, settings);
            List<Insights> per = new ArrayList<>();
            for (Instant[] p : periods) {
                per.add(history.insights(t[0], t[1], t[2], p[0], p[1], settings));
            }
            out.add(new Target(total, per));
        }
        return out;
    }

    /** The section's HTML; {@code shownOf} is how many targets there were in all. */
    static String section(List<Target> targets, int shownOf, Instant from, Instant to) {
        StringBuilder h = new StringBuilder(8_192);
        h.append("<h2>Delivery insights</h2>\n<p class=\"meta\">DORA's metrics from ").append(esc(Format.time(from)))
                .append(" to ").append(esc(Format.time(to)));
        List<Instant[]> periods = periods(from, to);
        h.append(", charted per ").append(esc(Format.duration(Duration.between(periods.get(0)[0], periods.get(0)[1]))))
                .append(" (oldest left). A deployment is a successful non-rollback; a change failure one that a later ")
                .append("rollback went back past or a fix redeploy replaced; failed attempts never reached production.");
        if (shownOf > targets.size()) {
            h.append(" Showing ").append(targets.size()).append(" of ").append(shownOf)
                    .append(" project/environment pairs: narrow with --project.");
        }
        h.append("</p>\n");
        if (targets.isEmpty()) {
            h.append("<p id=\"insights\">no deployments in the window</p>\n");
        }
        for (Target t : targets) {
            Insights i = t.total();
            String id = i.owner() + "/" + i.repo() + " " + i.environment();
            h.append("<h3>").append(esc(i.owner() + "/" + i.repo())).append(" in ").append(esc(i.environment()))
                    .append("</h3>\n<table class=\"insights\" data-target=\"").append(esc(id)).append("\">\n")
                    .append("<tr><th>metric</th><th>over the window</th><th>level</th><th>per period</th></tr>\n");
            Insights.DeploymentFrequency f = i.deploymentFrequency();
            row(h, "deployment-frequency", "deployment frequency", String.format(Locale.ROOT,
                    "%.2f a week (%d deployments, %d rollbacks, %d failed attempts); %.1f deployment days a week; longest gap %s",
                    f.perWeek(), i.deployments(), i.rollbacks(), i.failedAttempts(), f.deploymentDaysPerWeekMedian(),
                    f.longestGapSeconds() == null ? "-" : Format.duration(Duration.ofSeconds(f.longestGapSeconds()))),
                    f.level(), t, p -> p.deploymentFrequency().perWeek(), "a week");
            Insights.ChangeFailRate c = i.changeFailRate();
            row(h, "change-fail-rate", "change fail rate", InsightsText.percent(c.ratio()) + " (" + c.failures() + " of "
                    + c.deployments() + " deployments)", c.level(), t, p -> p.changeFailRate().ratio(), "ratio");
            Insights.RecoveryTime r = i.recoveryTime();
            row(h, "recovery-time", "failed deployment recovery time", "median " + InsightsText.seconds(r.medianSeconds())
                    + ", p90 " + InsightsText.seconds(r.p90Seconds()) + " (" + r.count() + " recoveries)", r.level(), t,
                    p -> p.recoveryTime().medianSeconds(), "median seconds");
            Insights.ReworkRate w = i.reworkRate();
            row(h, "rework-rate", "rework rate", InsightsText.percent(w.ratio()) + " (" + w.reworks() + " of "
                    + w.deployments() + ": " + w.rollbacks() + " rollbacks, " + w.fixRedeploys() + " fix redeploys)",
                    null, t, p -> p.reworkRate().ratio(), "ratio");
            Insights.LeadTime l = i.leadTime();
            if (l == null) {
                h.append("<tr data-metric=\"lead-time\"><td>change lead time</td><td colspan=\"3\">not computed: no commit "
                        + "resolver (report --git DIR or --github)</td></tr>\n");
            } else {
                row(h, "lead-time", "change lead time", "median " + InsightsText.seconds(l.medianSeconds()) + ", p90 "
                        + InsightsText.seconds(l.p90Seconds()) + " (" + l.count() + " commits in "
                        + l.deploymentsWithCommits() + " deployments)", l.level(), t,
                        p -> p.leadTime() == null ? null : p.leadTime().medianSeconds(), "median seconds");
            }
            h.append("</table>\n");
        }
        return h.toString();
    }

    private static void row(StringBuilder h, String metric, String name, String text, DoraLevel level, Target t,
                            Function<Insights, Double> value, String unit) {
        h.append("<tr data-metric=\"").append(metric).append("\"><td>").append(esc(name)).append("</td><td>")
                .append(esc(text)).append("</td><td>");
        if (level != null) {
            h.append("<span class=\"level level-").append(level.word()).append("\">").append(level.word()).append("</span>");
        }
        h.append("</td><td>");
        List<Double> values = new ArrayList<>();
        t.periods().forEach(p -> values.add(value.apply(p)));
        spark(h, metric, values, t.periods(), unit);
        h.append("</td></tr>\n");
    }

    /** A small line chart of {@code values} (null: the period has none), scaled from 0 to the largest. */
    private static void spark(StringBuilder h, String metric, List<Double> values, List<Insights> periods, String unit) {
        double max = 0;
        for (Double v : values) {
            if (v != null) {
                max = Math.max(max, v);
            }
        }
        double top = max > 0 ? max : 1;
        int n = values.size();
        StringBuilder data = new StringBuilder();
        values.forEach(v -> data.append(data.length() == 0 ? "" : " ").append(v == null ? "-" : number(v)));
        h.append("<svg class=\"spark\" data-metric=\"").append(metric).append("\" data-values=\"").append(data)
                .append("\" width=\"").append(SPARK_WIDTH).append("\" height=\"").append(SPARK_HEIGHT)
                .append("\" viewBox=\"0 0 ").append(SPARK_WIDTH).append(' ').append(SPARK_HEIGHT)
                .append("\" role=\"img\" aria-label=\"").append(esc(metric)).append(" per period, ").append(esc(unit))
                .append("\">");
        h.append("<line x1=\"").append(PAD).append("\" y1=\"").append(SPARK_HEIGHT - PAD).append("\" x2=\"")
                .append(SPARK_WIDTH - PAD).append("\" y2=\"").append(SPARK_HEIGHT - PAD).append("\"/>");
        StringBuilder run = new StringBuilder();
        for (int k = 0; k <= n; k++) {
            Double v = k < n ? values.get(k) : null;
            if (v == null) {
                if (run.length() > 0) {
                    h.append("<polyline points=\"").append(run.toString().strip()).append("\"/>");
                    run.setLength(0);
                }
                continue;
            }
            double x = n == 1 ? SPARK_WIDTH / 2.0 : PAD + k * (SPARK_WIDTH - 2.0 * PAD) / (n - 1);
            double y = SPARK_HEIGHT - PAD - v / top * (SPARK_HEIGHT - 2.0 * PAD);
            run.append(' ').append(fmt(x)).append(',').append(fmt(y));
            Insights p = periods.get(k);
            h.append("<circle cx=\"").append(fmt(x)).append("\" cy=\"").append(fmt(y)).append("\" r=\"2\"><title>")
                    .append(esc(Format.time(p.from()) + " to " + Format.time(p.to()) + ": " + number(v) + " (" + unit
                            + "; " + p.deployments() + " deployments)")).append("</title></circle>");
        }
        h.append("</svg>");
    }

    private static String number(double v) {
        String s = String.format(Locale.ROOT, "%.4f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
