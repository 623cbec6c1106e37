package io.deploytrack.core.support;

import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * Log lines as {@code event_name key=value key=value}, with the same pairs attached as SLF4J key-values, so they read
 * well in a plain console and index well in structured backends. For deploytrack's modules and extensions, so that
 * all of them log alike: event names in snake_case, values quoted when they hold a space, a quote or {@code =}.
 * Never pass a secret as a value.
 */
public final class KeyValueLog {

    private KeyValueLog() {
    }

    /**
     * Logs {@code event} with alternating keys and values at {@code level}; nothing is formatted when the level is
     * off. A {@link Throwable} value is written as its class and message; its stack trace is attached only when the
     * logger has debug on.
     *
     * @param logger where to log
     * @param level  the level
     * @param event  the event name, snake_case
     * @param kv     alternating keys and values (a last key without a value is ignored)
     */
    public static void event(Logger logger, Level level, String event, Object... kv) {
        if (!logger.isEnabledForLevel(level)) {
            return;
        }
        var b = logger.atLevel(level);
        StringBuilder msg = new StringBuilder(event);
        Throwable thrown = null;
        for (int i = 0; i + 1 < kv.length; i += 2) {
            Object v = kv[i + 1];
            if (v instanceof Throwable t) {
                thrown = t;
                v = t.getClass().getSimpleName() + ": " + t.getMessage();
            }
            String key = String.valueOf(kv[i]);
            b = b.addKeyValue(key, v);
            msg.append(' ').append(key).append('=').append(format(v));
        }
        if (thrown != null && logger.isDebugEnabled()) {
            b = b.setCause(thrown);
        }
        b.log(msg.toString());
    }

    private static String format(Object v) {
        if (v == null) {
            return "null";
        }
        String s = String.valueOf(v);
        if (s.isEmpty() || s.chars().anyMatch(c -> c == ' ' || c == '"' || c == '=')) {
            return '"' + s.replace("\"", "\\\"") + '"';
        }
        return s;
    }
}
