package io.deploytrack.jdbc;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Recognises a UTC value in a table of naive local times: a host that writes {@code datetime.now()} into
 * {@code started_at} and {@code datetime.utcnow()} into {@code completed_at} leaves a completion that, read in the
 * table's zone, is off from its own start by the zone's offset. Read as UTC instead, it lands after the start, within
 * the offset. East of UTC such a completion reads as before its start (impossible), so the start alone tells; west of
 * UTC it reads as hours too late, which a long deployment could also be, so there the row's {@code total_duration}
 * must agree with the UTC reading.
 */
final class MixedClocks {
    /** Within this much, a stored duration agrees with a reading of the times. */
    static final long TOLERANCE_SECONDS = 1;

    private MixedClocks() {
    }

    /**
     * The times of a row that are UTC in a local-time table, with what they are when read as UTC; none when the
     * table's times are not naive local ones ({@code zone} null) or the zone is UTC.
     */
    static List<Diagnosis.MixedClock> of(Diagnosis.Row r, ZoneId zone) {
        List<Diagnosis.MixedClock> out = new ArrayList<>();
        if (zone == null || r.startedAt() == null) {
            return out;
        }
        check(out, r, zone, "completed_at", r.completedAt());
        check(out, r, zone, "deployed_at", r.deployedAt());
        return out;
    }

    private static void check(List<Diagnosis.MixedClock> out, Diagnosis.Row r, ZoneId zone, String column, Instant stored) {
        if (stored == null) {
            return;
        }
        ZoneOffset offset = zone.getRules().getOffset(stored);
        Duration off = Duration.ofSeconds(offset.getTotalSeconds());
        if (off.isZero()) {
            return;
        }
        // The naive text read in the zone gave `stored`; the same text read as UTC is `stored + offset`.
        Instant utc = stored.plus(off);
        Duration asUtc = Duration.between(r.startedAt(), utc);
        Duration abs = off.abs();
        if (asUtc.isNegative() || asUtc.compareTo(abs) >= 0) {
            return;
        }
        boolean beforeStart = stored.isBefore(r.startedAt());
        boolean durationAgrees = r.totalDuration() != null
                && Math.abs(RepairPlan.seconds(r.startedAt(), utc) - r.totalDuration()) <= TOLERANCE_SECONDS;
        if (beforeStart || (off.isNegative() && durationAgrees)) {
            out.add(new Diagnosis.MixedClock(r.id(), column, stored, utc, offset, zone));
        }
    }
}
