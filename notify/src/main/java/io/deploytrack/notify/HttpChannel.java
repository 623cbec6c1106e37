package io.deploytrack.notify;

import io.deploytrack.notify.internal.HttpOptions;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;

/**
 * What the HTTP channels (Slack, signed webhook, GitHub) hold alike: their name, their filter and their HTTP settings.
 * Each channel adds its own request and answer handling.
 */
abstract class HttpChannel implements NotificationChannel {
    /** The channel's name in the delivery log. */
    final String name;
    /** Which notifications it wants. */
    final NotificationFilter filter;
    /** The client requests go through. */
    final HttpClient http;
    /** How long one request may take. */
    final Duration timeout;
    /** For {@code Retry-After} dates and signature timestamps. */
    final Clock clock;

    HttpChannel(String name, NotificationFilter filter, HttpOptions options) {
        this.name = name;
        this.filter = filter;
        this.http = options.clientOrDefault();
        this.timeout = options.timeout();
        this.clock = options.clock();
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final NotificationFilter filter() {
        return filter;
    }
}
