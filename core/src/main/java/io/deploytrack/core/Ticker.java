package io.deploytrack.core;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * A monotonic source of elapsed time, in nanoseconds from an arbitrary origin, which the tracker uses to measure how
 * long a lease it took stays safe to act on. Only differences between two readings mean anything.
 *
 * <p>In production the tracker reads {@link #system()} ({@link System#nanoTime()}), so a jump of the host's wall
 * clock never cuts a lease short or stretches it. A test that drives the tracker with the testkit's
 * {@code ManualClock} gets that clock as its ticker too (it implements this interface), so moving the one clock moves
 * all of the tracker's time: stamps, deadlines, poll times and lease validity.
 */
@FunctionalInterface
public interface Ticker {

    /** The current reading, in nanoseconds. */
    long nanos();

    /** The host's monotonic clock, {@link System#nanoTime()}. */
    static Ticker system() {
        return System::nanoTime;
    }

    /**
     * A ticker that follows {@code clock}'s instants (nanoseconds since the epoch): for a clock a test moves by hand.
     * Not monotonic when the clock is not.
     */
    static Ticker of(Clock clock) {
        Objects.requireNonNull(clock, "clock");
        return () -> epochNanos(clock.instant());
    }

    /** Nanoseconds since the epoch of an instant (fits a long until the year 2262). */
    static long epochNanos(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    }
}
