package io.deploytrack.notify;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentEvent;
import io.deploytrack.core.DeploymentStatus;

import java.time.Instant;

/**
 * What a channel is asked to deliver: one event of a deployment's log, with the deployment as stored now.
 *
 * @param deliveryId  the delivery log row
 * @param eventId     the event (unique in the database; a receiver deduplicates on it)
 * @param eventType   {@code started}, {@code completed} (the tracker's end) or {@code marked} (ended by hand)
 * @param status      the status the event announces: {@code running} for {@code started}, else the terminal status
 * @param eventAt     when the event happened
 * @param reason      for {@code marked}: the operator's reason; else null
 * @param attempt     which attempt this is (1 for the first)
 * @param deployment  the deployment, read when the delivery was claimed (its attributes included)
 */
public record Notification(long deliveryId, long eventId, String eventType, DeploymentStatus status, Instant eventAt,
                           String reason, int attempt, Deployment deployment) {

    /** Whether this announces a start rather than an end. */
    public boolean isStart() {
        return status == DeploymentStatus.RUNNING;
    }

    /** Whether an operator ended the deployment by hand ({@code deploytrack mark}). */
    public boolean isMarked() {
        return DeploymentEvent.Type.MARKED.word().equals(eventType);
    }
}
