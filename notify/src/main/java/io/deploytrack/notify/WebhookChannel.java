package io.deploytrack.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deploytrack.core.support.CallbackSignature;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.notify.internal.DeploymentJson;
import io.deploytrack.notify.internal.Http;
import io.deploytrack.notify.internal.HttpOptions;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * A signed webhook: a JSON POST in the CloudEvents 1.0 structured format ({@code Content-Type:
 * application/cloudevents+json}):
 *
 * <pre>
 * {"specversion": "1.0", "id": "&lt;event id&gt;", "source": "/deploytrack", "type": "io.deploytrack.deployment.succeeded",
 *  "subject": "acme/web", "time": "&lt;event time&gt;", "datacontenttype": "application/json",
 *  "data": {&lt;the deployment with the CLI's --json keys&gt;}}
 * </pre>
 *
 * <p>Types: {@code io.deploytrack.deployment.started|succeeded|failed|cancelled|timed_out}. {@code id} is the event's
 * id, the same on every attempt, so a receiver deduplicates on it. Headers: {@code X-Deploytrack-Delivery} (the
 * {@code id}), {@code X-Deploytrack-Timestamp} (Unix seconds) and {@code X-Deploytrack-Signature:
 * sha256=<hex of HMAC-SHA256(secret, timestamp + "." + body)>} ({@link CallbackSignature}); receivers check them with
 * {@link WebhookVerifier}. The secret never appears in logs, {@code toString} or errors.
 */
public final class WebhookChannel extends HttpChannel {
    /** The prefix of every CloudEvents type this channel sends. */
    public static final String TYPE_PREFIX = "io.deploytrack.deployment.";

    private final URI url;
    private final String secret;
    private final String source;

    private WebhookChannel(Builder b) {
        super(b.name, b.filter, b.http);
        this.url = b.url;
        this.secret = b.secret;
        this.source = b.source;
    }

    /**
     * A builder posting to {@code url}, signing with {@code secret}.
     *
     * @throws IllegalArgumentException when the secret is empty or the URL is not http(s)
     */
    public static Builder builder(URI url, String secret) {
        return new Builder(url, secret);
    }

    /** The CloudEvents type of a notification: {@code io.deploytrack.deployment.<started|succeeded|...>}. */
    public static String type(Notification n) {
        return TYPE_PREFIX + switch (n.status()) {
            case RUNNING -> "started";
            case SUCCESS -> "succeeded";
            case FAILED -> "failed";
            case CANCELLED -> "cancelled";
            case TIMED_OUT -> "timed_out";
        };
    }

    /** The CloudEvents body of a notification. */
    public String body(Notification n) {
        ObjectNode e = DeploymentJson.MAPPER.createObjectNode();
        e.put("specversion", "1.0");
        e.put("id", String.valueOf(n.eventId()));
        e.put("source", source);
        e.put("type", type(n));
        e.put("subject", n.deployment().project());
        e.put("time", DeploymentJson.time(n.eventAt()));
        e.put("datacontenttype", "application/json");
        ObjectNode data = DeploymentJson.of(n.deployment());
        if (n.isMarked()) {
            data.put("markedReason", n.reason());
        }
        e.set("data", data);
        return e.toString();
    }

    @Override
    public CompletionStage<DeliveryResult> deliver(Notification n) {
        byte[] body = body(n).getBytes(StandardCharsets.UTF_8);
        long timestamp = clock.instant().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/cloudevents+json; charset=utf-8")
                .header(CallbackSignature.DELIVERY_HEADER, String.valueOf(n.eventId()))
                .header(CallbackSignature.TIMESTAMP_HEADER, String.valueOf(timestamp))
                .header(CallbackSignature.SIGNATURE_HEADER, CallbackSignature.sign(secret, timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> Http.classify(r, "the webhook " + url.getHost(), clock))
                .exceptionally(e -> DeliveryResult.retry("the webhook " + url.getHost() + " is not reachable: "
                        + Http.cause(e), null));
    }

    @Override
    public String toString() {
        return "WebhookChannel[" + name + ", " + url.getScheme() + "://" + url.getAuthority() + ", secret=***]";
    }

    /** Configuration of a {@link WebhookChannel}. */
    public static final class Builder {
        private final URI url;
        private final String secret;
        private String name = "webhook";
        private String source = "/deploytrack";
        private NotificationFilter filter = NotificationFilter.ALL;
        private final HttpOptions http = new HttpOptions();

        private Builder(URI url, String secret) {
            Objects.requireNonNull(url, "url");
            if (!"https".equals(url.getScheme()) && !"http".equals(url.getScheme())) {
                throw new IllegalArgumentException("the webhook URL must be http(s)://...: got scheme '"
                        + url.getScheme() + "'");
            }
            if (secret == null || secret.isBlank()) {
                throw new IllegalArgumentException("the webhook secret is empty: set a shared secret "
                        + "(DEPLOYTRACK_WEBHOOK_SIGNING_SECRET for the CLI) that the receiver verifies with");
            }
            this.url = url;
            this.secret = secret;
        }

        /** The channel's name in the delivery log (default {@code webhook}). */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** The CloudEvents {@code source} (default {@code /deploytrack}). */
        public Builder source(String source) {
            this.source = Objects.requireNonNull(source, "source");
            return this;
        }

        /** Which events to send (default: starts and ends of every project and environment). */
        public Builder filter(NotificationFilter filter) {
            this.filter = Objects.requireNonNull(filter, "filter");
            return this;
        }

        /** Without start events. */
        public Builder endsOnly() {
            this.filter = filter.onlyStatuses(java.util.EnumSet.of(DeploymentStatus.SUCCESS, DeploymentStatus.FAILED,
                    DeploymentStatus.CANCELLED, DeploymentStatus.TIMED_OUT));
            return this;
        }

        /** The HTTP client (default: a JDK client with a 5 s connect timeout). */
        public Builder httpClient(HttpClient http) {
            this.http.client(http);
            return this;
        }

        /** How long one request may take (default 10 s). */
        public Builder timeout(Duration timeout) {
            this.http.timeout(timeout);
            return this;
        }

        /** The clock of the signature's timestamp (default: the system clock). */
        public Builder clock(Clock clock) {
            this.http.clock(clock);
            return this;
        }

        /** Builds the channel. */
        public WebhookChannel build() {
            return new WebhookChannel(this);
        }
    }
}
