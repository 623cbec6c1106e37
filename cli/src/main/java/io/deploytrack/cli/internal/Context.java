package io.deploytrack.cli.internal;

import io.deploytrack.core.StatusSource;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a command needs from outside: the environment (never read elsewhere), whether output is a terminal, the
 * clock, and status sources given in-process (tests, a host's tooling). Not public API.
 */
public final class Context {
    private final Map<String, String> environment;
    private final boolean terminal;
    private final Clock clock;
    private final List<StatusSource> sources = new ArrayList<>();

    /** A context over this environment. */
    public Context(Map<String, String> environment, boolean terminal, Clock clock) {
        this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
        this.terminal = terminal;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Adds a status source that tracking, resume and repair may use (it replaces a built-in one of the same type). */
    public Context withSource(StatusSource source) {
        sources.add(Objects.requireNonNull(source, "source"));
        return this;
    }

    /** An environment variable, or null when unset or blank. */
    public String env(String name) {
        String v = environment.get(name);
        return v == null || v.isBlank() ? null : v;
    }

    /** Whether output goes to a terminal. */
    public boolean terminal() {
        return terminal;
    }

    /** The clock. */
    public Clock clock() {
        return clock;
    }

    /** The sources given in-process. */
    public List<StatusSource> sources() {
        return List.copyOf(sources);
    }
}
