package io.deploytrack.notify;

import io.deploytrack.jdbc.JdbcHistoryStore;
import io.deploytrack.notify.internal.DeliveryTable;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The delivery log, for operators: what was sent, what is pending, what failed and why; and replay. Every replay is
 * recorded as a {@code notification_redelivery} event of the deployment, in the same transaction.
 */
public final class NotificationLog {
    private final DeliveryTable table;
    private final Clock clock;

    /** The delivery log of this store's database. */
    public static NotificationLog of(JdbcHistoryStore store) {
        return new NotificationLog(store);
    }

    private NotificationLog(JdbcHistoryStore store) {
        Objects.requireNonNull(store, "store");
        this.table = new DeliveryTable(store.transactions());
        this.clock = store.transactions().clock();
    }

    /** Deliveries, newest first; {@code status} null for all. */
    public List<Delivery> list(DeliveryStatus status, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit " + limit + " is not usable: expected 1 or more");
        }
        return table.list(status, null, limit);
    }

    /** The deliveries of one deployment, newest first. */
    public List<Delivery> ofDeployment(long deploymentId) {
        return table.list(null, deploymentId, 10_000);
    }

    /**
     * Queues one delivery again (whatever its status: a delivered one is sent again), due now, its attempts reset.
     *
     * @param requestedBy who asked, for the event ({@code "deploytrack notifications redeliver"})
     * @return the delivery as it was before, or empty when there is no delivery with that id
     */
    public Optional<Delivery> redeliver(long deliveryId, String requestedBy) {
        return table.redeliver(deliveryId, clock.instant(), requestedBy).stream().findFirst();
    }

    /** Queues every failed delivery again; returns them as they were. */
    public List<Delivery> redeliverFailed(String requestedBy) {
        return table.redeliver(null, clock.instant(), requestedBy);
    }
}
