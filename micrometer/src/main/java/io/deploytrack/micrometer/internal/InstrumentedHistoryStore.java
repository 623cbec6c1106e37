package io.deploytrack.micrometer.internal;

import io.deploytrack.core.CreateResult;
import io.deploytrack.core.DeliveryFacts;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentEvent;
import io.deploytrack.core.DeploymentUpdate;
import io.deploytrack.core.HistoryQuery;
import io.deploytrack.core.HistoryStore;
import io.deploytrack.core.LeaseInfo;
import io.deploytrack.core.PendingPush;
import io.deploytrack.core.Push;
import io.deploytrack.core.UpdateOutcome;
import io.deploytrack.micrometer.DeploytrackMeterNames;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A {@link HistoryStore} that times every operation of the store it wraps ({@code deploytrack.store.operations},
 * tag {@code operation}); failures are timed too, and rethrown unchanged. Not public API.
 */
public final class InstrumentedHistoryStore implements HistoryStore {
    private final HistoryStore delegate;
    private final MeterRegistry registry;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    /** Wraps {@code delegate}, registering timers in {@code registry}. */
    public InstrumentedHistoryStore(HistoryStore delegate, MeterRegistry registry) {
        this.delegate = delegate;
        this.registry = registry;
    }

    /** The wrapped store. */
    public HistoryStore delegate() {
        return delegate;
    }

    private <T> T timed(String operation, Supplier<T> call) {
        Timer timer = timers.computeIfAbsent(operation, op -> Timer.builder(DeploytrackMeterNames.STORE_OPERATIONS)
                .description("deploytrack history store operations")
                .tag(DeploytrackMeterNames.TAG_OPERATION, op)
                .register(registry));
        long start = System.nanoTime();
        try {
            return call.get();
        } finally {
            timer.record(Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private void timedRun(String operation, Runnable call) {
        timed(operation, () -> {
            call.run();
            return null;
        });
    }

    @Override
    public CreateResult create(Deployment draft, String leaseOwner, Duration leaseDuration) {
        return timed("create", () -> delegate.create(draft, leaseOwner, leaseDuration));
    }

    @Override
    public boolean update(DeploymentUpdate update) {
        return timed("update", () -> delegate.update(update));
    }

    @Override
    public Optional<Deployment> find(long id) {
        return timed("find", () -> delegate.find(id));
    }

    @Override
    public Optional<Deployment> findByIdempotencyKey(String idempotencyKey) {
        return timed("find_by_idempotency_key", () -> delegate.findByIdempotencyKey(idempotencyKey));
    }

    @Override
    public List<Deployment> list(HistoryQuery query) {
        return timed("list", () -> delegate.list(query));
    }

    @Override
    public Optional<Deployment> latestSuccess(String owner, String repo, String environment, Deployment before,
                                              String excludingCommit) {
        return timed("latest_success", () -> delegate.latestSuccess(owner, repo, environment, before, excludingCommit));
    }

    @Override
    public List<Deployment> successesBefore(String owner, String repo, String environment, Deployment before,
                                            int limit) {
        return timed("successes_before", () -> delegate.successesBefore(owner, repo, environment, before, limit));
    }

    @Override
    public DeliveryFacts deliveryFacts(String owner, String repo, String environment, Instant from, Instant to) {
        return timed("delivery_facts", () -> delegate.deliveryFacts(owner, repo, environment, from, to));
    }

    @Override
    public List<DeploymentEvent> events(long deploymentId) {
        return timed("events", () -> delegate.events(deploymentId));
    }

    @Override
    public void appendEvent(DeploymentEvent event) {
        timedRun("append_event", () -> delegate.appendEvent(event));
    }

    @Override
    public int pruneEvents(Instant olderThan) {
        return timed("prune_events", () -> delegate.pruneEvents(olderThan));
    }

    @Override
    public List<Deployment> claim(String owner, Duration leaseDuration, int limit, Set<String> sourceTypes) {
        return timed("claim", () -> delegate.claim(owner, leaseDuration, limit, sourceTypes));
    }

    @Override
    public Set<Long> renew(String owner, Collection<Long> ids, Duration leaseDuration) {
        return timed("renew", () -> delegate.renew(owner, ids, leaseDuration));
    }

    @Override
    public void release(String owner, Collection<Long> ids) {
        timedRun("release", () -> delegate.release(owner, ids));
    }

    @Override
    public Optional<LeaseInfo> lease(long id) {
        return timed("lease", () -> delegate.lease(id));
    }

    @Override
    public void markNotified(long id) {
        timedRun("mark_notified", () -> delegate.markNotified(id));
    }

    @Override
    public List<UpdateOutcome> updateUnderLease(String leaseOwner, Duration leaseDuration,
                                                List<DeploymentUpdate> updates) {
        return timed("update_under_lease", () -> delegate.updateUnderLease(leaseOwner, leaseDuration, updates));
    }

    @Override
    public void markAllNotified(Collection<Long> ids) {
        timedRun("mark_all_notified", () -> delegate.markAllNotified(ids));
    }

    @Override
    public void recordPush(PendingPush push) {
        timedRun("record_push", () -> delegate.recordPush(push));
    }

    @Override
    public List<PendingPush> pendingPushes(String leaseOwner, int limit) {
        return timed("pending_pushes", () -> delegate.pendingPushes(leaseOwner, limit));
    }

    @Override
    public void forgetPushes(Collection<Long> ids) {
        timedRun("forget_pushes", () -> delegate.forgetPushes(ids));
    }

    @Override
    public List<Deployment> findRunning(Push push, int limit) {
        return timed("find_running", () -> delegate.findRunning(push, limit));
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return "InstrumentedHistoryStore[" + delegate + "]";
    }
}
