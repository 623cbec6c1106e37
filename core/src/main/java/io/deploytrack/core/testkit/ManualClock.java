package io.deploytrack.core.testkit;

import io.deploytrack.core.Ticker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that moves only when told to. Thread-safe. It is also the tracker's {@link Ticker}: a tracker built with
 * this clock measures lease validity on it too, so a test moves all of the tracker's time with this one clock.
 */
public final class ManualClock extends Clock implements Ticker {
    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    /** A clock at {@code start}, in UTC. */
    public static ManualClock of(Instant start) {
        return new ManualClock(start);
    }

    /** A clock at {@code start}, in UTC. */
    private ManualClock(Instant start) {
        this(new AtomicReference<>(start), ZoneOffset.UTC);
    }

    /** A clock at 2026-01-01T00:00:00Z. */
    public static ManualClock of() {
        return new ManualClock();
    }

    /** A clock at 2026-01-01T00:00:00Z. */
    private ManualClock() {
        this(Instant.parse("2026-01-01T00:00:00Z"));
    }

    private ManualClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId z) {
        return new ManualClock(now, z);
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    /** The clock's instant as nanoseconds since the epoch: moves exactly as the clock does. */
    @Override
    public long nanos() {
        return Ticker.epochNanos(now.get());
    }

    /** Moves the clock forward. */
    public void advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("a clock does not go back: " + d);
        }
        now.updateAndGet(i -> i.plus(d));
    }

    /** Sets the clock; it may not go back. */
    public void set(Instant instant) {
        now.updateAndGet(i -> {
            if (instant.isBefore(i)) {
                throw new IllegalArgumentException("a clock does not go back: from " + i + " to " + instant);
            }
            return instant;
        });
    }
}
