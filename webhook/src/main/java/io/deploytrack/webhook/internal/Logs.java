package io.deploytrack.webhook.internal;

import org.slf4j.Logger;
import org.slf4j.event.Level;

/** Log lines as {@code event_name key=value ...}, the pairs also attached as SLF4J key-values. Not public API. */
public final class Logs {
    private Logs() {
    }

    /** Logs {@code event} with alternating keys and values. A throwable value is logged as its class and message. */
    public static void event(Logger logger, Level level, String event, Object... kv) {
        if (!logger.isEnabledForLevel(level)) {
            return;
        }
        var b = logger.atLevel(level);
        StringBuilder msg = new StringBuilder(event);
        for (int i = 0; i + 1 < kv.length; i += 2) {
            Object v = kv[i + 1];
            if (v instanceof Throwable t) {
                v = t.getClass().getSimpleName() + ": " + t.getMessage();
            }
            String key = String.valueOf(kv[i]);
            b = b.addKeyValue(key, v);
            String s = String.valueOf(v);
            boolean quote = s.isEmpty() || s.chars().anyMatch(c -> c == ' ' || c == '"' || c == '=');
            msg.append(' ').append(key).append('=').append(quote ? '"' + s.replace("\"", "\\\"") + '"' : s);
        }
        b.log(msg.toString());
    }
}
