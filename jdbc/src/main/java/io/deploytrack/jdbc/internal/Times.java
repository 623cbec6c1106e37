package io.deploytrack.jdbc.internal;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * Times as SQLite text: {@code 2026-03-01T10:00:00.000Z}, always this width, so text order is time order. Reading
 * also accepts what hosts' own code tends to have written: ISO instants, {@code yyyy-MM-dd HH:mm:ss[.SSS]} (taken as
 * UTC) and epoch milliseconds.
 */
public final class Times {
    private static final DateTimeFormatter FIXED = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SPACED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSS][.SSS]");

    private Times() {
    }

    /** The stored text of a time. */
    public static String format(Instant t) {
        return FIXED.format(t.truncatedTo(ChronoUnit.MILLIS));
    }

    /** A time as it reads back once stored ({@link #format} keeps milliseconds); null stays null. */
    public static Instant stored(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.MILLIS);
    }

    /** Parses stored text; null stays null. */
    public static Instant parse(String s) {
        return parse(s, ZoneOffset.UTC);
    }

    /** Parses stored text, reading a time without offset (naive) in {@code zone}; null stays null. */
    public static Instant parse(String s, java.time.ZoneId zone) {
        if (s == null || s.isBlank()) {
            return null;
        }
        String v = s.trim();
        Instant fixed = parseFixed(v);
        if (fixed != null) {
            return fixed;
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            // not an ISO instant: try the other forms
        }
        if (v.chars().allMatch(Character::isDigit)) {
            return Instant.ofEpochMilli(Long.parseLong(v));
        }
        try {
            return LocalDateTime.parse(v, SPACED).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(v).atZone(zone).toInstant();
            } catch (DateTimeParseException e2) {
                throw new IllegalArgumentException("stored time '" + v + "' is not a time: expected ISO-8601 "
                        + "(2026-03-01T10:00:00.000Z), 'yyyy-MM-dd HH:mm:ss' or epoch milliseconds", e2);
            }
        }
    }

    /**
     * The stored form ({@code 2026-03-01T10:00:00.000Z}, what {@link #format} writes) read without a
     * {@code DateTimeFormatter}, which takes most of the time of reading a row; null when {@code s} is not exactly
     * that form (the general parse then decides).
     */
    static Instant parseFixed(String s) {
        if (s.length() != 24 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':' || s.charAt(19) != '.' || s.charAt(23) != 'Z') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        int millis = digits(s, 20, 3);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
                || minute > 59 || second < 0 || second > 59 || millis < 0) {
            return null;
        }
        long epochDay;
        try {
            epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
        } catch (java.time.DateTimeException e) {
            return null;
        }
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, millis * 1_000_000L);
    }

    /** The decimal number of {@code length} digits at {@code from}; -1 when one is not a digit. */
    private static int digits(String s, int from, int length) {
        int n = 0;
        for (int i = from; i < from + length; i++) {
            char ch = s.charAt(i);
            if (ch < '0' || ch > '9') {
                return -1;
            }
            n = n * 10 + (ch - '0');
        }
        return n;
    }
}
