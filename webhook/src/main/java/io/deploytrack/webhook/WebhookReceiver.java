package io.deploytrack.webhook;

import io.deploytrack.core.support.KeyValueLog;
import io.deploytrack.core.support.CallbackSignature;
import io.deploytrack.core.HistoryStoreException;
import io.deploytrack.core.TrackerClosedException;
import io.deploytrack.core.Push;
import io.deploytrack.core.PushResult;
import io.deploytrack.core.PushTarget;
import io.deploytrack.webhook.internal.Deliveries;
import io.deploytrack.webhook.internal.GithubSignature;
import io.deploytrack.webhook.internal.Json;
import io.deploytrack.webhook.internal.Payloads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The framework-free handler of callbacks: {@code handle(method, headers, body)} gives the status code and body to
 * answer. Mount it in any web stack; a servlet, for instance:
 *
 * <pre>{@code
 * WebhookResponse r = receiver.handle(req.getMethod(), headersOf(req), req.getInputStream());
 * resp.setStatus(r.status());
 * resp.setContentType(WebhookResponse.CONTENT_TYPE);
 * resp.getWriter().write(r.body());
 * }</pre>
 *
 * <p>Checks, in order: POST only (405); the body limit (413, decided from {@code Content-Length} before anything is
 * read, and by reading at most one byte past the limit otherwise); the signature (401: deploytrack's
 * {@link CallbackSignature} with its timestamp tolerance, or GitHub's {@code X-Hub-Signature-256}), compared in
 * constant time against every secret; the delivery id (400 when missing; a replay is answered 200 and ignored); the
 * payload (400 with the reason, a {@code finishedAt} before its {@code startedAt} included). Then the observation
 * goes to the tracker, which records it in the store before anything else ({@link PushTarget#push}); the answer says
 * what happened, in {@code status} (a word for programs) and {@code detail} (what the sender should do):
 * <ul>
 *   <li>200 {@code applied}: this instance follows the deployment, the push is recorded, and it is applied here;</li>
 *   <li>200 {@code recorded_for_holder}: recorded for the instance that follows the deployment, which applies it at
 *       its next tick (a second at most), or, when none does, for the next instance that resumes it, before it asks
 *       the deployment's source;</li>
 *   <li>202 {@code no_running_check}: nothing to do (unknown, or already ended), so the sender does not retry
 *       forever;</li>
 *   <li>503 with {@code Retry-After} when the push could not be made durable (the store failed, the tracker is closing,
 *       or none is connected): nothing was kept and the delivery id is not consumed, so the sender's retry with the
 *       same delivery id is applied once the store is back.</li>
 * </ul>
 * A 2xx is therefore only answered once the push is committed. Nothing is written on any refusal; every refusal's log
 * line names the delivery id the request carried. Secrets never reach a log line or a response. Thread-safe.
 */
public final class WebhookReceiver {
    private static final Logger LOG = LoggerFactory.getLogger("io.deploytrack.webhook");
    /** GitHub's event name header. */
    public static final String GITHUB_EVENT_HEADER = "X-GitHub-Event";
    /** GitHub's delivery id header. */
    public static final String GITHUB_DELIVERY_HEADER = "X-GitHub-Delivery";
    /** GitHub's signature header. */
    public static final String GITHUB_SIGNATURE_HEADER = GithubSignature.HEADER;
    /** How long a sender is asked to wait before it sends a delivery again that the store could not keep. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private final WebhookPushSource source;
    private final List<String> secrets;
    private final Duration tolerance;
    private final int maxBodyBytes;
    private final Clock clock;
    private final String githubAttribute;
    private final Deliveries deliveries;

    WebhookReceiver(WebhookPushSource source, List<String> secrets, Duration tolerance, int maxBodyBytes, Clock clock,
                    String githubAttribute, int replayCapacity) {
        this.source = source;
        this.secrets = List.copyOf(secrets);
        this.tolerance = tolerance;
        this.maxBodyBytes = maxBodyBytes;
        this.clock = clock;
        this.githubAttribute = githubAttribute;
        // Kept twice the tolerance: within it a replay is caught here, beyond it the timestamp is refused as stale.
        this.deliveries = new Deliveries(tolerance.multipliedBy(2), replayCapacity);
    }

    /** The largest body accepted, in bytes. */
    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    /**
     * Handles a callback whose body the host has already read.
     *
     * @param method  the HTTP method
     * @param headers the request headers (names matched case-insensitively)
     * @param body    the exact bytes received
     */
    public WebhookResponse handle(String method, Map<String, List<String>> headers, byte[] body) {
        if (!"POST".equalsIgnoreCase(method)) {
            return refuse(405, "method " + method + " is not accepted: send callbacks with POST", null);
        }
        if (body.length > maxBodyBytes) {
            return tooLarge(body.length);
        }
        return verified(headers, body);
    }

    /**
     * Handles a callback, reading the body from {@code body}: a declared {@code Content-Length} over the limit is
     * refused before anything is read, and no more than the limit plus one byte is ever read.
     */
    public WebhookResponse handle(String method, Map<String, List<String>> headers, InputStream body) throws IOException {
        if (!"POST".equalsIgnoreCase(method)) {
            return refuse(405, "method " + method + " is not accepted: send callbacks with POST", null);
        }
        String declared = header(headers, "Content-Length");
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                return refuse(400, "Content-Length '" + declared + "' is not a number", null);
            }
            if (length > maxBodyBytes) {
                return tooLarge(length);
            }
        }
        byte[] bytes = body.readNBytes(maxBodyBytes + 1);
        if (bytes.length > maxBodyBytes) {
            return tooLarge(-1);
        }
        return verified(headers, bytes);
    }

    private WebhookResponse verified(Map<String, List<String>> headers, byte[] body) {
        boolean github = header(headers, GITHUB_SIGNATURE_HEADER) != null || header(headers, GITHUB_EVENT_HEADER) != null;
        // Named on the refusals' log lines, so an operator finds the sender's attempt; not trusted for anything else.
        String delivery = header(headers, github ? GITHUB_DELIVERY_HEADER : CallbackSignature.DELIVERY_HEADER);
        if (github) {
            if (!GithubSignature.verify(secrets, header(headers, GITHUB_SIGNATURE_HEADER), body)) {
                return refuse(401, "the " + GITHUB_SIGNATURE_HEADER + " signature does not match any configured secret "
                        + "(expected sha256=<hex of HMAC-SHA256(secret, body)>)", delivery);
            }
        } else {
            CallbackSignature.Verdict v = CallbackSignature.verify(secrets, header(headers, CallbackSignature.TIMESTAMP_HEADER),
                    header(headers, CallbackSignature.SIGNATURE_HEADER), body, clock.instant(), tolerance);
            switch (v) {
                case MALFORMED -> {
                    return refuse(401, "missing or malformed " + CallbackSignature.TIMESTAMP_HEADER + " (Unix seconds) or "
                            + CallbackSignature.SIGNATURE_HEADER + " (sha256=<hex>)", delivery);
                }
                case STALE -> {
                    return refuse(401, "the " + CallbackSignature.TIMESTAMP_HEADER + " is more than "
                            + tolerance.toSeconds() + " s away from this receiver's clock: sign with the current time", delivery);
                }
                case MISMATCH -> {
                    return refuse(401, "the signature does not match any configured secret (expected sha256=<hex of "
                            + "HMAC-SHA256(secret, timestamp + \".\" + body)>)", delivery);
                }
                default -> {
                }
            }
        }
        if (delivery == null || delivery.isBlank() || delivery.length() > 200) {
            return refuse(400, "missing delivery id: send a unique " + (github ? GITHUB_DELIVERY_HEADER
                    : CallbackSignature.DELIVERY_HEADER) + " header (at most 200 characters) with every callback", delivery);
        }
        if (!deliveries.claim(delivery, clock.instant())) {
            KeyValueLog.event(LOG, Level.INFO, "webhook_replay_ignored", "delivery", delivery);
            return WebhookResponse.status(200, "duplicate", "delivery " + delivery + " was accepted before; ignored");
        }
        boolean keep = false;
        try {
            WebhookResponse r = dispatch(github, headers, delivery, body);
            keep = r.status() < 400;
            return r;
        } finally {
            if (!keep) {
                // Nothing was done: the sender may send the same delivery again once it is fixed, or once we are back.
                deliveries.release(delivery);
            }
        }
    }

    private WebhookResponse dispatch(boolean github, Map<String, List<String>> headers, String delivery, byte[] body) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            return refuse(400, "the body is not UTF-8 text", delivery);
        }
        Push push;
        try {
            if (github) {
                String event = header(headers, GITHUB_EVENT_HEADER);
                Payloads.GithubEvent ge = Payloads.github(source.type(), delivery, event, text, githubAttribute);
                if (ge.push() == null) {
                    KeyValueLog.event(LOG, Level.INFO, "webhook_event_ignored", "delivery", delivery, "reason", ge.ignoredBecause());
                    return WebhookResponse.status(202, "ignored", ge.ignoredBecause());
                }
                push = ge.push();
            } else {
                push = Payloads.callback(source.type(), delivery, text);
            }
        } catch (Json.ParseException | Payloads.PayloadException e) {
            return refuse(400, e.getMessage(), delivery);
        }
        PushTarget target = source.target();
        if (target == null) {
            return unavailable("no tracker is connected to this webhook source yet: build the DeploymentTracker with "
                    + ".source(webhook)", delivery, null);
        }
        PushResult result;
        try {
            result = target.push(push);
        } catch (HistoryStoreException | TrackerClosedException e) {
            // Nothing is acknowledged: the push is not durable, and the delivery id is released for the retry.
            return unavailable("the observation could not be recorded (" + e.getClass().getSimpleName() + "): "
                    + "nothing was kept; send the same delivery again in " + RETRY_AFTER.toSeconds() + " s", delivery, e);
        } catch (RuntimeException e) {
            KeyValueLog.event(LOG, Level.ERROR, "webhook_push_failed", "delivery", delivery, "error", e);
            return WebhookResponse.error(500, "the observation could not be recorded (" + e.getClass().getSimpleName()
                    + "): nothing was kept; send the same delivery again");
        }
        String ids = result.deploymentIds().stream().map(String::valueOf).collect(Collectors.joining(","));
        KeyValueLog.event(LOG, Level.INFO, "webhook_received", "delivery", delivery, "outcome",
                result.outcome().name().toLowerCase(java.util.Locale.ROOT), "deployments", ids,
                "status", push.observation().sourceStatus());
        return switch (result.outcome()) {
            case APPLIED -> answered(200, "applied", "applied: recorded in the store and applied by this instance, "
                    + "which follows the deployment; nothing more to send", ids);
            case RECORDED_FOR_HOLDER -> answered(200, "recorded_for_holder", "recorded for the instance that follows "
                    + "it: that instance applies it at its next tick (a second at most), or, if none follows it now, "
                    + "the next one to resume it does, before asking its source; nothing more to send", ids);
            case NO_RUNNING_CHECK -> WebhookResponse.status(202, "no_running_check",
                    "nothing to do: no running check matches (unknown, or already ended); do not send it again");
        };
    }

    private static WebhookResponse answered(int status, String word, String detail, String ids) {
        return WebhookResponse.of(status, "{\"status\":" + WebhookResponse.quote(word) + ",\"detail\":"
                + WebhookResponse.quote(detail) + ",\"deployments\":[" + ids + "]}");
    }

    private static WebhookResponse unavailable(String reason, String delivery, RuntimeException error) {
        if (error == null) {
            KeyValueLog.event(LOG, Level.WARN, "webhook_refused", "http_status", 503, "delivery", loggable(delivery),
                    "reason", reason);
        } else {
            KeyValueLog.event(LOG, Level.WARN, "webhook_refused", "http_status", 503, "delivery", loggable(delivery),
                    "reason", reason, "error", error);
        }
        return WebhookResponse.unavailable(reason, RETRY_AFTER);
    }

    private WebhookResponse tooLarge(long length) {
        return refuse(413, "the body" + (length >= 0 ? " of " + length + " bytes" : "") + " is over the limit of "
                + maxBodyBytes + " bytes", null);
    }

    private static WebhookResponse refuse(int status, String reason, String delivery) {
        KeyValueLog.event(LOG, Level.WARN, "webhook_refused", "http_status", status, "delivery", loggable(delivery),
                "reason", reason);
        return WebhookResponse.error(status, reason);
    }

    /** A delivery id as a log line may show it: it may come from an unsigned request, so short and printable. */
    private static String loggable(String delivery) {
        if (delivery == null) {
            return null;
        }
        String cut = delivery.length() > 200 ? delivery.substring(0, 200) + "..." : delivery;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    private static String header(Map<String, List<String>> headers, String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey() != null && e.getKey().equalsIgnoreCase(name) && e.getValue() != null && !e.getValue().isEmpty()) {
                return e.getValue().get(0);
            }
        }
        return null;
    }
}
