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
}
