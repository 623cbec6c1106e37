package io.deploytrack.it;

import io.deploytrack.core.CreateResult;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentEvent;
import io.deploytrack.core.DeploymentUpdate;
import io.deploytrack.core.HistoryQuery;
import io.deploytrack.core.HistoryStore;
import io.deploytrack.core.LeaseInfo;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The store of an in-process instance that the test "kills": after {@link #kill()} every call fails, as the database
 * would see nothing more from a process that died, and the instance's listener runs no more.
 *
 * <p>An in-process kill is not atomic the way SIGKILL is: a worker thread may be between {@code onCompleted} and
 * {@code markNotified} when its executor is shut down. A real crash there makes the next instance notify again (the
 * documented at-least-once-on-crash). The several-instances test asserts <em>exactly</em> once, so the kill lands
 * between two notifications: {@link #beginNotification()} (called by the instance's listener) and
 * {@link #markNotified} hold a read lock that {@link #kill()} waits for. Everything else (polls, status writes,
 * lease renewals, claims) is cut wherever it is.
 */
final class KillableStore implements HistoryStore {
    private final HistoryStore delegate;
    private final String instanceId;
    private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
    private final ThreadLocal<Boolean> notifying = ThreadLocal.withInitial(() -> false);
    private volatile boolean dead;

    KillableStore(HistoryStore delegate, String instanceId) {
        this.delegate = delegate;
        this.instanceId = instanceId;
    }

    /** From now on the instance neither writes nor reads nor notifies. Returns once no notification is half done. */
    void kill() {
        gate.writeLock().lock();
        try {
            dead = true;
        } finally {
            gate.writeLock().unlock();
        }
    }

    boolean dead() {
        return dead;
    }

    /**
     * Called by the instance's {@code onCompleted} listener: false when the instance is dead (a dead process runs no
     * listener); true, holding the gate until this thread's {@link #markNotified}, otherwise.
     */
    boolean beginNotification() {
        gate.readLock().lock();
        if (dead) {
            gate.readLock().unlock();
            return false;
        }
        notifying.set(true);
        return true;
    }

    private void alive() {
        if (dead) {
            throw new IllegalStateException("instance " + instanceId + " was killed by the test");
        }
    }

    @Override
    public void markNotified(long id) {
        try {
            alive();
            delegate.markNotified(id);
        } finally {
            if (notifying.get()) {
                notifying.remove();
                gate.readLock().unlock();
            }
        }
    }

    @Override
    public CreateResult create(Deployment draft, String leaseOwner, Duration leaseDuration) {
        alive();
        return delegate.create(draft, leaseOwner, leaseDuration);
    }

    @Override
    public boolean update(DeploymentUpdate update) {
        alive();
        return delegate.update(update);
    }

    @Override
    public Optional<Deployment> find(long id) {
        alive();
        return delegate.find(id);
    }

    @Override
    public Optional<Deployment> findByIdempotencyKey(String idempotencyKey) {
        alive();
        return delegate.findByIdempotencyKey(idempotencyKey);
    }

    @Override
    public List<Deployment> list(HistoryQuery query) {
        alive();
        return delegate.list(query);
    }

    @Override
    public Optional<Deployment> latestSuccess(String owner, String repo, String environment, Deployment before,
                                              String excludingCommit) {
        alive();
        return delegate.latestSuccess(owner, repo, environment, before, excludingCommit);
    }

    @Override
    public List<DeploymentEvent> events(long deploymentId) {
        alive();
        return delegate.events(deploymentId);
    }

    @Override
    public void appendEvent(DeploymentEvent event) {
        alive();
        delegate.appendEvent(event);
    }

    @Override
    public void recordPush(io.deploytrack.core.PendingPush push) {
        alive();
        delegate.recordPush(push);
    }

    @Override
    public List<io.deploytrack.core.PendingPush> takePushes(String leaseOwner, int limit) {
        alive();
        return delegate.takePushes(leaseOwner, limit);
    }

    @Override
    public List<Deployment> findRunning(io.deploytrack.core.Push push, int limit) {
        alive();
        return delegate.findRunning(push, limit);
    }

    @Override
    public int pruneEvents(Instant olderThan) {
        alive();
        return delegate.pruneEvents(olderThan);
    }

    @Override
    public List<Deployment> claim(String owner, Duration leaseDuration, int limit, Set<String> sourceTypes) {
        alive();
        return delegate.claim(owner, leaseDuration, limit, sourceTypes);
    }

    @Override
    public Set<Long> renew(String owner, Collection<Long> ids, Duration leaseDuration) {
        alive();
        return delegate.renew(owner, ids, leaseDuration);
    }

    @Override
    public void release(String owner, Collection<Long> ids) {
        alive();
        delegate.release(owner, ids);
    }

    @Override
    public Optional<LeaseInfo> lease(long id) {
        alive();
        return delegate.lease(id);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
