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
 * @param reconcile      true when the status change comes from an explicit reconcile with evidence (a person's mark
 *                       with a reason, a repair that asked the source): only such a change may move a
 *                       {@code timed_out} deployment on. The tracker's own changes are not reconciles.
 */
public record DeploymentUpdate(long id, DeploymentStatus expectedStatus, DeploymentStatus newStatus,
                               Instant startedAt, Instant deployedAt, Instant completedAt, String errorStage,
                               String errorMessage, List<DeploymentCheck> checks, List<DeploymentEvent> events,
                               boolean reconcile) {

    /** Copies the lists. */
    public DeploymentUpdate {
        checks = checks == null ? List.of() : List.copyOf(checks);
        events = events == null ? List.of() : List.copyOf(events);
        if (expectedStatus == null) {
            throw new IllegalArgumentException("an update needs the status the deployment is expected to have");
        }
    }

    /** An update that is not a reconcile (what the tracker writes). */
    public DeploymentUpdate(long id, DeploymentStatus expectedStatus, DeploymentStatus newStatus, Instant startedAt,
                            Instant deployedAt, Instant completedAt, String errorStage, String errorMessage,
                            List<DeploymentCheck> checks, List<DeploymentEvent> events) {
        this(id, expectedStatus, newStatus, startedAt, deployedAt, completedAt, errorStage, errorMessage, checks, events,
                false);
    }

    /**
     * Refuses a status change the transition table forbids ({@link DeploymentStatus#canTransitionTo}), judged from
     * {@link #expectedStatus()} to {@link #newStatus()} with {@link #reconcile()}, whatever the stored row says. An
     * update that keeps the status ({@code newStatus} null) changes no status and passes. Every {@link HistoryStore}
     * calls this before it looks at the row.
     *
     * @throws IllegalTransitionException naming both statuses and the rule
     */
    public void requireLegalTransition() {
        if (newStatus != null) {
            expectedStatus.checkTransitionTo(newStatus, reconcile);
        }
    }
}
