package io.deploytrack.cli.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deploytrack.core.DeploymentEvent;
import io.deploytrack.notify.Delivery;
import io.deploytrack.notify.DeliveryStatus;
import io.deploytrack.notify.NotificationLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;

/** {@code notifications [--status S] [--json]} lists deliveries; {@code notifications redeliver ID|--failed} replays. */
@Command(name = "notifications", mixinStandardHelpOptions = true,
        description = {"The delivery log of notifications (Slack, signed webhooks, GitHub), newest first.",
                "Channels are configured with DEPLOYTRACK_SLACK_WEBHOOK_URL, DEPLOYTRACK_WEBHOOK_URL and "
                        + "DEPLOYTRACK_WEBHOOK_SIGNING_SECRET, DEPLOYTRACK_GITHUB_TOKEN; tracking commands deliver them."},
        subcommands = NotificationsCommand.Redeliver.class)
final class NotificationsCommand extends BaseCommand {

    @Option(names = "--status", paramLabel = "STATUS", description = "Only pending, delivered or failed ones.")
    String status;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "At most N rows, 1 to 10000 (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", description = "Print a JSON array.")
    boolean json;

    @Override
    public Integer call() {
        checkLimit(limit);
        DeliveryStatus filter = null;
        if (status != null) {
            try {
                filter = DeliveryStatus.fromWord(status.strip());
            } catch (IllegalArgumentException e) {
                throw usage("--status " + status + " is not usable: expected pending, delivered or failed");
            }
        }
        List<Delivery> rows;
        try (Database db = openExisting()) {
            rows = NotificationLog.of(db.store()).list(filter, limit);
        }
        PrintWriter out = out();
        if (json) {
            ArrayNode a = Json.MAPPER.createArrayNode();
            rows.forEach(d -> a.add(json(d)));
            out.println(Json.write(a));
            return ExitCodes.OK;
        }
        if (rows.isEmpty()) {
            out.println("no notifications" + (filter == null ? "" : " " + filter.word()));
            return ExitCodes.OK;
        }
        out.println(Format.pad("ID", 7) + Format.pad("STATUS", 11) + Format.pad("CHANNEL", 10) + Format.pad("DEPLOY", 8)
                + Format.pad("EVENT", 20) + Format.pad("ATTEMPTS", 9) + Format.pad("AT", 22) + "LAST ERROR");
        for (Delivery d : rows) {
            String event = d.eventType() + (d.eventStatus() == null || d.eventType().equals(DeploymentEvent.Type.STARTED.word()) ? ""
                    : " " + d.eventStatus().word());
            String at = Format.time(d.status() == DeliveryStatus.DELIVERED ? d.deliveredAt() : d.nextAttemptAt());
            out.println(Format.pad(String.valueOf(d.id()), 7) + Format.pad(d.status().word(), 11)
                    + Format.pad(d.channel(), 10) + Format.pad("#" + d.deploymentId(), 8) + Format.pad(event, 20)
                    + Format.pad(String.valueOf(d.attempts()), 9) + Format.pad(at, 22)
                    + (d.lastError() == null ? "" : Format.cut(d.lastError(), 80)));
        }
        return ExitCodes.OK;
    }

    static ObjectNode json(Delivery d) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("id", d.id());
        o.put("channel", d.channel());
        o.put("status", d.status().word());
        o.put("deploymentId", d.deploymentId());
        o.put("eventId", d.eventId());
        o.put("eventType", d.eventType());
        o.put("eventStatus", d.eventStatus() == null ? null : d.eventStatus().word());
        o.put("eventAt", Json.time(d.eventAt()));
        o.put("attempts", d.attempts());
        o.put("nextAttemptAt", Json.time(d.nextAttemptAt()));
        o.put("lastError", d.lastError());
        o.put("deliveredAt", Json.time(d.deliveredAt()));
        o.put("createdAt", Json.time(d.createdAt()));
        return o;
    }

    /** {@code notifications redeliver ID|--failed}. */
    @Command(name = "redeliver", mixinStandardHelpOptions = true,
            description = {"Queues a delivery again (due now, attempts reset), or every failed one with --failed; "
                    + "recorded as a notification_redelivery event of the deployment.",
                    "The next process that delivers (a tracking command with channels configured, or a host's "
                            + "Notifier) sends it. Exit 4: no delivery with that id."})
    static final class Redeliver extends BaseCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "The delivery's id (see 'notifications').")
        Long id;

        @Option(names = "--failed", description = "Every failed delivery.")
        boolean failed;

        @Override
        public Integer call() {
            if ((id == null) == !failed) {
                throw usage("give a delivery ID or --failed (one of them)");
            }
            PrintWriter out = out();
            try (Database db = openExisting()) {
                NotificationLog log = NotificationLog.of(db.store());
                if (failed) {
                    List<Delivery> queued = log.redeliverFailed("deploytrack notifications redeliver --failed");
                    out.println(queued.isEmpty() ? "no failed notifications" : "queued again: " + queued.size()
                            + (queued.size() == 1 ? " notification" : " notifications"));
                    return ExitCodes.OK;
                }
                Optional<Delivery> d = log.redeliver(id, "deploytrack notifications redeliver");
                if (d.isEmpty()) {
                    throw new CliException(ExitCodes.NOT_FOUND, "no notification #" + id
                            + ": 'deploytrack notifications' lists them");
                }
                out.println("queued again: notification #" + id + " (" + d.get().channel() + ", deployment #"
                        + d.get().deploymentId() + ", was " + d.get().status().word() + ")");
                return ExitCodes.OK;
            }
        }
    }
}
