package io.deploytrack.notify;

import io.deploytrack.core.DeploymentStatus;

import java.time.Instant;

/**
 * One row of the delivery log: one event of the event log, for one channel.
 *
 * @param id            the delivery's id (what {@code redeliver} takes)
 * @param channel       the channel's name
 * @param eventId       the event delivered (also the CloudEvents {@code id} of a signed webhook)
 * @param deploymentId  the deployment the event belongs to
 * @param eventType     {@code started}, {@code completed} or {@code marked}
 * @param eventStatus   the deployment's status the event announces ({@code running} for {@code started})
 * @param eventAt       when the event happened
 * @param status        pending, delivered or failed
 * @param attempts      attempts made so far
 * @param nextAttemptAt when it is due (pending), or when it was due last
 * @param lastError     the last attempt's error, or null
 * @param deliveredAt   when the receiver accepted it, or null
 * @param createdAt     when it was queued
 */
public record Delivery(long id, String channel, long eventId, long deploymentId, String eventType,
                       DeploymentStatus eventStatus, Instant eventAt, DeliveryStatus status, int attempts,
                       Instant nextAttemptAt, String lastError, Instant deliveredAt, Instant createdAt) {
}
