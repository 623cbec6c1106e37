package io.deploytrack.cli.internal;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/** {@code repair [--apply]}: plans (default) or applies the fixes of what {@code doctor} finds. */
@Command(name = "repair", mixinStandardHelpOptions = true,
        description = {"Plans (default) or applies the fixes of what doctor finds: duplicates merged into the most "
                + "complete row (the others deleted, their checks and events moved); stale running rows resolved by "
                + "asking their source when it can be reached (credentials from the environment), else timed_out; "
                + "missing deployed_at/total_duration filled from evidence only (a row without evidence stays as it "
                + "is and is listed); unique indexes left pending by a legacy database created.",
                "Every change is recorded in the row's events (type 'repaired')."})
final class RepairCommand extends BaseCommand {

    @Option(names = "--apply", description = "Apply the plan (default: only print it).")
    boolean apply;

    @Option(names = "--source-timeout", paramLabel = "DURATION", defaultValue = "10s",
            converter = Options.DurationConverter.class,
            description = "How long to wait for a source's answer about a stale row (default ${DEFAULT-VALUE}).")
    Duration sourceTimeout;

    @Override
    public Integer call() throws SQLException {
        PrintWriter out = out();
        try (Database db = openExisting(); Connection c = db.connect();
             Sources sources = Sources.available(context(), null)) {
            var dialect = Database.dialect(c);
            Diagnosis d = Diagnosis.run(c, dialect, context().clock().instant());
            Repair plan = Repair.plan(d, sources);
            if (plan.steps().isEmpty() && plan.leftAsIs().isEmpty()) {
                out.println("nothing to repair: " + d.rows.size() + " deployments in " + db.describe() + ", no problem found");
                return ExitCodes.OK;
            }
            if (!apply) {
                out.println("repair plan for " + db.describe() + " (dry run: nothing is changed)");
                for (Repair.Step s : plan.steps()) {
                    out.println("  " + s.kind() + ids(s.ids()) + ": " + s.text());
                }
                printLeft(out, plan.leftAsIs());
                out.println(plan.steps().size() + (plan.steps().size() == 1 ? " change" : " changes")
                        + " planned; 'deploytrack repair --apply' applies them");
                return ExitCodes.OK;
            }
            List<String> done = plan.apply(c, dialect, sources, sourceTimeout);
            out.println("repaired " + db.describe() + ":");
            for (String line : done) {
                out.println("  " + line);
            }
            printLeft(out, plan.leftAsIs());
            out.println(done.size() + (done.size() == 1 ? " change" : " changes") + " applied"
                    + (plan.leftAsIs().isEmpty() ? "" : "; " + plan.leftAsIs().size() + " left as is"));
            return ExitCodes.OK;
        }
    }

    private static void printLeft(PrintWriter out, List<String> left) {
        if (!left.isEmpty()) {
            out.println("left as is:");
            left.forEach(l -> out.println("  " + l));
        }
    }

    private static String ids(List<Long> ids) {
        return ids.isEmpty() ? "" : " [" + (ids.size() == 1 ? "row " : "rows ")
                + ids.stream().map(String::valueOf).collect(Collectors.joining(", ")) + "]";
    }
}
