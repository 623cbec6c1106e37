package io.deploytrack.git.internal;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * GitHub's rate-limit answer, read as GitHub's REST guide "Best practices for using the REST API" (section "Handle
 * rate limit errors appropriately") says: with a {@code retry-after} header, wait that many seconds; with
 * {@code x-ratelimit-remaining: 0}, wait until {@code x-ratelimit-reset} (UTC epoch seconds). A 403 or 429 carrying
 * neither is not a rate limit. Not public API.
 */
public final class RateLimit {
    private RateLimit() {
    }

    /** How long to wait before the next request, given {@code headers} of any answer; empty when no wait is due. */
    public static java.util.Optional<Duration> waitBefore(HttpHeaders headers, Instant now, boolean limitedAnswer) {
        OptionalLong retryAfter = number(headers, "retry-after");
        if (limitedAnswer && retryAfter.isPresent()) {
            return java.util.Optional.of(Duration.ofSeconds(Math.max(0, retryAfter.getAsLong())));
        }
        OptionalLong remaining = number(headers, "x-ratelimit-remaining");
        OptionalLong reset = number(headers, "x-ratelimit-reset");
        if (remaining.isPresent() && remaining.getAsLong() == 0 && reset.isPresent()) {
            Duration d = Duration.between(now, Instant.ofEpochSecond(reset.getAsLong()));
            return java.util.Optional.of(d.isNegative() ? Duration.ZERO : d);
        }
        return java.util.Optional.empty();
    }

    private static OptionalLong number(HttpHeaders headers, String name) {
        return headers.firstValue(name).map(String::strip).filter(v -> v.matches("\\d{1,12}"))
                .map(v -> OptionalLong.of(Long.parseLong(v))).orElse(OptionalLong.empty());
    }
}
