package io.deploytrack.jdbc;

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

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@link HistoryStore} operations of {@link JdbcHistoryStore}, each handed to the part of the store that does it:
 * {@link HistoryInserts} (create), {@link HistoryUpdates} (updates and the group commit), {@link HistoryReads} (reads
 * and events), {@link HistoryLeases} (the lease protocol) and {@link HistoryPushes} (pushed observations). They share
 * the store's transactions ({@link StoreCalls}) and its rows ({@link HistoryRows}).
 */
abstract class HistoryStoreOperations implements HistoryStore {
    private final StoreCalls calls;
    private final HistoryRows rows;
    private final HistoryInserts inserts;
    private final HistoryUpdates updates;
    private final HistoryReads reads;
    private final HistoryLeases leases;
    private final HistoryPushes pushes;

    HistoryStoreOperations(StoreCalls calls, HistoryRows rows, Clock clock, Duration checklessTimeout) {
        this.calls = calls;
        this.rows = rows;
        this.inserts = new HistoryInserts(calls, rows, clock);
        this.updates = new HistoryUpdates(calls, rows, clock);
        this.reads = new HistoryReads(calls, rows);
        this.leases = new HistoryLeases(calls, rows, clock, checklessTimeout);
        this.pushes = new HistoryPushes(calls, rows);
    }

    final StoreCalls calls() {
        return calls;
    }

    final HistoryRows rows() {
        return rows;
    }

    @Override
    public CreateResult create(Deployment draft, String leaseOwner, Duration leaseDuration) {
        return inserts.create(draft, leaseOwner, leaseDuration);
    }

    @Override
    public boolean update(DeploymentUpdate u) {
        return updates.update(u);
    }

    /** Group commit: every update of the batch in one write transaction ({@code BEGIN IMMEDIATE} on SQLite). */
    @Override
    public List<UpdateOutcome> updateUnderLease(String leaseOwner, Duration leaseDuration,
                                                List<DeploymentUpdate> updates) {
        return this.updates.updateUnderLease(leaseOwner, leaseDuration, updates);
    }

    @Override
    public Optional<Deployment> find(long id) {
        return reads.find(id);
    }

    @Override
    public Optional<Deployment> findByIdempotencyKey(String key) {
        return reads.findByIdempotencyKey(key);
    }

    @Override
    public List<Deployment> list(HistoryQuery q) {
        return reads.list(q);
    }

    @Override
    public Optional<Deployment> latestSuccess(String owner, String repo, String environment, Deployment before,
                                              String excludingCommit) {
        return reads.latestSuccess(owner, repo, environment, before, excludingCommit);
    }

    @Override
    public List<Deployment> successesBefore(String owner, String repo, String environment, Deployment before,
                                            int limit) {
        return reads.successesBefore(owner, repo, environment, before, limit);
    }

    @Override
    public DeliveryFacts deliveryFacts(String owner, String repo, String environment, Instant from, Instant to) {
        return reads.deliveryFacts(owner, repo, environment, from, to);
    }

    @Override
    public List<DeploymentEvent> events(long deploymentId) {
        return reads.events(deploymentId);
    }

    @Override
    public void appendEvent(DeploymentEvent event) {
        reads.appendEvent(event);
    }

    @Override
    public int pruneEvents(Instant olderThan) {
        return reads.pruneEvents(olderThan);
    }

    @Override
    public List<Deployment> claim(String owner, Duration leaseDuration, int limit, Set<String> sourceTypes) {
        return leases.claim(owner, leaseDuration, limit, sourceTypes);
    }

    @Override
    public Set<Long> renew(String owner, Collection<Long> ids, Duration leaseDuration) {
        return leases.renew(owner, ids, leaseDuration);
    }

    @Override
    public void release(String owner, Collection<Long> ids) {
        leases.release(owner, ids);
    }

    @Override
    public Optional<LeaseInfo> lease(long id) {
        return leases.lease(id);
    }

    /** One transaction for all of them. */
    @Override
    public void markAllNotified(Collection<Long> ids) {
        leases.markAllNotified(ids);
    }

    @Override
    public void markNotified(long id) {
        leases.markNotified(id);
    }

    @Override
    public void recordPush(PendingPush p) {
        pushes.recordPush(p);
    }

    @Override
    public List<PendingPush> pendingPushes(String leaseOwner, int limit) {
        return pushes.pendingPushes(leaseOwner, limit);
    }

    @Override
    public void forgetPushes(Collection<Long> ids) {
        pushes.forgetPushes(ids);
    }

    @Override
    public List<Deployment> findRunning(Push push, int limit) {
        return pushes.findRunning(push, limit);
    }
}
