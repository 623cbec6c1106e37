package io.deploytrack.core.testkit;

/**
 * The old name of {@link ScriptedWatchingSource} (sources are named by provider and style), kept while tests
 * outside this branch still use it.
 *
 * @deprecated use {@link ScriptedWatchingSource}
 */
@Deprecated(forRemoval = true)
public final class ScriptedSource extends ScriptedWatchingSource {

    /** A source of type {@code scripted}. */
    public ScriptedSource() {
        super();
    }

    /** A source of the given type. */
    public ScriptedSource(String type) {
        super(type);
    }
}
