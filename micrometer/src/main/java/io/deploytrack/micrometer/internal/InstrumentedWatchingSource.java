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
public final class InstrumentedWatchingSource implements WatchingSource {
    private final WatchingSource delegate;
    private final SourceCalls calls;

    /** Wraps {@code delegate}; {@code meters} or {@code observations} may be null (then that part is off). */
    public InstrumentedWatchingSource(WatchingSource delegate, MeterRegistry meters, ObservationRegistry observations) {
        this.delegate = delegate;
        this.calls = new SourceCalls(delegate.type(), meters, observations);
    }

    /** The wrapped source. */
    public WatchingSource delegate() {
        return delegate;
    }

    @Override
    public String type() {
        return delegate.type();
    }

    @Override
    public void validate(CheckRef ref) {
        delegate.validate(ref);
    }

    @Override
    public String idempotencyKey(CheckRef ref) {
        return delegate.idempotencyKey(ref);
    }

    @Override
    public Following follow(CheckRef ref, CheckSink sink) {
        SourceCalls.Call call = calls.begin(ref);
        Following following;
        try {
            following = call.observation().scoped(() -> delegate.follow(ref, sink));
        } catch (RuntimeException e) {
            call.end(e);
            throw e;
        }
        call.end(null);
        return following;
    }

    @Override
    public String toString() {
        return "InstrumentedWatchingSource[" + delegate + "]";
    }
}
