package io.deploytrack.notify.internal;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * The HTTP settings every HTTP channel's builder has (client, timeout per request, clock for {@code Retry-After}),
 * with their defaults in one place. Mutable, held by a builder only. Not public API.
 */
public final class HttpOptions {
    private HttpClient client;
    private Duration timeout = Duration.ofSeconds(10);
    private Clock clock = Clock.systemUTC();

    /** Sets the client. */
    public void client(HttpClient client) {
        this.client = Objects.requireNonNull(client, "http");
    }

    /** Sets how long one request may take. */
    public void timeout(Duration timeout) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** Sets the clock. */
    public void clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The client given, or a new JDK client with a 5 s connect timeout. */
    public HttpClient clientOrDefault() {
        return client != null ? client : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** How long one request may take (default 10 s). */
    public Duration timeout() {
        return timeout;
    }

    /** The clock (default: the system clock, UTC). */
    public Clock clock() {
        return clock;
    }
}
