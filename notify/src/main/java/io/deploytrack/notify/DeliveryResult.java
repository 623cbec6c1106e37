package io.deploytrack.notify;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How one attempt went, as a channel reports it.
 *
 * @param outcome    delivered, to retry, or failed for good
 * @param retryAfter for {@link Outcome#RETRY}: how long the receiver asked to wait ({@code Retry-After}), or null
 * @param error      what went wrong (never a secret), or null when delivered
 * @param attributes values to keep on the deployment's attributes, in the transaction that records the attempt
 *                   (the GitHub deployment id), possibly empty
 */
public record DeliveryResult(Outcome outcome, Duration retryAfter, String error, Map<String, String> attributes) {

    /** The kinds of outcome. */
    public enum Outcome {
        /** The receiver accepted it. */
        DELIVERED,
        /** A transient error (network, 5xx, 429): try again after a backoff, or after {@code retryAfter}. */
        RETRY,
        /** A permanent error (a refused token, a 4xx): no more attempts until {@code redeliver}. */
        FAILED
    }

    /** Checks the fields. */
    public DeliveryResult {
        Objects.requireNonNull(outcome, "outcome");
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    /** The receiver accepted it. */
    public static DeliveryResult delivered() {
        return new DeliveryResult(Outcome.DELIVERED, null, null, Map.of());
    }

    /** A transient error; {@code retryAfter} (nullable) is the receiver's {@code Retry-After}. */
    public static DeliveryResult retry(String error, Duration retryAfter) {
        return new DeliveryResult(Outcome.RETRY, retryAfter, error, Map.of());
    }

    /** A permanent error. */
    public static DeliveryResult failed(String error) {
        return new DeliveryResult(Outcome.FAILED, null, error, Map.of());
    }

    /** The same result, also keeping these attributes on the deployment. */
    public DeliveryResult withAttributes(Map<String, String> more) {
        java.util.Map<String, String> all = new java.util.LinkedHashMap<>(attributes);
        all.putAll(more);
        return new DeliveryResult(outcome, retryAfter, error, all);
    }
}
