package io.deploytrack.examples.live;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.DeploymentListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;

/**
 * The tracker's changes as a {@link Flow.Publisher}: register it as a listener, subscribe a web UI's stream. A slow
 * subscriber loses changes (logged) rather than ever slowing tracking down.
 */
public final class DeploymentFeed implements DeploymentListener, Flow.Publisher<DeploymentChange>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeploymentFeed.class);

    private final SubmissionPublisher<DeploymentChange> publisher;
    private final Clock clock;

    /** A feed delivering on {@code executor}, buffering up to {@code buffer} changes per subscriber. */
    public DeploymentFeed(Executor executor, int buffer, Clock clock) {
        this.publisher = new SubmissionPublisher<>(executor, buffer);
        this.clock = clock;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super DeploymentChange> subscriber) {
        publisher.subscribe(subscriber);
    }

    @Override
    public void onStarted(Deployment d) {
        offer(DeploymentChange.of("started", d, null, clock.instant()));
    }

    @Override
    public void onStatusChanged(Deployment d, DeploymentCheck check) {
        if (!d.isTerminal()) {
            offer(DeploymentChange.of("status", d, check.lastSourceStatus(), clock.instant()));
        }
    }

    @Override
    public void onCompleted(Deployment d) {
        String last = d.checks().isEmpty() ? null : d.checks().get(d.checks().size() - 1).lastSourceStatus();
        offer(DeploymentChange.of("completed", d, last, clock.instant()));
    }

    private void offer(DeploymentChange c) {
        publisher.offer(c, (subscriber, dropped) -> {
            LOG.warn("live_feed_change_dropped deployment_id={} kind={}", dropped.id(), dropped.kind());
            return false;
        });
    }

    /** How many subscribers are connected. */
    public int subscribers() {
        return publisher.getNumberOfSubscribers();
    }

    @Override
    public void close() {
        publisher.close();
    }
}
