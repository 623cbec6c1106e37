package io.deploytrack.webhook;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What to answer a callback: an HTTP status code, a small JSON body and the headers to send with it. Hosts that mount
 * {@link WebhookReceiver} in their own web stack send exactly this, headers included.
 *
 * @param status  the HTTP status: 200 applied, recorded for the instance that follows the deployment, or a replay
 *                (ignored); 202 accepted with nothing to do (no running check matches: unknown or already ended);
 *                400 malformed; 401 bad signature or stale timestamp; 405 not a POST; 413 body over the limit;
 *                503 our side could not make it durable (the store failed, or no tracker is connected): nothing was
 *                kept, the delivery id was not consumed, send the same delivery again after {@code Retry-After}
 *                seconds; 500 an unexpected failure on our side, likewise not consumed
 * @param body    a JSON object, {@code {"status": ..., "detail": ...}} or {@code {"error": ...}} with the reason
 * @param headers headers to send besides {@code Content-Type}: {@value #RETRY_AFTER} on a 503; empty otherwise
 */
public record WebhookResponse(int status, String body, Map<String, String> headers) {

    /** The content type of {@link #body()}. */
    public static final String CONTENT_TYPE = "application/json; charset=utf-8";
    /** The header that tells a sender when to send a refused delivery again (RFC 9110, section 10.2.3). */
    public static final String RETRY_AFTER = "Retry-After";

    /** Validates and copies the headers. */
    public WebhookResponse {
        Objects.requireNonNull(body, "body");
        headers = Map.copyOf(Objects.requireNonNull(headers, "headers"));
    }

    /** An answer without headers of its own. */
    public static WebhookResponse of(int status, String body) {
        return new WebhookResponse(status, body, Map.of());
    }

    static WebhookResponse error(int status, String reason) {
        return WebhookResponse.of(status, "{\"error\":" + quote(reason) + "}");
    }

    /** 503: nothing was kept; the sender sends the same delivery again after {@code retryAfter} (whole seconds). */
    static WebhookResponse unavailable(String reason, Duration retryAfter) {
        return new WebhookResponse(503, "{\"error\":" + quote(reason) + "}",
                Map.of(RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds()))));
    }

    static WebhookResponse status(int status, String word, String detail) {
        return WebhookResponse.of(status, "{\"status\":" + quote(word)
                + (detail == null ? "" : ",\"detail\":" + quote(detail)) + "}");
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
