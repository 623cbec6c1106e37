package io.deploytrack.webhook;

/**
 * What to answer a callback: an HTTP status code and a small JSON body. Hosts that mount {@link WebhookReceiver} in
 * their own web stack send exactly this.
 *
 * @param status the HTTP status: 200 applied (or a replay, ignored), 202 accepted with nothing to do (no running check
 *               matches: unknown or already ended), 400 malformed, 401 bad signature or stale timestamp, 405 not a
 *               POST, 413 body over the limit, 500/503 our side failed (the sender should retry)
 * @param body   a JSON object, {@code {"status": ...}} or {@code {"error": ...}} with the reason
 */
public record WebhookResponse(int status, String body) {

    /** The content type of {@link #body()}. */
    public static final String CONTENT_TYPE = "application/json; charset=utf-8";

    static WebhookResponse error(int status, String reason) {
        return new WebhookResponse(status, "{\"error\":" + quote(reason) + "}");
    }

    static WebhookResponse status(int status, String word, String detail) {
        return new WebhookResponse(status, "{\"status\":" + quote(word)
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
