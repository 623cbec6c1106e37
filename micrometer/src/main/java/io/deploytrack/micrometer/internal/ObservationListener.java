package io.deploytrack.micrometer.internal;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.DeploymentListener;
import io.deploytrack.micrometer.DeploytrackMeterNames;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link Observation} per tracked deployment, started by {@code onStarted} and stopped by {@code onCompleted},
 * with OpenTelemetry's {@code deployment.*} attributes; each status change is an event on it. A deployment this
 * instance did not start (resumed after a restart or taken over) gets an observation when it completes, so its end
 * is still reported. Not public API.
 */
public final class ObservationListener implements DeploymentListener {
    private final ObservationRegistry registry;
    private final Map<Long, Observation> open = new ConcurrentHashMap<>();

    /** Observes into {@code registry}. */
    public ObservationListener(ObservationRegistry registry) {
        this.registry = registry;
    }

    /** How many deployment observations are open now. */
    public int openObservations() {
        return open.size();
    }

    @Override
    public void onStarted(Deployment d) {
        open.computeIfAbsent(d.id(), id -> create(d).start());
    }

    @Override
    public void onStatusChanged(Deployment d, DeploymentCheck check) {
        Observation o = open.get(d.id());
        if (o != null && check.lastSourceStatus() != null) {
            o.event(Observation.Event.of(DeploytrackMeterNames.STATUS_EVENT, check.name() + " " + check.lastSourceStatus()));
        }
    }

    @Override
    public void onCompleted(Deployment d) {
        Observation o = open.remove(d.id());
        if (o == null) {
            o = create(d).start();
        }
        o.lowCardinalityKeyValue(DeploytrackMeterNames.ATTRIBUTE_DEPLOYMENT_STATUS, d.status().word());
        if (d.errorMessage() != null) {
            o.highCardinalityKeyValue("deployment.error_message", d.errorMessage());
        }
        o.stop();
    }

    private Observation create(Deployment d) {
        return Observation.createNotStarted(DeploytrackMeterNames.DEPLOYMENT_OBSERVATION, registry)
                .contextualName("deploy " + d.project())
                .lowCardinalityKeyValue(DeploytrackMeterNames.ATTRIBUTE_ENVIRONMENT, d.environment())
                .lowCardinalityKeyValue(DeploytrackMeterNames.TAG_SOURCE, Tags.source(d))
                .lowCardinalityKeyValue(DeploytrackMeterNames.ATTRIBUTE_DEPLOYMENT_STATUS, d.status().word())
                .highCardinalityKeyValue(DeploytrackMeterNames.ATTRIBUTE_DEPLOYMENT_ID, Long.toString(d.id()))
                .highCardinalityKeyValue("vcs.repository.name", d.project())
                .highCardinalityKeyValue("vcs.ref.head.revision", d.commitSha());
    }
}
