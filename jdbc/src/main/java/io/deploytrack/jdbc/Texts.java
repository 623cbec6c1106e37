package io.deploytrack.jdbc;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Text for people in maintenance messages: times in UTC, values cut to one line. */
final class Texts {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private Texts() {
    }

    static String time(Instant t) {
        return t == null ? "-" : TIME.format(t);
    }

    static String cut(String s, int max) {
        if (s == null) {
            return "-";
        }
        String one = s.replaceAll("\\s+", " ").strip();
        return one.length() <= max ? one : one.substring(0, max - 3) + "...";
    }
}
