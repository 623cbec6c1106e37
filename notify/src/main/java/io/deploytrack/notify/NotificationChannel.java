package io.deploytrack.notify;

import java.util.concurrent.CompletionStage;

/**
 * Somewhere notifications go: Slack, a signed webhook, GitHub Deployments, or your own. Thread-safe; {@link #deliver}
 * never blocks (HTTP through the JDK client's asynchronous calls).
 */
public interface NotificationChannel {

    /**
     * The channel's name, unique among the channels of a database and stable across restarts: the delivery log is keyed
     * by it ({@code slack}, {@code webhook}, {@code github} by default).
     */
    String name();

    /** Which events this channel wants. */
    NotificationFilter filter();

    /**
     * Delivers one notification. The future completes with the result; an exceptional completion counts as a
     * transient error.
     */
    CompletionStage<DeliveryResult> deliver(Notification notification);
}
