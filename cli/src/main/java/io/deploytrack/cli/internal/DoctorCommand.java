package io.deploytrack.cli.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import io.deploytrack.jdbc.Diagnosis;
import io.deploytrack.jdbc.Problem;

import java.io.PrintWriter;
import java.util.stream.Collectors;

/** {@code doctor}: a health check of the history; exit 0 when healthy, 1 when problems are found. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Checks the history: duplicates (same idempotency key, or same project/env/commit/rollback "
                + "started within 2 minutes), running rows past their deadline with no live lease, successes without "
                + "deployed_at or total_duration, durations that do not match their times.",
                "Exit code 0: healthy; 1: problems found (each listed with the ids of its rows)."})
final class DoctorCommand extends BaseCommand {

    @Option(names = "--json", description = "Print a JSON object: healthy, deployments, problems (kind, ids, detail).")
    boolean json;

    @Override
    public Integer call() {
        Diagnosis d;
        String where;
        try (Database db = openExisting()) {
            where = db.describe();
            d = db.store().maintenance().diagnose();
        }
        print(out(), d, where, json);
        return d.healthy() ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    static void print(PrintWriter out, Diagnosis d, String where, boolean json) {
        if (json) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("healthy", d.healthy());
            o.put("deployments", d.rows().size());
            ArrayNode problems = o.putArray("problems");
            for (Problem p : d.problems()) {
                ObjectNode po = problems.addObject();
                po.put("kind", p.kind().word());
                ArrayNode ids = po.putArray("ids");
                p.ids().forEach(ids::add);
                po.put("detail", p.detail());
            }
            out.println(Json.write(o));
            return;
        }
        if (d.healthy()) {
            out.println("healthy: " + d.rows().size() + " deployments in " + where + ", no problem found");
            return;
        }
        for (Problem p : d.problems()) {
            String ids = p.ids().isEmpty() ? "" : " [" + (p.ids().size() == 1 ? "row " : "rows ")
                    + p.ids().stream().map(String::valueOf).collect(Collectors.joining(", ")) + "]";
            out.println(p.kind().word() + ids + ": " + p.detail());
        }
        out.println(d.problems().size() + (d.problems().size() == 1 ? " problem" : " problems") + " in " + where
                + "; 'deploytrack repair' shows the fixes, 'deploytrack repair --apply' applies them");
    }
}
