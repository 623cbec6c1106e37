package io.deploytrack.webhook.internal;

import java.time.Duration;

/**
 * What the standalone server allows a client: how long its headers and its body may take, how many connections are
 * open at once in all and from one address, and how many requests are handled at once. Not public API.
 *
 * @param handlerThreads           requests handled at once (the receiver and the store), apart from reading them
 * @param headerTimeout            the request line and headers arrive within this, from the accept
 * @param bodyTimeout              the body arrives within this, from the end of the headers
 * @param maxConnections           connections open at once; more are answered 503 and closed
 * @param maxConnectionsPerAddress connections open at once from one remote address; more are answered 503 and closed
 */
public record ServerLimits(int handlerThreads, Duration headerTimeout, Duration bodyTimeout, int maxConnections,
                           int maxConnectionsPerAddress) {
}
