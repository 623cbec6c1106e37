package io.deploytrack.notify;

import io.deploytrack.core.support.CallbackSignature;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * For receivers of {@link WebhookChannel}'s requests: checks the signature before anything else is read.
 *
 * <pre>{@code
 * WebhookVerifier verifier = WebhookVerifier.of(secret);
 * if (!verifier.isValid(request::getHeader, bodyBytes)) { respond 401; }
 * // then deduplicate on the X-Deploytrack-Delivery header (the CloudEvents id): a delivery may come twice
 * }</pre>
 *
 * <p>Give the exact bytes received (before any JSON parsing). A timestamp more than the tolerance (5 minutes by
 * default) from the receiver's clock is refused, which bounds replays; deduplicating on the delivery id closes that
 * window. Several secrets may be accepted at once while one is rotated.
 */
public final class WebhookVerifier {
    private final List<String> secrets;
    private final Duration tolerance;
    private final Clock clock;

    private WebhookVerifier(List<String> secrets, Duration tolerance, Clock clock) {
        if (secrets.isEmpty() || secrets.stream().anyMatch(s -> s == null || s.isEmpty())) {
            throw new IllegalArgumentException("a webhook verifier needs at least one non-empty secret");
        }
        this.secrets = List.copyOf(secrets);
        this.tolerance = Objects.requireNonNull(tolerance, "tolerance");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A verifier accepting these secrets (the new one and, while rotating, the old), 5 minutes' tolerance. */
    public static WebhookVerifier of(String... secrets) {
        return new WebhookVerifier(List.of(secrets), CallbackSignature.DEFAULT_TOLERANCE, Clock.systemUTC());
    }

    /** The same verifier with another tolerance and clock. */
    public WebhookVerifier with(Duration tolerance, Clock clock) {
        return new WebhookVerifier(secrets, tolerance, clock);
    }

    /**
     * The verdict for a request.
     *
     * @param header the request's headers by name (case as your server needs it); null when absent
     * @param body   the exact bytes received
     */
    public CallbackSignature.Verdict verify(Function<String, String> header, byte[] body) {
        return CallbackSignature.verify(secrets, header.apply(CallbackSignature.TIMESTAMP_HEADER),
                header.apply(CallbackSignature.SIGNATURE_HEADER), body, clock.instant(), tolerance);
    }

    /** Whether the request is signed with an accepted secret within the tolerance. */
    public boolean isValid(Function<String, String> header, byte[] body) {
        return verify(header, body) == CallbackSignature.Verdict.VALID;
    }

    @Override
    public String toString() {
        return "WebhookVerifier[secrets=" + secrets.size() + " (***), tolerance=" + tolerance + "]";
    }
}
