package io.deploytrack.cli.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.DeploymentEvent;
import io.deploytrack.core.DeploymentNotFoundException;
import io.deploytrack.core.DeploymentProgress;
import io.deploytrack.core.ProgressEstimator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** {@code show ID}: one deployment with its checks and events. */
@Command(name = "show", mixinStandardHelpOptions = true, description = "One deployment with its checks and events.")
final class ShowCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "The deployment's id.")
    long id;

    @Option(names = "--json", description = "Print a JSON object (the deployment's keys, plus checks and events).")
    boolean json;

    @Override
    public Integer call() {
        Deployment d;
        List<DeploymentEvent> events;
        DeploymentProgress progress;
        try (Database db = openExisting()) {
            d = db.store().find(id).orElseThrow(() -> new DeploymentNotFoundException(id));
            events = db.store().events(id);
            progress = ProgressEstimator.of(db.store(), context().clock()).progress(d);
        }
        PrintWriter out = out();
        if (json) {
            ObjectNode o = Json.deployment(d);
            ArrayNode checks = o.putArray("checks");
            d.checks().forEach(c -> checks.add(Json.check(c)));
            o.set("stages", Json.stages(d));
            ArrayNode ev = o.putArray("events");
            events.forEach(e -> ev.add(Json.event(e)));
            o.set("progress", Json.MAPPER.valueToTree(io.deploytrack.core.ProgressFields.of(progress)));
            out.println(Json.write(o));
            return ExitCodes.OK;
        }
        out.println("deployment #" + d.id() + ": " + Format.label(d) + " " + d.status().word());
        line(out, "commit", d.commitSha());
        if (d.rollback()) {
            line(out, "rollback of", d.rollbackOf() == null ? "(not recorded)" : "#" + d.rollbackOf());
        }
        line(out, "started", Format.time(d.startedAt()));
        line(out, "deployed", Format.time(d.deployedAt()));
        line(out, "completed", Format.time(d.completedAt()));
        line(out, "duration", Format.duration(d.totalDuration()));
        if (d.errorStage() != null || d.errorMessage() != null) {
            line(out, "error", (d.errorStage() == null ? "" : d.errorStage() + ": ") + d.errorMessage());
        }
        line(out, "idempotency key", d.idempotencyKey());
        for (Map.Entry<String, String> a : new java.util.TreeMap<>(d.attributes()).entrySet()) {
            line(out, a.getKey(), a.getValue());
        }
        out.println("checks:");
        if (d.checks().isEmpty()) {
            out.println("  (none recorded)");
        }
        for (DeploymentCheck c : d.checks()) {
            out.println("  " + c.name() + " [" + c.ref() + "] " + c.status().word()
                    + ", last source status " + (c.lastSourceStatus() == null ? "-" : c.lastSourceStatus())
                    + (c.awaitingApproval() ? " (awaiting approval)" : "")
                    + ", started " + Format.time(c.startedAt()) + ", completed " + Format.time(c.completedAt())
                    + ", deadline " + Format.time(c.deadlineAt())
                    + (c.message() == null ? "" : ": " + Format.cut(c.message(), 200)));
        }
        ProgressLines.print(out, progress);
        out.println("events:");
        if (events.isEmpty()) {
            out.println("  (none recorded)");
        }
        for (DeploymentEvent e : events) {
            StringBuilder b = new StringBuilder("  ").append(Format.time(e.at())).append(' ').append(e.type());
            if (e.checkName() != null) {
                b.append(" [").append(e.checkName()).append(']');
            }
            if (e.fromStatus() != null || e.toStatus() != null) {
                b.append(' ').append(e.fromStatus() == null ? "-" : e.fromStatus().word()).append(" -> ")
                        .append(e.toStatus() == null ? "-" : e.toStatus().word());
            }
            if (e.sourceStatus() != null) {
                b.append(" source=").append(e.sourceStatus());
            }
            if (e.message() != null) {
                b.append(": ").append(Format.cut(e.message(), 200));
            }
            out.println(b);
        }
        return ExitCodes.OK;
    }

    private static void line(PrintWriter out, String key, String value) {
        out.println("  " + Format.pad(key + ":", 17) + (value == null ? "-" : value));
    }
}
