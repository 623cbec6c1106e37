package io.deploytrack.cli.internal;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentHistory;
import io.deploytrack.core.DeploymentStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Instant;

/** {@code mark ID --status ... --reason ...}: an operator's terminal decision, recorded in the events. */
@Command(name = "mark", mixinStandardHelpOptions = true,
        description = "Ends a running (or timed-out) deployment by hand, recording the reason in its events.")
final class MarkCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "The deployment's id.")
    long id;

    @Option(names = "--status", required = true, paramLabel = "success|failed|cancelled",
            converter = Options.MarkStatusConverter.class, description = "The terminal status.")
    DeploymentStatus status;

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Who decided it and why.")
    String reason;

    @Option(names = "--at", paramLabel = "ISO-8601", converter = Options.InstantConverter.class,
            description = "When it really ended (default: now).")
    Instant at;

    @Override
    public Integer call() {
        if (reason.isBlank()) {
            throw usage("--reason is empty: say who decided it and why");
        }
        try (Database db = openExisting()) {
            Deployment d = DeploymentHistory.of(db.store(), context().clock()).mark(id, status, reason.strip(), at);
            out().println("deployment #" + d.id() + " (" + Format.label(d) + ") marked " + d.status().word()
                    + " at " + Format.time(d.completedAt()) + ": " + reason.strip());
        }
        return ExitCodes.OK;
    }
}
