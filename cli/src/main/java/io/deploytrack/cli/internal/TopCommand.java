package io.deploytrack.cli.internal;

import io.deploytrack.core.DeploymentNotFoundException;
import io.deploytrack.core.IllegalTransitionException;
import io.deploytrack.core.InvalidRequestException;
import io.deploytrack.core.NoRollbackTargetException;
import io.deploytrack.jdbc.StoreException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** The root of the {@code deploytrack} command: global options, subcommands, error handling. Not public API. */
@Command(name = "deploytrack", mixinStandardHelpOptions = true, versionProvider = TopCommand.Version.class,
        description = "Deployment history for operators: inspect, repair, track, report.",
        subcommands = {HistoryCommand.class, ShowCommand.class, DoctorCommand.class, RepairCommand.class, AdoptCommand.class,
                MarkCommand.class, RollbackTargetCommand.class, NcpCommand.class, KubernetesCommand.class, ResumeCommand.class,
                WebhookCommand.class,
                ReportCommand.class, NotificationsCommand.class, InsightsCommand.class, ServeCommand.class},
        footer = {"", "Exit codes:", "  0  done (doctor: healthy)", "  1  a failure, or problems found by doctor",
                "  2  a usage error", "  3  no rollback target", "  4  no such deployment", "  5  transition not allowed",
                "  6  the tracked deployment failed, was cancelled or timed out"})
public final class TopCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--db", scope = ScopeType.INHERIT, paramLabel = "PATH|JDBC_URL",
            description = {"A SQLite file or a JDBC URL", "(jdbc:sqlite:FILE, jdbc:postgresql://HOST/DB).",
                    "Default: $DEPLOYTRACK_DB, else ./deploytrack.db"})
    String db;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Log what happens, and print the stack trace of a failure.")
    boolean verbose;

    private final Context context;

    TopCommand(Context context) {
        this.context = context;
    }

    /** The command line over {@code context}, with deploytrack's error handling and exit codes. */
    public static CommandLine commandLine(Context context) {
        CommandLine cl = new CommandLine(new TopCommand(context));
        HelpLayout.install(cl);
        cl.setParameterExceptionHandler(TopCommand::usageError);
        cl.setExecutionExceptionHandler(TopCommand::failure);
        cl.setExecutionStrategy(parseResult -> {
            TopCommand top = parseResult.commandSpec().commandLine().getCommand();
            Logging.configure(top.verbose);
            warnAboutDeprecatedCommandName(parseResult);
            return new CommandLine.RunLast().execute(parseResult);
        });
        return cl;
    }

    /** The environment, terminal flag and clock. */
    Context context() {
        return context;
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "a command is needed: one of "
                + String.join(", ", HelpLayout.names(spec.commandLine())));
    }

    private static int usageError(ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        String synopsis = cl.getHelp().synopsis(0).replaceAll("\\s+", " ").strip();
        err.println(cl.getCommandSpec().qualifiedName() + ": " + oneLine(e.getMessage()) + suggestion(e)
                + " (usage: " + synopsis + "; see --help)");
        TopCommand top = cl.getCommandSpec().root().commandLine().getCommand();
        if (top.verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.USAGE;
    }

    /**
     * ": did you mean history?" for {@code histroy}, ": did you mean --limit?" for {@code --limt}: picocli's
     * suggestions for an unmatched argument (commands and options of the command it was given to), without the
     * deprecated spellings, which a newcomer should not learn.
     */
    private static String suggestion(ParameterException e) {
        if (!(e instanceof UnmatchedArgumentException unmatched)) {
            return "";
        }
        List<String> names = new ArrayList<>();
        for (String s : unmatched.getSuggestions()) {
            if (!s.equals(KubernetesCommand.DEPRECATED_NAME) && !s.equals(Options.DEPRECATED_REPO) && !names.contains(s)) {
                names.add(s);
            }
        }
        return names.isEmpty() ? "" : ": did you mean " + String.join(" or ", names) + "?";
    }

    private static int failure(Exception e, CommandLine cl, CommandLine.ParseResult parseResult) {
        PrintWriter err = cl.getErr();
        int code;
        String message;
        if (e instanceof CliException ce) {
            code = ce.exitCode();
            message = ce.getMessage();
        } else if (e instanceof DeploymentNotFoundException) {
            code = ExitCodes.NOT_FOUND;
            message = e.getMessage();
        } else if (e instanceof IllegalTransitionException) {
            code = ExitCodes.NOT_ALLOWED;
            message = e.getMessage();
        } else if (e instanceof NoRollbackTargetException) {
            code = ExitCodes.NO_ROLLBACK_TARGET;
            message = e.getMessage();
        } else if (e instanceof InvalidRequestException) {
            code = ExitCodes.USAGE;
            message = e.getMessage();
        } else if (e instanceof StoreException) {
            code = ExitCodes.FAILURE;
            message = e.getMessage();
        } else {
            code = ExitCodes.FAILURE;
            message = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        err.println(cl.getCommandSpec().qualifiedName() + ": " + oneLine(message));
        TopCommand top = cl.getCommandSpec().root().commandLine().getCommand();
        if (top.verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    /** {@code k8s} still selects {@code kubernetes}, with a warning on stderr. */
    private static void warnAboutDeprecatedCommandName(CommandLine.ParseResult parseResult) {
        CommandLine.ParseResult sub = parseResult.subcommand();
        if (sub == null || !KubernetesCommand.NAME.equals(sub.commandSpec().name())) {
            return;
        }
        // The command word as typed: the first argument that is neither a root option nor the value of --db.
        java.util.List<String> args = parseResult.originalArgs();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--db")) {
                i++;
            } else if (!a.startsWith("-")) {
                if (a.equals(KubernetesCommand.DEPRECATED_NAME)) {
                    PrintWriter err = parseResult.commandSpec().commandLine().getErr();
                    err.println("warning: the command '" + KubernetesCommand.DEPRECATED_NAME
                            + "' is deprecated and will be removed: use '" + KubernetesCommand.NAME + "'");
                    err.flush();
                }
                return;
            }
        }
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = TopCommand.class.getPackage().getImplementationVersion();
            return new String[]{"deploytrack " + (v == null ? "(development build)" : v)};
        }
    }
}
