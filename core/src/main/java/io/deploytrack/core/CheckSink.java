package io.deploytrack.core;

/** Where a {@link WatchingSource} reports. Callable from any thread; never blocks; ignores calls after the end. */
@FunctionalInterface
public interface CheckSink {
    /** Reports what the source sees now. */
    void observe(Observation observation);
}
