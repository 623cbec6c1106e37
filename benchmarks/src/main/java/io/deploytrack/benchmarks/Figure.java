package io.deploytrack.benchmarks;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One measured figure: a fixed name ({@code store.sqlite}, {@code tracker.scale}, ...) and its keys in a fixed order,
 * printed as one line {@code NAME key=value key=value ...} that scripts read.
 */
public final class Figure {
    private final String name;
    private final Map<String, String> values = new LinkedHashMap<>();

    /** A figure without values yet. */
    public Figure(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /** The figure's fixed name. */
    public String name() {
        return name;
    }

    /** Adds a whole number. */
    public Figure put(String key, long value) {
        values.put(key, Long.toString(value));
        return this;
    }

    /** Adds a number with the given decimals. */
    public Figure put(String key, double value, int decimals) {
        values.put(key, String.format(Locale.ROOT, "%." + decimals + "f", value));
        return this;
    }

    /** Adds a boolean. */
    public Figure put(String key, boolean value) {
        values.put(key, Boolean.toString(value));
        return this;
    }

    /** The values by key, in the order they were added. */
    public Map<String, String> values() {
        return Collections.unmodifiableMap(values);
    }

    /** A value as a number; NaN when absent. */
    public double number(String key) {
        String v = values.get(key);
        return v == null ? Double.NaN : Double.parseDouble(v);
    }

    /** {@code NAME key=value key=value ...} */
    public String line() {
        StringBuilder b = new StringBuilder(name);
        values.forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
        return b.toString();
    }

    @Override
    public String toString() {
        return line();
    }
}
