package io.deploytrack.notify;

/**
 * Told about each recorded attempt, after the delivery log was written: for metrics (a
 * {@code deploytrack.notifications.failed} counter tagged by channel) or alerts. Runs on the thread that recorded the
 * attempt: return quickly; a throwing listener is logged and ignored.
 */
@FunctionalInterface
public interface DeliveryListener {

    /**
     * One attempt's recorded outcome.
     *
     * @param channel      the channel's name
     * @param deliveryId   the delivery log row
     * @param deploymentId the deployment
     * @param status       {@code DELIVERED}; {@code PENDING} when it will be retried; {@code FAILED} when given up on
     * @param attempts     attempts made so far
     * @param error        the attempt's error, or null when delivered
     */
    void onAttempt(String channel, long deliveryId, long deploymentId, DeliveryStatus status, int attempts, String error);
}
