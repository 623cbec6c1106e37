package io.deploytrack.micrometer;

import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentListener;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.HistoryStore;
import io.deploytrack.core.PollingSource;
import io.deploytrack.core.StatusSource;
import io.deploytrack.core.WatchingSource;
import io.deploytrack.micrometer.internal.Gauges;
import io.deploytrack.micrometer.internal.ObservationMeterDescriptions;
import io.deploytrack.micrometer.internal.InstrumentedHistoryStore;
import io.deploytrack.micrometer.internal.InstrumentedPollingSource;
import io.deploytrack.micrometer.internal.InstrumentedWatchingSource;
import io.deploytrack.micrometer.internal.MetricsListener;
import io.deploytrack.micrometer.internal.ObservationListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.observation.ObservationRegistry;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Micrometer metrics and observations for a deploytrack tracker. Metrics need a {@link MeterRegistry}, observations
 * an {@link ObservationRegistry}; either may be left out. The names are in {@link DeploytrackMeterNames}.
 *
 * <pre>{@code
 * DeploytrackMicrometer micrometer = DeploytrackMicrometer.builder()
 *         .meterRegistry(meterRegistry)
 *         .observationRegistry(observationRegistry)
 *         .build();
 * HistoryStore store = micrometer.instrument(JdbcHistoryStore.sqlite(Path.of("deploytrack.db")));
 * DeploymentTracker tracker = DeploymentTracker.builder(store)
 *         .source(micrometer.instrument(ncpSource))
 *         .listener(micrometer.listener())
 *         .build().start();
 * micrometer.gauges(store, tracker).bindTo(meterRegistry);
 * }</pre>
 *
 * <p>Sources found through {@link java.util.ServiceLoader} are not wrapped by the tracker: pass them through
 * {@link #instrument(StatusSource)} and the builder when their calls should be measured.
 */
public final class DeploytrackMicrometer {
    private final MeterRegistry meters;
    private final ObservationRegistry observations;
    private final boolean percentileHistogram;
    private final Duration gaugeRefresh;
    private final Clock clock;

    private DeploytrackMicrometer(Builder b) {
        this.meters = b.meters;
        this.observations = b.observations;
        this.percentileHistogram = b.percentileHistogram;
        this.gaugeRefresh = b.gaugeRefresh;
        this.clock = b.clock;
    }

    /** A builder; set a meter registry, an observation registry, or both. */
    public static Builder builder() {
        return new Builder();
    }

    /** The store, with every operation timed ({@code deploytrack.store.operations}); unchanged without metrics. */
    public HistoryStore instrument(HistoryStore store) {
        Objects.requireNonNull(store, "store");
        return meters == null ? store : new InstrumentedHistoryStore(store, meters);
    }

    /**
     * The source, with each call counted, timed ({@code deploytrack.source.requests}, {@code deploytrack.source.latency})
     * and observed ({@code deploytrack.source.call}); same type, validation, keys and poll interval.
     */
    public StatusSource instrument(StatusSource source) {
        Objects.requireNonNull(source, "source");
        if (meters == null && observations == null) {
            return source;
        }
        if (source instanceof PollingSource p) {
            return new InstrumentedPollingSource(p, meters, observations);
        }
        return new InstrumentedWatchingSource((WatchingSource) source, meters, observations);
    }

    /**
     * The listener to add to the tracker: {@code deploytrack.deployments.completed} and
     * {@code deploytrack.deployment.duration} with metrics, the {@code deploytrack.deployment} observation with an
     * observation registry.
     */
    public DeploymentListener listener() {
        List<DeploymentListener> all = new ArrayList<>();
        if (meters != null) {
            all.add(new MetricsListener(meters, percentileHistogram));
        }
        if (observations != null) {
            all.add(new ObservationListener(observations));
        }
        return new Composite(List.copyOf(all));
    }

    /**
     * The gauges {@code deploytrack.deployments.running}, {@code deploytrack.deployments.stale} (read from
     * {@code store} at most once per refresh interval) and {@code deploytrack.leases.held} (from {@code tracker}).
     */
    public MeterBinder gauges(HistoryStore store, DeploymentTracker tracker) {
        return new Gauges(Objects.requireNonNull(store, "store"), Objects.requireNonNull(tracker, "tracker"), clock,
                gaugeRefresh);
    }

    /**
     * A meter filter that gives the meters Micrometer makes from deploytrack's observations their descriptions
     * ({@code deploytrack.deployment}, {@code .active}, {@code deploytrack.deployment.status},
     * {@code deploytrack.source.call}); Micrometer's observation handler registers them with none. Add it where the
     * registry is made, before meters are registered: {@code registry.config().meterFilter(DeploytrackMicrometer
     * .observationDescriptions())}. The Spring Boot starters declare it as a {@code MeterFilter} bean.
     */
    public static MeterFilter observationDescriptions() {
        return new ObservationMeterDescriptions();
    }

    @Override
    public String toString() {
        return "DeploytrackMicrometer[metrics=" + (meters != null) + ", observations=" + (observations != null)
                + ", percentileHistogram=" + percentileHistogram + "]";
    }

    /** Configures {@link DeploytrackMicrometer}. */
    public static final class Builder {
        private MeterRegistry meters;
        private ObservationRegistry observations;
        private boolean percentileHistogram;
        private Duration gaugeRefresh = Duration.ofSeconds(10);
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** Where meters go; none by default (no metrics). */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meters = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** Where observations go; none by default (no observations). */
        public Builder observationRegistry(ObservationRegistry registry) {
            this.observations = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** Whether {@code deploytrack.deployment.duration} publishes percentile histogram buckets; default false. */
        public Builder percentileHistogram(boolean enabled) {
            this.percentileHistogram = enabled;
            return this;
        }

        /** How often the store-backed gauges read the store at most; default 10 s. */
        public Builder gaugeRefresh(Duration refresh) {
            if (refresh == null || refresh.isNegative()) {
                throw new IllegalArgumentException("gaugeRefresh " + refresh + " is not usable: expected zero or a "
                        + "positive duration");
            }
            this.gaugeRefresh = refresh;
            return this;
        }

        /** The clock that decides "past deadline" and the gauges' refresh; default UTC system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Builds it. */
        public DeploytrackMicrometer build() {
            return new DeploytrackMicrometer(this);
        }
    }

    /** Calls each listener; one that throws does not stop the others (the tracker logs what escapes). */
    private record Composite(List<DeploymentListener> listeners) implements DeploymentListener {
        @Override
        public void onStarted(Deployment d) {
            RuntimeException first = null;
            for (DeploymentListener l : listeners) {
                try {
                    l.onStarted(d);
                } catch (RuntimeException e) {
                    first = first == null ? e : first;
                }
            }
            rethrow(first);
        }

        @Override
        public void onStatusChanged(Deployment d, DeploymentCheck check) {
            RuntimeException first = null;
            for (DeploymentListener l : listeners) {
                try {
                    l.onStatusChanged(d, check);
                } catch (RuntimeException e) {
                    first = first == null ? e : first;
                }
            }
            rethrow(first);
        }

        @Override
        public void onCompleted(Deployment d) {
            RuntimeException first = null;
            for (DeploymentListener l : listeners) {
                try {
                    l.onCompleted(d);
                } catch (RuntimeException e) {
                    first = first == null ? e : first;
                }
            }
            rethrow(first);
        }

        private static void rethrow(RuntimeException e) {
            if (e != null) {
                throw e;
            }
        }
    }
}
