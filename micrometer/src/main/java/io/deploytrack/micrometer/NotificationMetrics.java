package io.deploytrack.micrometer;

import io.deploytrack.notify.DeliveryListener;
import io.deploytrack.notify.DeliveryStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * Counts notification deliveries of {@code deploytrack-notify}: {@code deploytrack.notifications.failed} when a
 * delivery is given up on (its last attempt failed) and {@code deploytrack.notifications.delivered} when it reached its
 * receiver, both tagged with the channel's name. Attempts that will be retried are not counted. Register it with
 * {@code Notifier.builder(store).listener(NotificationMetrics.of(registry))}; it needs {@code deploytrack-notify} on
 * the classpath (an optional dependency of this module).
 */
public final class NotificationMetrics implements DeliveryListener {
    private final MeterRegistry registry;

    /**
     * Counters in {@code registry}.
     *
     * @param registry where the counters are registered
     * @return the listener
     */
    public static NotificationMetrics of(MeterRegistry registry) {
        return new NotificationMetrics(registry);
    }

    private NotificationMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public void onAttempt(String channel, long deliveryId, long deploymentId, DeliveryStatus status, int attempts,
                          String error) {
        String name = switch (status) {
            case FAILED -> DeploytrackMeterNames.NOTIFICATIONS_FAILED;
            case DELIVERED -> DeploytrackMeterNames.NOTIFICATIONS_DELIVERED;
            default -> null;
        };
        if (name != null) {
            Counter.builder(name).tag(DeploytrackMeterNames.TAG_CHANNEL, channel)
                    .description("notification deliveries by their final outcome").register(registry).increment();
        }
    }
}
