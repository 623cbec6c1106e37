package io.deploytrack.jdbc.internal;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Attributes as one text column: {@code k=v&k2=v2}, URL-encoded. Not public API. */
public final class KeyValues {
    private KeyValues() {
    }

    /** Encodes; null for an empty map. */
    public static String encode(Map<String, String> m) {
        if (m == null || m.isEmpty()) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        m.forEach((k, v) -> {
            if (b.length() > 0) {
                b.append('&');
            }
            b.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return b.toString();
    }

    /** Decodes; tolerant of pairs without '=' (value empty). */
    public static Map<String, String> decode(String s) {
        Map<String, String> m = new LinkedHashMap<>();
        if (s == null || s.isBlank()) {
            return m;
        }
        for (String pair : s.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            m.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return m;
    }
}
