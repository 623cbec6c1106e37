package io.deploytrack.cli.internal;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.HistoryQuery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;

/** {@code history}: the newest deployments first. */
@Command(name = "history", mixinStandardHelpOptions = true, description = "The deployments, newest first.")
final class HistoryCommand extends BaseCommand {

    @Option(names = "--project", paramLabel = "OWNER/REPO", converter = Options.ProjectConverter.class,
            description = "Only this project.")
    Options.Project project;

    @Option(names = "--env", paramLabel = "ENV", description = "Only this environment.")
    String environment;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "At most N rows, 1 to 10000 (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", description = "Print a JSON array.")
    boolean json;

    @Override
    public Integer call() {
        checkLimit(limit);
        HistoryQuery q = project == null ? HistoryQuery.all(limit) : HistoryQuery.project(project.owner(), project.repo(), limit);
        if (environment != null) {
            q = q.inEnvironment(environment);
        }
        List<Deployment> rows;
        try (Database db = openExisting()) {
            rows = db.store().list(q);
        }
        PrintWriter out = out();
        if (json) {
            out.println(Json.write(Json.deployments(rows)));
            return ExitCodes.OK;
        }
        if (rows.isEmpty()) {
            out.println("no deployments" + (project == null ? "" : " of " + project) + (environment == null ? "" : " in " + environment));
            return ExitCodes.OK;
        }
        out.println(Format.pad("ID", 7) + Format.pad("STATUS", 10) + Format.pad("PROJECT", 28) + Format.pad("ENV", 13)
                + Format.pad("COMMIT", 9) + Format.pad("STARTED", 22) + Format.pad("DURATION", 9) + "NOTE");
        for (Deployment d : rows) {
            String note = d.errorMessage() != null ? Format.cut((d.errorStage() == null ? "" : d.errorStage() + ": ")
                    + d.errorMessage(), 60) : d.rollback() ? "rollback" + (d.rollbackOf() == null ? "" : " of #" + d.rollbackOf()) : "";
            out.println(Format.pad(String.valueOf(d.id()), 7) + Format.pad(d.status().word(), 10)
                    + Format.pad(d.project(), 28) + Format.pad(d.environment(), 13) + Format.pad(d.shortSha(), 9)
                    + Format.pad(Format.time(d.startedAt()), 22) + Format.pad(Format.duration(d.totalDuration()), 9) + note);
        }
        return ExitCodes.OK;
    }
}
