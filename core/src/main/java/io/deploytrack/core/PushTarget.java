package io.deploytrack.core;

/** Where a {@link PushSource} delivers: the tracker. Thread-safe; may block briefly on the store. */
@FunctionalInterface
public interface PushTarget {

    /**
     * Routes one pushed observation to the running check(s) it names.
     *
     * @return what became of it; never null
     */
    PushResult push(Push push);
}
