package io.deploytrack.core.internal;

import io.deploytrack.core.Ticker;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The tracker's time: the injected {@link Clock} for every instant it stamps or compares (deadlines, poll times,
 * events) and the {@link Ticker} for elapsed time that must not follow wall-clock jumps (lease validity). With the
 * testkit's {@code ManualClock} both are that one clock.
 */
record TrackerTime(Clock clock, Ticker ticker) {

    /** Now, to the millisecond (what the stores keep). */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** The ticker's reading. */
    long nanos() {
        return ticker.nanos();
    }
}
