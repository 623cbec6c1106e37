package io.deploytrack.benchmarks.tracker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The emulator's clock in the scale runs: held at the moment the run began until {@link #release()}, then running
 * at the system clock's pace from there. Deployments registered while it is held all start when it is released, so
 * the whole workload is in flight at once whatever registering it cost; each one's life (5 to 30 s) counts from the
 * release. Emulator time = real time minus the time held (a few seconds: far inside the API gateway's 5-minute
 * timestamp window).
 */
public final class GatedClock extends Clock {
    private final Instant heldAt = Instant.now();
    private volatile long releasedAtNanos;
    private volatile Instant releasedAtReal;

    /** Starts the clock at the instant it was held at; returns the real time of the release. */
    public synchronized Instant release() {
        if (releasedAtReal == null) {
            releasedAtNanos = System.nanoTime();
            releasedAtReal = Instant.now();
        }
        return releasedAtReal;
    }

    /** The emulator time at which every held deployment started. */
    public Instant heldAt() {
        return heldAt;
    }

    @Override
    public Instant instant() {
        if (releasedAtReal == null) {
            return heldAt;
        }
        return heldAt.plus(Duration.ofNanos(System.nanoTime() - releasedAtNanos));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        if (ZoneOffset.UTC.equals(zone.normalized())) {
            return this;
        }
        throw new IllegalArgumentException("zone " + zone + " is not usable: the emulator's gated clock is UTC only");
    }
}
