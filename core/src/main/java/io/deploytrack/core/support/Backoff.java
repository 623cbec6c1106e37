package io.deploytrack.core.support;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * The one retry backoff of deploytrack (for deploytrack modules; may change): after the {@code n}th failure in a row
 * wait {@code first * 2^(n-1)}, at most {@code max}, spread by plus or minus {@code jitter} (a fraction), and at least
 * 1 ms. The tracker's poll driver backs off from a source's poll interval up to {@code maxBackoff}; notify's
 * deliveries from their first retry delay up to theirs.
 *
 * @param first  the delay after the first failure, positive
 * @param max    the cap, not shorter than {@code first}
 * @param jitter the spread of each delay, 0 (none) to 1
 */
public record Backoff(Duration first, Duration max, double jitter) {

    /** Checks the values; each error names the bad value and what is expected. */
    public Backoff {
        positive("first backoff", first);
        positive("max backoff", max);
        if (max.compareTo(first) < 0) {
            throw new IllegalArgumentException("max backoff " + max + " is shorter than the first " + first);
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter " + jitter + " is not usable: expected 0 to 1");
        }
    }

    /** A backoff from {@code first} up to {@code max}, spread by {@code jitter}. */
    public static Backoff of(Duration first, Duration max, double jitter) {
        return new Backoff(first, max, jitter);
    }

    /**
     * The delay after {@code attempt} failures in a row (1 for the first).
     *
     * @param uniform a source of uniform numbers in [0, 1) for the jitter (a seeded {@code Random::nextDouble} in
     *                tests); not called when the jitter is 0
     */
    public Duration delay(int attempt, DoubleSupplier uniform) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt " + attempt + " is not usable: expected 1 or more");
        }
        Objects.requireNonNull(uniform, "uniform");
        long firstMs = Math.max(1, first.toMillis());
        long maxMs = max.toMillis();
        int doublings = attempt - 1;
        // past 2^40 any cap is reached; shifting further would overflow
        long exponential = doublings >= 40 || firstMs > (maxMs >> Math.min(doublings, 62))
                ? maxMs : firstMs << doublings;
        long capped = Math.max(1, Math.min(exponential, maxMs));
        if (jitter == 0) {
            return Duration.ofMillis(capped);
        }
        double factor = 1 + jitter * (2 * uniform.getAsDouble() - 1);
        return Duration.ofMillis(Math.max(1, Math.round(capped * factor)));
    }

    private static void positive(String what, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " " + d + " is not usable: expected a positive duration");
        }
    }
}
