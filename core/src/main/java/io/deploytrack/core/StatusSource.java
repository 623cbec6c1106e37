package io.deploytrack.core;

/**
 * A kind of target that can say how a deployment is going: NCP SourceDeploy, a Kubernetes rollout, your own.
 *
 * <p>A source only translates its target's words into {@link Observation}s; the tracker owns deadlines, leases,
 * retries, store writes and listeners. Implementations are stateless and thread-safe. Implement one of the two
 * styles:
 * <ul>
 *   <li>{@link PollingSource}: answer one poll; the tracker's scheduler drives it, with backoff and batching;</li>
 *   <li>{@link WatchingSource}: push observations to a {@link CheckSink} (watches, informers, webhooks).</li>
 * </ul>
 * Sources are passed to the tracker's builder, or found through {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/io.deploytrack.core.StatusSource}; it needs a public no-argument constructor).
 */
public sealed interface StatusSource permits PollingSource, WatchingSource {

    /** The type stored with each check, e.g. {@code ncp}; it finds this source again on resume. */
    String type();

    /**
     * Checks a reference before anything is recorded; throw {@link InvalidRequestException} (or another
     * {@link IllegalArgumentException}) with a message that says what is wrong and what is expected.
     */
    default void validate(CheckRef ref) {
    }

    /**
     * An idempotency key derived from the reference, used when the caller gives none (e.g.
     * {@code ncp:{projectId}:{historyId}}), or null when the reference does not identify one attempt.
     */
    default String idempotencyKey(CheckRef ref) {
        return null;
    }
}
