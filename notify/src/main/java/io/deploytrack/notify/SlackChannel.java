package io.deploytrack.notify;

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
 * Slack through an incoming webhook: one message per end ("acme/web deployed to production in 45 s"; failures with
 * the error stage and message; rollbacks said as such), and optionally one per start. The body is
 * {@code {"text": "..."}}. The webhook URL is a secret: it never appears in logs, {@code toString} or errors.
 */
public final class SlackChannel extends HttpChannel {
    private final URI webhook;
    private final SlackTemplates templates;

    private SlackChannel(Builder b) {
        super(b.name, b.started ? b.filter.withStatus(DeploymentStatus.RUNNING) : b.filter, b.http);
        this.webhook = b.webhook;
        this.templates = b.templates;
    }

    /** A builder posting to this incoming webhook URL ({@code https://hooks.slack.com/services/...}). */
    public static Builder builder(URI webhook) {
        return new Builder(webhook);
    }

    /** The templates used. */
    public SlackTemplates templates() {
        return templates;
    }

    /** The JSON body posted for a notification. */
    public String body(Notification n) {
        return DeploymentJson.MAPPER.createObjectNode().put("text", templates.render(n)).toString();
    }

    @Override
    public CompletionStage<DeliveryResult> deliver(Notification n) {
        HttpRequest request = HttpRequest.newBuilder(webhook).timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body(n), StandardCharsets.UTF_8)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> Http.classify(r, "Slack", clock))
                .exceptionally(e -> DeliveryResult.retry("Slack not reachable: " + Http.cause(e), null));
    }

    @Override
    public String toString() {
        return "SlackChannel[" + name + ", " + webhook.getHost() + "/***]";
    }

    /** Configuration of a {@link SlackChannel}. */
    public static final class Builder {
        private final URI webhook;
        private String name = "slack";
        private NotificationFilter filter = NotificationFilter.ENDS;
        private boolean started;
        private SlackTemplates templates = SlackTemplates.ENGLISH;
        private final HttpOptions http = new HttpOptions();

        private Builder(URI webhook) {
            Objects.requireNonNull(webhook, "webhook");
            if (!"https".equals(webhook.getScheme()) && !"http".equals(webhook.getScheme())) {
                throw new IllegalArgumentException("the Slack webhook URL must be http(s)://...: got scheme '"
                        + webhook.getScheme() + "'");
            }
            this.webhook = webhook;
        }

        /** The channel's name in the delivery log (default {@code slack}); give each Slack channel its own. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Which ends to announce (default: all ends of every project and environment). */
        public Builder filter(NotificationFilter filter) {
            this.filter = Objects.requireNonNull(filter, "filter");
            return this;
        }

        /** Also announce starts (default: off). */
        public Builder startedMessages(boolean on) {
            this.started = on;
            return this;
        }

        /** The message texts (default {@link SlackTemplates#ENGLISH}; {@link SlackTemplates#KOREAN} included). */
        public Builder templates(SlackTemplates templates) {
            this.templates = Objects.requireNonNull(templates, "templates");
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

        /** The clock that turns a {@code Retry-After} date into a delay. */
        public Builder clock(Clock clock) {
            this.http.clock(clock);
            return this;
        }

        /** Builds the channel. */
        public SlackChannel build() {
            return new SlackChannel(this);
        }
    }
}
