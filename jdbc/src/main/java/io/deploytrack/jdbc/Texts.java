package io.deploytrack.jdbc;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Text for people in maintenance messages: times in UTC, durations, values cut to one line. */
final class Texts {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private Texts() {
    }

    static String time(Instant t) {
        return t == null ? "-" : TIME.format(t);
    }

    /** {@code 8h59m59s}, {@code 2m5s}, {@code 1s}; a negative duration with a leading minus. */
    static String duration(java.time.Duration d) {
        if (d.isNegative()) {
            return "-" + duration(d.negated());
        }
        long s = Math.round(d.toMillis() / 1000.0);
        long h = s / 3600;
        long m = s % 3600 / 60;
        long sec = s % 60;
        return (h > 0 ? h + "h" : "") + (h > 0 || m > 0 ? m + "m" : "") + sec + "s";
    }

    static String cut(String s, int max) {
        if (s == null) {
            return "-";
        }
        String one = s.replaceAll("\\s+", " ").strip();
        return one.length() <= max ? one : one.substring(0, max - 3) + "...";
    }
}
