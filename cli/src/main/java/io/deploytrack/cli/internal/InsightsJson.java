package io.deploytrack.cli.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deploytrack.core.DoraLevel;
import io.deploytrack.core.Insights;

/**
 * The JSON of {@code insights --json}: one object per project and environment with the keys of issue 25, in this
 * order: {@code project}, {@code environment}, {@code from}, {@code to}, {@code deployments}, {@code rollbacks},
 * {@code failedAttempts}, {@code deploymentFrequency} {@code {perWeek, deploymentDaysPerWeekMedian,
 * longestGapSeconds, perDay, level}}, {@code changeFailRate} {@code {failures, deployments, ratio, level}},
 * {@code recoveryTime} {@code {count, medianSeconds, p90Seconds, level}}, {@code reworkRate} {@code {reworks,
 * deployments, ratio, rollbacks, fixRedeploys}}, {@code leadTime} {@code {count, medianSeconds, p90Seconds,
 * commitToStartMedianSeconds, deployDurationMedianSeconds, deploymentsWithCommits, level}} or null without a commit
 * resolver. Levels are {@code elite}, {@code high}, {@code medium}, {@code low} or null. Not public API.
 */
final class InsightsJson {
    private InsightsJson() {
    }

    static ObjectNode of(Insights i) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("project", i.owner() + "/" + i.repo());
        o.put("environment", i.environment());
        o.put("from", Json.time(i.from()));
        o.put("to", Json.time(i.to()));
        o.put("deployments", i.deployments());
        o.put("rollbacks", i.rollbacks());
        o.put("failedAttempts", i.failedAttempts());
        Insights.DeploymentFrequency f = i.deploymentFrequency();
        ObjectNode freq = o.putObject("deploymentFrequency");
        freq.put("perWeek", f.perWeek());
        freq.put("deploymentDaysPerWeekMedian", f.deploymentDaysPerWeekMedian());
        freq.put("longestGapSeconds", f.longestGapSeconds());
        freq.put("perDay", f.perDay());
        freq.put("level", word(f.level()));
        Insights.ChangeFailRate cfr = i.changeFailRate();
        ObjectNode c = o.putObject("changeFailRate");
        c.put("failures", cfr.failures());
        c.put("deployments", cfr.deployments());
        c.put("ratio", cfr.ratio());
        c.put("level", word(cfr.level()));
        Insights.RecoveryTime rt = i.recoveryTime();
        ObjectNode r = o.putObject("recoveryTime");
        r.put("count", rt.count());
        r.put("medianSeconds", rt.medianSeconds());
        r.put("p90Seconds", rt.p90Seconds());
        r.put("level", word(rt.level()));
        Insights.ReworkRate rw = i.reworkRate();
        ObjectNode w = o.putObject("reworkRate");
        w.put("reworks", rw.reworks());
        w.put("deployments", rw.deployments());
        w.put("ratio", rw.ratio());
        w.put("rollbacks", rw.rollbacks());
        w.put("fixRedeploys", rw.fixRedeploys());
        Insights.LeadTime lt = i.leadTime();
        if (lt == null) {
            o.putNull("leadTime");
        } else {
            ObjectNode l = o.putObject("leadTime");
            l.put("count", lt.count());
            l.put("medianSeconds", lt.medianSeconds());
            l.put("p90Seconds", lt.p90Seconds());
            l.put("commitToStartMedianSeconds", lt.commitToStartMedianSeconds());
            l.put("deployDurationMedianSeconds", lt.deployDurationMedianSeconds());
            l.put("deploymentsWithCommits", lt.deploymentsWithCommits());
            l.put("level", word(lt.level()));
        }
        return o;
    }

    private static String word(DoraLevel level) {
        return level == null ? null : level.word();
    }
}
