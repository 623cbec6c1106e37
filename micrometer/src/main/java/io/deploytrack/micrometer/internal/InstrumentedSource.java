package io.deploytrack.micrometer.internal;

import io.deploytrack.core.CheckRef;
import io.deploytrack.core.StatusSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;

import java.util.function.Supplier;

/**
 * What the instrumented polling and watching sources share: the wrapped source, whose type, validation and
 * idempotency keys pass through unchanged, and the recorder of its calls. Not public API.
 *
 * @param <S> the kind of source wrapped
 */
abstract class InstrumentedSource<S extends StatusSource> {
    /** The wrapped source. */
    protected final S delegate;
    /** Counts, times and observes the wrapped source's calls. */
    protected final SourceCalls calls;

    InstrumentedSource(S delegate, MeterRegistry meters, ObservationRegistry observations) {
        this.delegate = delegate;
        this.calls = new SourceCalls(delegate.type(), meters, observations);
    }

    /** The wrapped source. */
    public S delegate() {
        return delegate;
    }

    /** The wrapped source's type (StatusSource is sealed, so this class only supplies the methods). */
    public String type() {
        return delegate.type();
    }

    /** The wrapped source's validation. */
    public void validate(CheckRef ref) {
        delegate.validate(ref);
    }

    /** The wrapped source's idempotency key. */
    public String idempotencyKey(CheckRef ref) {
        return delegate.idempotencyKey(ref);
    }

    /**
     * Runs {@code body} in the call's observation scope (so a traced HTTP client nests its span under it); when it
     * throws, the call ends with that error and the error is rethrown.
     */
    protected static <T> T inScope(SourceCalls.Call call, Supplier<T> body) {
        try {
            return call.observation().scoped(body);
        } catch (RuntimeException e) {
            call.end(e);
            throw e;
        }
    }
}
