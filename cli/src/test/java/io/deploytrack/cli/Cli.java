package io.deploytrack.cli;

import io.deploytrack.cli.internal.Context;
import io.deploytrack.cli.internal.TopCommand;
import io.deploytrack.core.StatusSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs the command in-process, as picocli's {@code execute}, capturing standard output and error. */
final class Cli {
    private final Map<String, String> env = new HashMap<>();
    private final List<StatusSource> sources = new ArrayList<>();
    private Clock clock = Clock.systemUTC();

    /** What one run printed and returned. */
    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    Cli env(String key, String value) {
        env.put(key, value);
        return this;
    }

    Cli source(StatusSource s) {
        sources.add(s);
        return this;
    }

    Cli clock(Clock c) {
        this.clock = c;
        return this;
    }

    Result run(String... args) {
        Context ctx = new Context(env, false, clock);
        sources.forEach(ctx::withSource);
        CommandLine cl = TopCommand.commandLine(ctx);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
