package io.deploytrack.cli.internal;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** What every subcommand shares: output, the context, the database option. Not public API. */
abstract class BaseCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** The root command's object. */
    TopCommand top() {
        return (TopCommand) spec.root().userObject();
    }

    Context context() {
        return top().context();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Where the history is: {@code --db}, else {@code DEPLOYTRACK_DB}, else {@code ./deploytrack.db}. */
    String databaseLocation() {
        return Database.location(top().db, context());
    }

    /** Opens a history that must exist already (reading commands). */
    Database openExisting() {
        return Database.open(databaseLocation(), true, context().clock());
    }

    /** Opens the history, creating a SQLite file when there is none (tracking commands). */
    Database openOrCreate() {
        return Database.open(databaseLocation(), false, context().clock());
    }

    /** Checks a listing's {@code --limit}: a usage error unless it is 1 to 10000. */
    void checkLimit(int limit) {
        if (limit < 1 || limit > 10_000) {
            throw usage("--limit " + limit + " is not usable: expected 1 to 10000");
        }
    }

    /** A usage error of this command: exits 2 with the message and the synopsis. */
    ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
