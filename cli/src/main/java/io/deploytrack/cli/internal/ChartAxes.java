package io.deploytrack.cli.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * The HTML report chart's axes, scaled to the data: no floor of a minute on either axis (a span of seconds fills the
 * chart), round duration steps, and start-time labels that all differ (with seconds when the span is short, or when
 * minutes alone would repeat). Not public API.
 */
final class ChartAxes {
    /** The narrowest time span drawn, so that one deployment (a span of zero) still has an axis. */
    static final long MIN_SPAN_MILLIS = 1_000;
    /** The smallest duration axis (a chart of instant deployments). */
    static final double MIN_SECONDS = 1;
    /** Below this span the labels carry seconds from the start. */
    static final Duration SHORT_SPAN = Duration.ofHours(1);

    private static final List<DateTimeFormatter> LONG_FIRST = List.of(pattern("MM-dd HH:mm"),
            pattern("MM-dd HH:mm:ss"), pattern("HH:mm:ss.SSS"));
    private static final List<DateTimeFormatter> SHORT_FIRST = List.of(pattern("HH:mm:ss"), pattern("HH:mm:ss.SSS"));

    /** The start-time axis: from {@code min}, {@code spanMillis} wide, one label per tick. */
    record TimeAxis(Instant min, long spanMillis, List<String> labels) {
    }

    /** The duration axis: 0 to {@code max} seconds in steps of {@code step}. */
    record DurationAxis(double max, double step) {
    }

    private ChartAxes() {
    }

    /** A time axis over the starts from {@code first} to {@code last}, with a margin of 5 % each side. */
    static TimeAxis time(Instant first, Instant last, int ticks) {
        long span = Math.max(MIN_SPAN_MILLIS, Duration.between(first, last).toMillis());
        Instant min = first.minusMillis(span / 20);
        span += span / 10;
        List<Instant> at = new ArrayList<>();
        for (int i = 0; i <= ticks; i++) {
            at.add(min.plusMillis(span * i / ticks));
        }
        List<DateTimeFormatter> formats = Duration.ofMillis(span).compareTo(SHORT_SPAN) < 0 ? SHORT_FIRST : LONG_FIRST;
        List<String> labels = List.of();
        for (DateTimeFormatter f : formats) {
            labels = at.stream().map(f::format).toList();
            if (new HashSet<>(labels).size() == labels.size()) {
                break;
            }
        }
        return new TimeAxis(min, span, labels);
    }

    /** A duration axis up to the longest duration, in about five round steps. */
    static DurationAxis duration(double maxSeconds) {
        double top = Math.max(MIN_SECONDS, maxSeconds);
        double step = niceStep(top / 5);
        return new DurationAxis(Math.ceil(top / step - 1e-9) * step, step);
    }

    private static double niceStep(double raw) {
        double[] steps = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 21600, 43200, 86400};
        for (double s : steps) {
            if (s >= raw) {
                return s;
            }
        }
        return Math.ceil(raw / 86400) * 86400;
    }

    private static DateTimeFormatter pattern(String p) {
        return DateTimeFormatter.ofPattern(p).withZone(ZoneOffset.UTC);
    }
}
