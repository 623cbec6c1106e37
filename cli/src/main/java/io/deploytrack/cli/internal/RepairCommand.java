package io.deploytrack.cli.internal;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import io.deploytrack.jdbc.Diagnosis;
import io.deploytrack.jdbc.RepairPlan;
import io.deploytrack.jdbc.RepairStep;
import io.deploytrack.jdbc.StoreMaintenance;

import java.io.PrintWriter;
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
                "Every change is recorded in the row's events (type 'repaired'); rows it ends count as notified, so "
                        + "no listener announces old news, unless --notify."})
final class RepairCommand extends BaseCommand {

    @Option(names = "--apply", description = "Apply the plan (default: only print it).")
    boolean apply;

    @Option(names = "--notify", description = "With --apply: the rows it ends get a 'completed' event and are left "
            + "for the next tracker's onCompleted (listeners announce them); default: recorded as notified.")
    boolean notify;

    @Option(names = "--source-timeout", paramLabel = "DURATION", defaultValue = "10s",
            converter = Options.DurationConverter.class,
            description = "How long to wait for a source's answer about a stale row (default ${DEFAULT-VALUE}).")
    Duration sourceTimeout;

    @Override
    public Integer call() {
        PrintWriter out = out();
        if (notify && !apply) {
            throw usage("--notify only makes sense with --apply: give both, or neither");
        }
        try (Database db = openExisting(); Sources sources = Sources.available(context(), null)) {
            StoreMaintenance maintenance = db.store().maintenance();
            Diagnosis d = maintenance.diagnose();
            RepairPlan plan = maintenance.plan(d, sources);
            if (plan.isEmpty()) {
                out.println("nothing to repair: " + d.rows().size() + " deployments in " + db.describe() + ", no problem found");
                return ExitCodes.OK;
            }
            if (!apply) {
                out.println("repair plan for " + db.describe() + " (dry run: nothing is changed)");
                for (RepairStep s : plan.steps()) {
                    out.println("  " + s.kind().word() + ids(s.ids()) + ": " + s.text());
                }
                printLeft(out, plan.leftAsIs());
                out.println(plan.steps().size() + (plan.steps().size() == 1 ? " change" : " changes")
                        + " planned; 'deploytrack repair --apply' applies them");
                return ExitCodes.OK;
            }
            StoreMaintenance.RepairResult result = maintenance.apply(plan, sources, sourceTimeout, notify);
            out.println("repaired " + db.describe() + ":");
            for (String line : result.done()) {
                out.println("  " + line);
            }
            printLeft(out, result.leftAsIs());
            out.println(result.done().size() + (result.done().size() == 1 ? " change" : " changes") + " applied"
                    + (result.leftAsIs().isEmpty() ? "" : "; " + result.leftAsIs().size() + " left as is")
                    + (notify ? "; the rows it ended are left for the next tracker's onCompleted" : ""));
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
