package io.deploytrack.notify;

import io.deploytrack.core.support.Backoff;

import java.time.Duration;
import java.util.Objects;

/**
 * The settings a {@link Notifier} runs with, as {@link Notifier.Builder} set them (defaults filled in), readable
 * through {@link Notifier#settings()}. Immutable. The collaborators the builder takes (store, channels, clock,
 * scheduler, listeners, the source of jitter) are not settings and are not part of it.
 *
 * @param instanceId    the lease owner name in the delivery log
 * @param pollInterval  how often a round runs
 * @param maxAttempts   attempts before a delivery is {@code failed}
 * @param backoff       the delay before each retry (a receiver's {@code Retry-After} wins over it)
 * @param leaseDuration how long a claimed delivery stays with this instance
 * @param batchSize     how many deliveries one round claims at most
 */
public record NotifierSettings(String instanceId, Duration pollInterval, int maxAttempts, Backoff backoff,
                               Duration leaseDuration, int batchSize) {

    /**
     * Checks every value (the builder has already checked each; this guards direct construction).
     *
     * @throws IllegalArgumentException naming the bad value and what is expected
     */
    public NotifierSettings {
        if (instanceId == null || instanceId.isBlank()) {
            throw new IllegalArgumentException("instanceId '" + instanceId + "' is not usable: expected a name");
        }
        positive("pollInterval", pollInterval);
        maxAttempts(maxAttempts);
        Objects.requireNonNull(backoff, "backoff");
        positive("leaseDuration", leaseDuration);
        batchSize(batchSize);
    }

    static int maxAttempts(int attempts) {
        if (attempts < 1) {
            throw new IllegalArgumentException("maxAttempts " + attempts + " is not usable: expected 1 or more");
        }
        return attempts;
    }

    static int batchSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("batchSize " + size + " is not usable: expected 1 or more");
        }
        return size;
    }

    static Duration positive(String what, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " " + d + " is not usable: expected a positive duration");
        }
        return d;
    }
}
