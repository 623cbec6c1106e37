package io.deploytrack.jdbc.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
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

    /** 0001-01-01T00:00:00Z and the first second after 9999-12-31T23:59:59Z: the years the fast path writes. */
    private static final long FIRST_FAST_SECOND = -62135596800L;
    private static final long END_FAST_SECOND = 253402300800L;
    private static final long SECONDS_PER_DAY = 86_400;

    /**
     * The stored text of a time. Years 1 to 9999 are written by hand (the store writes several times per row, and
     * {@link DateTimeFormatter} costs a few microseconds each); other years by the formatter, whose text for them
     * (e.g. {@code +10000}) this keeps.
     */
    public static String format(Instant t) {
        long second = t.getEpochSecond();
        if (second < FIRST_FAST_SECOND || second >= END_FAST_SECOND) {
            return FIXED.format(t.truncatedTo(ChronoUnit.MILLIS));
        }
        long day = Math.floorDiv(second, SECONDS_PER_DAY);
        int secondOfDay = (int) Math.floorMod(second, SECONDS_PER_DAY);
        LocalDate date = LocalDate.ofEpochDay(day);
        byte[] b = new byte[24];
        digits(b, 0, date.getYear(), 4);
        b[4] = '-';
        digits(b, 5, date.getMonthValue(), 2);
        b[7] = '-';
        digits(b, 8, date.getDayOfMonth(), 2);
        b[10] = 'T';
        digits(b, 11, secondOfDay / 3600, 2);
        b[13] = ':';
        digits(b, 14, secondOfDay / 60 % 60, 2);
        b[16] = ':';
        digits(b, 17, secondOfDay % 60, 2);
        b[19] = '.';
        digits(b, 20, t.getNano() / 1_000_000, 3);
        b[23] = 'Z';
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** Writes {@code value} (not negative) as exactly {@code width} decimal digits at {@code at}. */
    private static void digits(byte[] b, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            b[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    /**
     * The store's own text ({@code 2026-03-01T10:00:00.000Z}, what {@link #format} writes) read by hand, as the store
     * reads a time per row; null when {@code v} is anything else (or a value such as a leap second or 24:00), which
     * the general parsers then read as before.
     */
    static Instant parseFixed(String v) {
        if (v.length() != 24 || v.charAt(4) != '-' || v.charAt(7) != '-' || v.charAt(10) != 'T' || v.charAt(13) != ':'
                || v.charAt(16) != ':' || v.charAt(19) != '.' || v.charAt(23) != 'Z') {
            return null;
        }
        int year = number(v, 0, 4);
        int month = number(v, 5, 2);
        int day = number(v, 8, 2);
        int hour = number(v, 11, 2);
        int minute = number(v, 14, 2);
        int second = number(v, 17, 2);
        int millis = number(v, 20, 3);
        if (year < 1 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59 || millis < 0 || day > YearMonth.of(year, month).lengthOfMonth()) {
            return null;
        }
        long days = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(days * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second, millis * 1_000_000L);
    }

    /** The decimal number of {@code width} digits at {@code at}; -1 when one of them is not a digit. */
    private static int number(String v, int at, int width) {
        int n = 0;
        for (int i = at; i < at + width; i++) {
            char ch = v.charAt(i);
            if (ch < '0' || ch > '9') {
                return -1;
            }
            n = n * 10 + (ch - '0');
        }
        return n;
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
}
