package io.deploytrack.micrometer.internal;

import io.deploytrack.core.CheckRef;
import io.deploytrack.core.Observation;
import io.deploytrack.core.PollingSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * A {@link PollingSource} that counts, times and observes every answer of the source it wraps (one per check, also
 * when one batch call answers many). Everything else is the wrapped source's. Not public API.
 */
public final class InstrumentedPollingSource implements PollingSource {
    private final PollingSource delegate;
    private final SourceCalls calls;

    /** Wraps {@code delegate}; {@code meters} or {@code observations} may be null (then that part is off). */
    public InstrumentedPollingSource(PollingSource delegate, MeterRegistry meters, ObservationRegistry observations) {
        this.delegate = delegate;
        this.calls = new SourceCalls(delegate.type(), meters, observations);
    }

    /** The wrapped source. */
    public PollingSource delegate() {
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
    public Duration pollInterval() {
        return delegate.pollInterval();
    }

    @Override
    public CompletionStage<Observation> poll(CheckRef ref) {
        SourceCalls.Call call = calls.begin(ref);
        CompletionStage<Observation> stage;
        try {
            // In the call's scope, so a traced HTTP client nests its span under it.
            stage = call.observation().scoped(() -> delegate.poll(ref));
        } catch (RuntimeException e) {
            call.end(e);
            throw e;
        }
        return calls.track(call, stage);
    }

    @Override
    public Map<CheckRef, CompletionStage<Observation>> pollAll(Collection<CheckRef> refs) {
        Map<CheckRef, SourceCalls.Call> started = new LinkedHashMap<>();
        for (CheckRef ref : refs) {
            started.put(ref, calls.begin(ref));
        }
        Map<CheckRef, CompletionStage<Observation>> answers;
        try {
            answers = delegate.pollAll(refs);
        } catch (RuntimeException e) {
            started.values().forEach(c -> c.end(e));
            throw e;
        }
        Map<CheckRef, CompletionStage<Observation>> out = new LinkedHashMap<>();
        for (Map.Entry<CheckRef, SourceCalls.Call> e : started.entrySet()) {
            CompletionStage<Observation> stage = answers.get(e.getKey());
            if (stage == null) {
                // The tracker reports a missing entry itself; the call is ended so no observation stays open.
                e.getValue().end(new IllegalStateException("source " + delegate.type() + " gave no answer for "
                        + e.getKey()));
                continue;
            }
            out.put(e.getKey(), calls.track(e.getValue(), stage));
        }
        answers.forEach(out::putIfAbsent);
        return out;
    }

    @Override
    public String toString() {
        return "InstrumentedPollingSource[" + delegate + "]";
    }
}
