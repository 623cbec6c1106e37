package io.deploytrack.git.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What GitHub answered per URL with its ETag, so the next ask sends {@code If-None-Match} and a 304 costs nothing
 * against the primary rate limit. Least recently used entries go first. Thread-safe. Not public API.
 *
 * @param <V> the parsed answer
 */
public final class ConditionalCache<V> {
    /** One answer and its validator. */
    public record Entry<V>(String etag, V value) {
    }

    private final Map<String, Entry<V>> entries;

    /** A cache of at most {@code capacity} URLs. */
    public ConditionalCache(int capacity) {
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry<V>> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The entry of {@code url}, or null. */
    public synchronized Entry<V> get(String url) {
        return entries.get(url);
    }

    /** Keeps {@code value} under {@code etag}; an answer without an ETag is not kept. */
    public synchronized void put(String url, String etag, V value) {
        if (etag != null && !etag.isBlank()) {
            entries.put(url, new Entry<>(etag, value));
        }
    }
}
