package io.deploytrack.kubernetes.internal;

/** Formatting for log values, so that {@code key="value"} pairs stay parseable. Not part of the public API. */
public final class Logs {

    private Logs() {
    }

    /**
     * @param value any value, may be null
     * @return the value in double quotes with inner quotes escaped, e.g. {@code "deployment \"web\" ..."}
     */
    public static String quote(Object value) {
        return value == null ? "null" : '"' + String.valueOf(value).replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
