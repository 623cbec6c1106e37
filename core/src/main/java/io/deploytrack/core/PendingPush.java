package io.deploytrack.core;

import java.time.Instant;
import java.util.Objects;

/**
 * A pushed observation, kept in the store until the instance holding the deployment's lease (or claiming it next)
 * {@linkplain HistoryStore#pendingPushes takes} it and has committed what it changed
 * ({@linkplain HistoryStore#forgetPushes forgets} it then).
 *
 * @param id           the store's id (0 before it is stored)
 * @param deploymentId the deployment
 * @param checkName    the check it is about
 * @param via          the push source's type
 * @param deliveryId   the sender's delivery id, or null
 * @param observation  what was pushed
 * @param receivedAt   when the receiving instance got it
 */
public record PendingPush(long id, long deploymentId, String checkName, String via, String deliveryId,
                          Observation observation, Instant receivedAt) {

    /** Requires the fields that identify it. */
    public PendingPush {
        Objects.requireNonNull(checkName, "checkName");
        Objects.requireNonNull(via, "via");
        Objects.requireNonNull(observation, "observation");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }
}
