package io.deploytrack.micrometer.internal;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentListener;
import io.deploytrack.micrometer.DeploytrackMeterNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;

/**
 * Counts completed deployments and records their durations, tagged by source, environment and status. Runs after the
 * store committed, once per deployment across instances (the tracker's {@code onCompleted} rule). Not public API.
 */
public final class MetricsListener implements DeploymentListener {
    private final MeterRegistry registry;
    private final boolean percentileHistogram;

    /** Records into {@code registry}; {@code percentileHistogram} publishes the duration's histogram buckets. */
    public MetricsListener(MeterRegistry registry, boolean percentileHistogram) {
        this.registry = registry;
        this.percentileHistogram = percentileHistogram;
    }

    @Override
    public void onCompleted(Deployment d) {
        String source = Tags.source(d);
        String status = d.status().word();
        Counter.builder(DeploytrackMeterNames.DEPLOYMENTS_COMPLETED)
                .description("deployments that reached a terminal status")
                .tag(DeploytrackMeterNames.TAG_SOURCE, source)
                .tag(DeploytrackMeterNames.TAG_ENVIRONMENT, d.environment())
                .tag(DeploytrackMeterNames.TAG_STATUS, status)
                .register(registry)
                .increment();
        if (d.startedAt() != null && d.completedAt() != null) {
            Duration took = Duration.between(d.startedAt(), d.completedAt());
            Timer.builder(DeploytrackMeterNames.DEPLOYMENT_DURATION)
                    .description("from a deployment's start to its terminal status")
                    .tag(DeploytrackMeterNames.TAG_SOURCE, source)
                    .tag(DeploytrackMeterNames.TAG_ENVIRONMENT, d.environment())
                    .tag(DeploytrackMeterNames.TAG_STATUS, status)
                    .publishPercentileHistogram(percentileHistogram)
                    .register(registry)
                    .record(took.isNegative() ? Duration.ZERO : took);
        }
    }
}
