package io.deploytrack.core;

import java.time.Instant;
import java.util.List;

/**
 * One atomic change to a stored deployment, applied by {@link HistoryStore#update} in one transaction as a
 * compare-and-set: it applies only while the deployment's status is still {@code expectedStatus}.
 *
 * @param id             the deployment
 * @param expectedStatus the status it must have now (the compare of compare-and-set)
 * @param newStatus      the status it gets, or null to keep it
 * @param startedAt      a corrected start time (the source's), or null to keep it
 * @param deployedAt     when it went live, or null to keep it
 * @param completedAt    when it ended, or null to keep it
 * @param errorStage     set when not null
 * @param errorMessage   set when not null
 * @param checks         checks whose stored state is replaced (matched by name)
 * @param events         appended to the event log
 */
public record DeploymentUpdate(long id, DeploymentStatus expectedStatus, DeploymentStatus newStatus,
                               Instant startedAt, Instant deployedAt, Instant completedAt, String errorStage,
                               String errorMessage, List<DeploymentCheck> checks, List<DeploymentEvent> events) {

    /** Copies the lists. */
    public DeploymentUpdate {
        checks = checks == null ? List.of() : List.copyOf(checks);
        events = events == null ? List.of() : List.copyOf(events);
        if (expectedStatus == null) {
            throw new IllegalArgumentException("an update needs the status the deployment is expected to have");
        }
    }
}
