package io.deploytrack.cli.internal;

import io.deploytrack.core.CommitResolver;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentHistory;
import io.deploytrack.core.HistoryQuery;
import io.deploytrack.core.InsightsSettings;
import io.deploytrack.core.NoRollbackTargetException;
import io.deploytrack.core.RollbackTarget;
import io.deploytrack.core.SkippedVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/** {@code report --html FILE}: one self-contained HTML page. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Writes one self-contained HTML page: the deployments over time with their durations and outcomes "
                + "(an inline SVG chart, nothing loaded from the network), success rate and median duration per project, "
                + "the current and rollback-target commit per project and environment, and DORA's delivery metrics per project "
                + "and environment with a small chart of each per period (over --since, default 90 days).")
final class ReportCommand extends BaseCommand {
    private static final int PAGE = 10_000;
    private static final int MAX = 200_000;
    /** The insights section's window without --since. */
    private static final Duration INSIGHTS_WINDOW = Duration.ofDays(90);

    @Option(names = "--html", required = true, paramLabel = "FILE", description = "Where to write the page.")
    Path file;

    @Option(names = "--project", paramLabel = "OWNER/REPO", converter = Options.ProjectConverter.class,
            description = "Only this project.")
    Options.Project project;

    @Option(names = "--since", paramLabel = "DURATION", converter = Options.DurationConverter.class,
            description = "Only deployments started this long ago or later, e.g. 24h.")
    Duration since;

    @Mixin
    CommitResolverOptions commits = new CommitResolverOptions();

    @Override
    public Integer call() throws IOException {
        Path target = file.toAbsolutePath().normalize();
        if (target.getParent() != null && !Files.isDirectory(target.getParent())) {
            throw usage("--html " + file + ": the folder " + target.getParent() + " does not exist; expected a file in an existing folder");
        }
        Instant now = context().clock().instant();
        Instant from = since == null ? null : now.minus(since);
        List<Deployment> all = new ArrayList<>();
        List<HtmlReport.Target> targets = new ArrayList<>();
        InsightsSettings settings = InsightsSettings.defaults().withResolver(commits.resolver(context(), this::usage, err()));
        Instant insightsFrom = now.minus(since == null ? INSIGHTS_WINDOW : since);
        List<HtmlInsights.Target> insights;
        List<String[]> pairList = new ArrayList<>();
        try (Database db = openExisting()) {
            HistoryQuery q = project == null ? HistoryQuery.all(PAGE) : HistoryQuery.project(project.owner(), project.repo(), PAGE);
            while (all.size() < MAX) {
                List<Deployment> page = db.store().list(q);
                boolean older = false;
                for (Deployment d : page) {
                    if (from != null && d.startedAt() != null && d.startedAt().isBefore(from)) {
                        older = true;
                        continue;
                    }
                    all.add(d);
                }
                if (page.size() < PAGE || older) {
                    break;
                }
                q = q.next();
            }
            DeploymentHistory history = DeploymentHistory.of(db.store(), context().clock());
            TreeSet<String> pairs = new TreeSet<>();
            all.forEach(d -> pairs.add(d.owner() + "\u0000" + d.repo() + "\u0000" + d.environment()));
            for (String p : pairs) {
                String[] parts = p.split("\u0000");
                pairList.add(parts);
                Optional<Deployment> current = history.current(parts[0], parts[1], parts[2]);
                if (current.isEmpty()) {
                    targets.add(new HtmlReport.Target(parts[0] + "/" + parts[1], parts[2], null, null, "no successful deployment"));
                    continue;
                }
                try {
                    RollbackTarget t = history.rollbackTarget(parts[0], parts[1], parts[2]);
                    targets.add(new HtmlReport.Target(parts[0] + "/" + parts[1], parts[2], t.current(), t.target(),
                            t.skipped().isEmpty() ? null : "skipped " + String.join("; ",
                                    t.skipped().stream().map(SkippedVersion::reason).toList())));
                } catch (NoRollbackTargetException e) {
                    targets.add(new HtmlReport.Target(parts[0] + "/" + parts[1], parts[2], current.get(), null,
                            "none: " + e.getMessage()));
                }
            }
            try {
                insights = HtmlInsights.gather(history, pairList, insightsFrom, now, settings);
            } catch (CommitResolver.CommitResolverException e) {
                throw new CliException(ExitCodes.FAILURE, "lead time: " + e.getMessage(), e);
            }
        }
        String title = "deploytrack report" + (project == null ? "" : ": " + project)
                + (since == null ? "" : " (last " + Format.duration(since) + ")");
        Files.writeString(target, HtmlReport.render(all, targets, title, now, HtmlInsights.STYLE,
                HtmlInsights.section(insights, pairList.size(), insightsFrom, now)), StandardCharsets.UTF_8);
        out().println("wrote " + target + ": " + all.size() + (all.size() == 1 ? " deployment" : " deployments")
                + ", " + targets.size() + " project/environment pairs");
        return ExitCodes.OK;
    }
}
