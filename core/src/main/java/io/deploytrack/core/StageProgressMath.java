package io.deploytrack.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The arithmetic of {@link ProgressEstimator}: medians, the percentage curve, the words a person reads. */
final class StageProgressMath {
    /** The deadline assumed for a check that stores none (the tracker's default). */
    private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

    private StageProgressMath() {
    }

    /** The median of {@code samples} (the mean of the middle two for an even count), and the overrun threshold. */
    static ExpectedDuration median(List<Duration> samples, ExpectedDuration.Basis basis) {
        List<Duration> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        int n = sorted.size();
        Duration median = n % 2 == 1 ? sorted.get(n / 2)
                : sorted.get(n / 2 - 1).plus(sorted.get(n / 2)).dividedBy(2);
        Duration quarterMore = median.plus(median.dividedBy(4));
        Duration longest = sorted.get(n - 1);
        return new ExpectedDuration(median, longest.compareTo(quarterMore) > 0 ? longest : quarterMore, n, basis);
    }

    static StageProgress stage(DeploymentCheck c, ExpectedDuration expected, Instant now) {
        TargetProgress targets = TargetProgress.parse(c.message()).orElse(null);
        if (c.status().isTerminal()) {
            Duration took = c.startedAt() == null || c.completedAt() == null || c.completedAt().isBefore(c.startedAt())
                    ? Duration.ZERO : Duration.between(c.startedAt(), c.completedAt());
            return new StageProgress(c.name(), c.status(), StageProgress.Phase.ENDED, c.startedAt(), c.completedAt(),
                    took, expected, 100, c.status() == DeploymentStatus.SUCCESS ? null : targets,
                    c.status().word() + " after " + human(took));
        }
        if (!c.isStarted() || c.startedAt() == null) {
            return new StageProgress(c.name(), c.status(), StageProgress.Phase.WAITING, null, null, Duration.ZERO,
                    expected, 0, null, "waiting to start");
        }
        Duration elapsed = now.isBefore(c.startedAt()) ? Duration.ZERO : Duration.between(c.startedAt(), now);
        Duration base = expected != null ? expected.median()
                : c.timeout() != null ? c.timeout() : DEFAULT_TIMEOUT;
        int percent = curve(elapsed, base);
        if (targets != null) {
            percent = Math.max(percent, Math.min(99, targets.done() * 99 / targets.total()));
        }
        boolean overrun = expected != null && elapsed.compareTo(expected.likelyMax()) > 0;
        String prefix = targets == null ? "" : targets.done() + " of " + targets.total() + " targets done; ";
        String summary;
        if (c.awaitingApproval()) {
            summary = prefix + "waiting for approval";
        } else if (overrun) {
            summary = prefix + "longer than usual, typically " + human(expected.median());
        } else if (expected == null) {
            summary = prefix + "no estimate yet: no earlier successful run";
        } else if (elapsed.compareTo(expected.median()) < 0) {
            summary = prefix + "about " + human(expected.median().minus(elapsed)) + " left, typically "
                    + human(expected.median());
        } else {
            summary = prefix + "should end soon, typically " + human(expected.median());
        }
        return new StageProgress(c.name(), c.status(), overrun ? StageProgress.Phase.OVERRUN : StageProgress.Phase.RUNNING,
                c.startedAt(), null, elapsed, expected, percent, targets, summary);
    }

    /** 90 * elapsed / base up to the base, then towards 99 without reaching it; rounded down. */
    static int curve(Duration elapsed, Duration base) {
        double e = elapsed.toMillis();
        double b = Math.max(1, base.toMillis());
        double p = e <= b ? 90 * e / b : 90 + 9 * (1 - Math.exp(-(e - b) / b));
        return (int) Math.min(98, Math.floor(p));
    }

    /** "45 s", "3 min 5 s", "1 h 2 min". */
    static String human(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s % 60 == 0 ? s / 60 + " min" : s / 60 + " min " + s % 60 + " s";
        }
        long m = (s % 3600) / 60;
        return m == 0 ? s / 3600 + " h" : s / 3600 + " h " + m + " min";
    }
}
