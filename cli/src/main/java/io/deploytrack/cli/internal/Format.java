package io.deploytrack.cli.internal;

import io.deploytrack.core.Deployment;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Text for people: times in UTC, short durations, fixed-width columns. Not public API. */
final class Format {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private Format() {
    }

    static String time(Instant t) {
        return t == null ? "-" : TIME.format(t);
    }

    /** {@code 45s}, {@code 3m05s}, {@code 2h04m}; {@code -} for null. */
    static String duration(Duration d) {
        if (d == null) {
            return "-";
        }
        long s = Math.round(d.toMillis() / 1000.0);
        String sign = s < 0 ? "-" : "";
        s = Math.abs(s);
        if (s < 60) {
            return sign + s + "s";
        }
        if (s < 3600) {
            return sign + String.format("%dm%02ds", s / 60, s % 60);
        }
        return sign + String.format("%dh%02dm", s / 3600, (s % 3600) / 60);
    }

    /** {@code acme/web@3f2c1a9 (production)}. */
    static String label(Deployment d) {
        return d.project() + "@" + d.shortSha() + " (" + d.environment() + (d.rollback() ? ", rollback" : "") + ")";
    }

    static String pad(String s, int width) {
        String v = s == null ? "-" : s;
        return v.length() >= width ? v : v + " ".repeat(width - v.length());
    }

    static String cut(String s, int max) {
        if (s == null) {
            return "-";
        }
        String one = s.replaceAll("\\s+", " ").strip();
        return one.length() <= max ? one : one.substring(0, max - 3) + "...";
    }
}
