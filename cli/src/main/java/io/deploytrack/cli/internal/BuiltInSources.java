package io.deploytrack.cli.internal;

import java.util.List;

/** The built-in sources the command knows how to configure from the environment. Not public API. */
final class BuiltInSources {
    private BuiltInSources() {
    }

    static List<Sources.Factory> factories() {
        return List.of();
    }
}
