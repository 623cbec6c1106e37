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
public final class InstrumentedPollingSource extends InstrumentedSource<PollingSource> implements PollingSource {
    /** Wraps {@code delegate}; {@code meters} or {@code observations} may be null (then that part is off). */
    public InstrumentedPollingSource(PollingSource delegate, MeterRegistry meters, ObservationRegistry observations) {
        super(delegate, meters, observations);
    }

    @Override
    public Duration pollInterval() {
        return delegate.pollInterval();
    }

    @Override
    public CompletionStage<Observation> poll(CheckRef ref) {
        SourceCalls.Call call = calls.begin(ref);
        return calls.track(call, inScope(call, () -> delegate.poll(ref)));
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
