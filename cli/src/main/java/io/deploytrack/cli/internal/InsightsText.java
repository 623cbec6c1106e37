package io.deploytrack.cli.internal;

import io.deploytrack.core.DoraLevel;
import io.deploytrack.core.Insights;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/** The text of {@code insights}: one block per project and environment, each ratio with its counts. Not public API. */
final class InsightsText {
    private InsightsText() {
    }

    static void print(PrintWriter out, Insights i) {
        out.println(i.owner() + "/" + i.repo() + " in " + i.environment() + ", " + Json.time(i.from()) + " to "
                + Json.time(i.to()));
        out.println("  deployments " + i.deployments() + ", rollbacks " + i.rollbacks() + ", failed attempts "
                + i.failedAttempts() + " (never reached production)");
        Insights.DeploymentFrequency f = i.deploymentFrequency();
        line(out, "deployment frequency", String.format(Locale.ROOT, "%.2f a week, %.1f deployment days a week (median of %d weeks), longest gap %s",
                f.perWeek(), f.deploymentDaysPerWeekMedian(), f.weeks(),
                f.longestGapSeconds() == null ? "-" : Format.duration(Duration.ofSeconds(f.longestGapSeconds()))), f.level());
        Insights.ChangeFailRate c = i.changeFailRate();
        line(out, "change fail rate", percent(c.ratio()) + " (" + c.failures() + " of " + c.deployments()
                + " deployments)", c.level());
        Insights.RecoveryTime r = i.recoveryTime();
        line(out, "recovery time", "median " + seconds(r.medianSeconds()) + ", p90 " + seconds(r.p90Seconds()) + " ("
                + r.count() + " recoveries)", r.level());
        Insights.ReworkRate w = i.reworkRate();
        line(out, "rework rate", percent(w.ratio()) + " (" + w.reworks() + " of " + w.deployments() + ": "
                + w.rollbacks() + " rollbacks, " + w.fixRedeploys() + " fix redeploys)", null);
        Insights.LeadTime l = i.leadTime();
        if (l == null) {
            line(out, "lead time", "not computed: no commit resolver (--git DIR or --github)", null);
        } else {
            line(out, "lead time", "median " + seconds(l.medianSeconds()) + ", p90 " + seconds(l.p90Seconds()) + " ("
                    + l.count() + " commits in " + l.deploymentsWithCommits() + " deployments); commit to start "
                    + seconds(l.commitToStartMedianSeconds()) + ", start to live " + seconds(l.deployDurationMedianSeconds()),
                    l.level());
        }
    }

    private static void line(PrintWriter out, String name, String text, DoraLevel level) {
        out.println("  " + Format.pad(name, 22) + text + (level == null ? "" : "  [" + level.word() + "]"));
    }

    static String percent(Double ratio) {
        return ratio == null ? "-" : String.format(Locale.ROOT, "%.1f %%", ratio * 100);
    }

    static String seconds(Double s) {
        return s == null ? "-" : Format.duration(Duration.ofMillis(Math.round(s * 1000)));
    }
}
