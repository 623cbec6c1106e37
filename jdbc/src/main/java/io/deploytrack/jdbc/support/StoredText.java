package io.deploytrack.jdbc.support;

import io.deploytrack.jdbc.internal.KeyValues;
import io.deploytrack.jdbc.internal.Times;

import java.time.Instant;
import java.util.Map;

/**
 * The text encodings of deploytrack's own SQLite tables, for tools that read or write rows directly (the benchmarks'
 * plain-JDBC baselines, a host's one-off import): times as fixed-width ISO-8601 UTC text
 * ({@code 2026-03-01T10:00:00.000Z}, so text order is time order), attributes as URL-encoded {@code k=v&k2=v2}.
 */
public final class StoredText {
    private StoredText() {
    }

    /** A time as the store writes it. */
    public static String time(Instant t) {
        return Times.format(t);
    }

    /** A stored time; also reads {@code yyyy-MM-dd HH:mm:ss[.SSS]} (as UTC) and epoch milliseconds; null stays null. */
    public static Instant parseTime(String s) {
        return Times.parse(s);
    }

    /** Attributes as the store writes them; null for none. */
    public static String attributes(Map<String, String> attributes) {
        return KeyValues.encode(attributes);
    }

    /** Stored attributes. */
    public static Map<String, String> parseAttributes(String s) {
        return KeyValues.decode(s);
    }
}
