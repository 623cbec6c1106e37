package io.deploytrack.cli;

import io.deploytrack.cli.internal.Context;
import io.deploytrack.cli.internal.TopCommand;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.Map;

/**
 * The {@code deploytrack} command for operators: history, one deployment, a health check of the store
 * ({@code doctor}), adoption of a host's table and repair, a manual terminal transition, the rollback target, starting
 * and tracking NCP deployments, builds and pipeline runs, tracking a Kubernetes rollout, resuming what was left
 * running, receiving webhooks, an HTML report, delivery insights, and the live page ({@code serve}).
 *
 * <pre>{@code
 * java -jar deploytrack.jar --db /var/lib/app/deploytrack.db history --project acme/web --limit 10
 * }</pre>
 *
 * <p>Exit codes: 0 done (doctor: healthy); 1 a failure, or problems found by {@code doctor}; 2 a usage error;
 * 3 no rollback target; 4 no such deployment; 5 transition not allowed; 6 the tracked deployment failed, was
 * cancelled or timed out.
 */
public final class Deploytrack {

    private Deploytrack() {
    }

    /** Runs the command with the process's environment and exits with its exit code. */
    public static void main(String[] args) {
        int code = commandLine(System.getenv(), System.console() != null).execute(args);
        System.exit(code);
    }

    /**
     * The configured command line, for running it in-process (tests, a host's own tooling): set its output with
     * {@link CommandLine#setOut} and {@link CommandLine#setErr}, then call {@link CommandLine#execute}.
     *
     * @param environment where {@code DEPLOYTRACK_DB}, {@code NCP_ACCESS_KEY}, {@code NCP_SECRET_KEY} and
     *                    {@code NCP_ENDPOINT} are read (the process environment in {@link #main})
     * @param terminal    whether output goes to a terminal: live progress lines then, plain lines otherwise
     */
    public static CommandLine commandLine(Map<String, String> environment, boolean terminal) {
        return TopCommand.commandLine(new Context(environment, terminal, Clock.systemUTC()));
    }

    /**
     * Runs the command in-process with the given output and environment; returns the exit code.
     *
     * @param terminal whether {@code out} is a terminal (live progress lines) or not (plain lines)
     */
    public static int run(Map<String, String> environment, boolean terminal, PrintWriter out, PrintWriter err,
                          String... args) {
        CommandLine cl = commandLine(environment, terminal);
        cl.setOut(out);
        cl.setErr(err);
        try {
            return cl.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }
}
