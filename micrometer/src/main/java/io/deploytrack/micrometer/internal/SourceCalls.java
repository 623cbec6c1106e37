package io.deploytrack.micrometer.internal;

import io.deploytrack.core.CheckRef;
import io.deploytrack.micrometer.DeploytrackMeterNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records one status source call: the request counter and latency timer (when there is a meter registry) and an
 * observation (when there is an observation registry). Not public API.
 */
final class SourceCalls {
    private final String source;
    private final MeterRegistry meters;
    private final ObservationRegistry observations;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    SourceCalls(String source, MeterRegistry meters, ObservationRegistry observations) {
        this.source = source;
        this.meters = meters;
        this.observations = observations == null ? ObservationRegistry.NOOP : observations;
    }

    /** A call that has begun; end it with {@link Call#end}. */
    Call begin(CheckRef ref) {
        Observation observation = Observation.createNotStarted(DeploytrackMeterNames.SOURCE_CALL_OBSERVATION, observations)
                .contextualName("deploytrack " + source + " call")
                .lowCardinalityKeyValue(DeploytrackMeterNames.TAG_SOURCE, source)
                .start();
        return new Call(observation, System.nanoTime());
    }

    /** Ends the call when the stage completes; returns the stage unchanged. */
    <T> CompletionStage<T> track(Call call, CompletionStage<T> stage) {
        stage.whenComplete((v, e) -> call.end(e));
        return stage;
    }

    /** One call in flight. */
    final class Call {
        private final Observation observation;
        private final long startNanos;

        private Call(Observation observation, long startNanos) {
            this.observation = observation;
            this.startNanos = startNanos;
        }

        Observation observation() {
            return observation;
        }

        /** Ends it: {@code failure} null for an answer. */
        void end(Throwable failure) {
            String outcome = failure == null ? Tags.SUCCESS : Tags.outcome(failure);
            if (meters != null) {
                counters.computeIfAbsent(outcome, o -> Counter.builder(DeploytrackMeterNames.SOURCE_REQUESTS)
                        .description("answers from deploytrack status sources, one per check")
                        .tag(DeploytrackMeterNames.TAG_SOURCE, source)
                        .tag(DeploytrackMeterNames.TAG_OUTCOME, o)
                        .register(meters)).increment();
                timers.computeIfAbsent(outcome, o -> Timer.builder(DeploytrackMeterNames.SOURCE_LATENCY)
                        .description("latency of deploytrack status source calls")
                        .tag(DeploytrackMeterNames.TAG_SOURCE, source)
                        .tag(DeploytrackMeterNames.TAG_OUTCOME, o)
                        .register(meters)).record(Duration.ofNanos(System.nanoTime() - startNanos));
            }
            observation.lowCardinalityKeyValue(DeploytrackMeterNames.TAG_OUTCOME, outcome);
            if (failure != null) {
                observation.error(failure);
            }
            observation.stop();
        }
    }
}
