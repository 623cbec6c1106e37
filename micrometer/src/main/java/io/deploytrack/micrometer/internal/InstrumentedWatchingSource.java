package io.deploytrack.micrometer.internal;

import io.deploytrack.core.CheckRef;
import io.deploytrack.core.CheckSink;
import io.deploytrack.core.Following;
import io.deploytrack.core.WatchingSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;

/**
 * A {@link WatchingSource} that counts, times and observes each {@code follow} call of the source it wraps (the
 * call that starts a watch; what the watch pushes later is the tracker's business). Not public API.
 */
public final class InstrumentedWatchingSource extends InstrumentedSource<WatchingSource> implements WatchingSource {
    /** Wraps {@code delegate}; {@code meters} or {@code observations} may be null (then that part is off). */
    public InstrumentedWatchingSource(WatchingSource delegate, MeterRegistry meters, ObservationRegistry observations) {
        super(delegate, meters, observations);
    }

    @Override
    public Following follow(CheckRef ref, CheckSink sink) {
        SourceCalls.Call call = calls.begin(ref);
        Following following = inScope(call, () -> delegate.follow(ref, sink));
        call.end(null);
        return following;
    }

    @Override
    public String toString() {
        return "InstrumentedWatchingSource[" + delegate + "]";
    }
}
