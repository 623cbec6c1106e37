package io.deploytrack.cli.internal;

import io.deploytrack.core.DeploymentHistory;
import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.RollbackTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rollback-target}: what to roll back to, by DESIGN.md's rule. */
@Command(name = "rollback-target", mixinStandardHelpOptions = true,
        description = "What runs now and what to roll back to: the newest success before it with another commit, "
                + "skipping every version a later rollback went back past.")
final class RollbackTargetCommand extends BaseCommand {

    @Option(names = "--project", required = true, paramLabel = "OWNER/REPO", converter = Options.ProjectConverter.class,
            description = "The project.")
    Options.Project project;

    @Option(names = "--env", paramLabel = "ENV", defaultValue = DeploymentRequest.DEFAULT_ENVIRONMENT,
            description = "The environment (default ${DEFAULT-VALUE}).")
    String environment;

    @Option(names = "--json", description = "Print the target as a JSON object.")
    boolean json;

    @Override
    public Integer call() {
        RollbackTarget t;
        try (Database db = openExisting()) {
            t = DeploymentHistory.of(db.store(), context().clock()).rollbackTarget(project.owner(), project.repo(), environment);
        }
        if (json) {
            // stdout stays the target's object; what was passed over goes to stderr, one line each
            t.skipped().forEach(s -> err().println("skipped " + s.reason()));
            out().println(Json.write(Json.deployment(t.target())));
            return ExitCodes.OK;
        }
        out().println("current: #" + t.current().id() + " " + t.current().commitSha() + " deployed "
                + Format.time(t.current().deployedAt()));
        out().println("target:  #" + t.target().id() + " " + t.target().commitSha() + " deployed "
                + Format.time(t.target().deployedAt()));
        t.skipped().forEach(s -> out().println("skipped: " + s.reason()));
        return ExitCodes.OK;
    }
}
