package io.deploytrack.cli.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.deploytrack.core.CommitResolver;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentHistory;
import io.deploytrack.core.HistoryQuery;
import io.deploytrack.core.Insights;
import io.deploytrack.core.InsightsSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code insights}: DORA's five metrics per project and environment, each ratio with its counts. */
@Command(name = "insights", mixinStandardHelpOptions = true,
        description = "DORA's delivery metrics per project and environment over a window: deployment frequency, change "
                + "lead time (with --git or --github), change fail rate, failed deployment recovery time, rework rate; "
                + "the counts behind each ratio and the DORA 2024 level of each metric.")
final class InsightsCommand extends BaseCommand {
    private static final int PAGE = 10_000;
    private static final int MAX_ROWS = 1_000_000;

    @Option(names = "--project", paramLabel = "OWNER/REPO", converter = Options.ProjectConverter.class,
            description = "Only this project (default: every project that deployed in the window).")
    Options.Project project;

    @Option(names = "--env", paramLabel = "ENV",
            description = "Only this environment (default: every environment that deployed in the window).")
    String environment;

    @Option(names = "--since", paramLabel = "DURATION", defaultValue = "90d", converter = WindowConverter.class,
            description = "The window: this long up to now, e.g. 90d, 4w, 36h (default ${DEFAULT-VALUE}).")
    Duration since;

    @Option(names = "--fix-window", paramLabel = "DURATION", defaultValue = "24h", converter = WindowConverter.class,
            description = "How soon a redeploy marked fix=true must follow a deployment to count as its fix "
                    + "(default ${DEFAULT-VALUE}).")
    Duration fixWindow;

    @Option(names = "--json", description = "Print a JSON array: one object per project and environment.")
    boolean json;

    @Mixin
    CommitResolverOptions commits = new CommitResolverOptions();

    @Override
    public Integer call() {
        Instant to = context().clock().instant();
        Instant from = to.minus(since);
        CommitResolver resolver = commits.resolver(context(), this::usage, err());
        InsightsSettings settings = InsightsSettings.defaults().withFixWindow(fixWindow).withResolver(resolver);
        List<Insights> all = new ArrayList<>();
        try (Database db = openExisting()) {
            DeploymentHistory history = DeploymentHistory.of(db.store(), context().clock());
            for (String[] t : targets(db, from)) {
                try {
                    all.add(history.insights(t[0], t[1], t[2], from, to, settings));
                } catch (CommitResolver.CommitResolverException e) {
                    // the resolvers' messages name the range and why, never the token
                    throw new CliException(ExitCodes.FAILURE, "lead time of " + t[0] + "/" + t[1] + " in " + t[2]
                            + ": " + e.getMessage(), e);
                }
            }
        }
        PrintWriter out = out();
        if (json) {
            ArrayNode a = Json.MAPPER.createArrayNode();
            all.forEach(i -> a.add(InsightsJson.of(i)));
            out.println(Json.write(a));
            return ExitCodes.OK;
        }
        if (all.isEmpty()) {
            out.println("no deployments" + (project == null ? "" : " of " + project)
                    + (environment == null ? "" : " in " + environment) + " since " + Json.time(from));
        }
        for (int k = 0; k < all.size(); k++) {
            if (k > 0) {
                out.println();
            }
            InsightsText.print(out, all.get(k));
        }
        return ExitCodes.OK;
    }

    /**
     * The (owner, repo, environment) to report: the ones given, else those with a row started in the window (newest
     * first, so the read stops at the window's start).
     */
    private List<String[]> targets(Database db, Instant from) {
        if (project != null && environment != null) {
            return List.<String[]>of(new String[] {project.owner(), project.repo(), environment});
        }
        TreeSet<String> seen = new TreeSet<>();
        HistoryQuery q = project == null ? HistoryQuery.all(PAGE) : HistoryQuery.project(project.owner(), project.repo(), PAGE);
        if (environment != null) {
            q = q.inEnvironment(environment);
        }
        int read = 0;
        while (read < MAX_ROWS) {
            List<Deployment> page = db.store().list(q);
            boolean older = false;
            for (Deployment d : page) {
                if (d.startedAt() != null && d.startedAt().isBefore(from)) {
                    older = true;
                    break;
                }
                seen.add(d.owner() + "\u0000" + d.repo() + "\u0000" + d.environment());
            }
            read += page.size();
            if (older || page.size() < q.limit()) {
                break;
            }
            q = q.next();
        }
        List<String[]> out = new ArrayList<>();
        seen.forEach(s -> out.add(s.split("\u0000", 3)));
        return out;
    }

    /** A window: a positive number followed by s, m, h, d (24 hours) or w (7 days). */
    static final class WindowConverter implements ITypeConverter<Duration> {
        private static final Pattern WINDOW = Pattern.compile("(\\d{1,6})(s|m|h|d|w)");

        @Override
        public Duration convert(String value) {
            Matcher m = WINDOW.matcher(value == null ? "" : value.strip());
            if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
                throw new TypeConversionException("'" + value + "' is not a window: expected a positive number "
                        + "followed by s, m, h, d or w, e.g. 90d, 4w, 36h");
            }
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
            };
        }
    }
}
