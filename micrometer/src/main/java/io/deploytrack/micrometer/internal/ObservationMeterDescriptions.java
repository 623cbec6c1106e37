package io.deploytrack.micrometer.internal;

import io.deploytrack.micrometer.DeploytrackMeterNames;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;

import java.util.Map;

/**
 * Descriptions for the meters Micrometer's {@code DefaultMeterObservationHandler} makes from deploytrack's
 * observations (a timer per observation, a long task timer {@code .active}, a counter per event), which it registers
 * without one; Prometheus then shows an empty {@code # HELP}. A description the meter already has is kept. Not public
 * API.
 */
public final class ObservationMeterDescriptions implements MeterFilter {
    private static final Map<String, String> DESCRIPTIONS = Map.of(
            DeploytrackMeterNames.DEPLOYMENT_OBSERVATION, "tracked deployments, onStarted to onCompleted",
            DeploytrackMeterNames.DEPLOYMENT_OBSERVATION + ".active", "tracked deployments in flight",
            DeploytrackMeterNames.DEPLOYMENT_STATUS_EVENTS, "status changes seen by tracked deployments' checks",
            DeploytrackMeterNames.SOURCE_CALL_OBSERVATION, "status source calls, until the answer",
            DeploytrackMeterNames.SOURCE_CALL_OBSERVATION + ".active", "status source calls waiting for their answer");

    @Override
    public Meter.Id map(Meter.Id id) {
        String description = DESCRIPTIONS.get(id.getName());
        if (description == null || (id.getDescription() != null && !id.getDescription().isBlank())) {
            return id;
        }
        return new Meter.Id(id.getName(), Tags.of(id.getTagsAsIterable()), id.getBaseUnit(), description, id.getType());
    }
}
