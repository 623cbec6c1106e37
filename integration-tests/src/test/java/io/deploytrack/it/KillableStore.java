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

/**
 * The store of an in-process instance that the test "kills": after {@link #kill()} every call fails, as the database
 * would see nothing more from a process that died, and the instance's listener runs no more.
 *
 * <p>An in-process kill is not atomic the way SIGKILL is: an instance may be between {@code onCompleted} and
 * {@code markNotified} when its executor is shut down. A real crash there makes the next instance notify again (the
 * documented at-least-once-on-crash). The several-instances test asserts <em>exactly</em> once, so the kill lands
 * between two notifications: each {@link #beginNotification()} (called by the instance's listener) counts a
 * notification as begun until a {@link #markNotified} ends it (on whatever thread: the tracker writes the notified
 * marks of several ends together, on a worker), and {@link #kill()} waits until none is begun. Everything else
 * (polls, status writes, lease renewals, claims) is cut wherever it is.
 */
final class KillableStore implements HistoryStore {
    private final HistoryStore delegate;
    private final String instanceId;
    /** Notifications begun and not yet marked. Guarded by this. */
    private int notifying;
    private volatile boolean dead;

    KillableStore(HistoryStore delegate, String instanceId) {
        this.delegate = delegate;
        this.instanceId = instanceId;
    }

    /** From now on the instance neither writes nor reads nor notifies. Returns once no notification is half done. */
    synchronized void kill() {
        boolean interrupted = false;
        while (notifying > 0) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        dead = true;
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    boolean dead() {
        return dead;
    }

    /**
     * Called by the instance's {@code onCompleted} listener: false when the instance is dead (a dead process runs no
     * listener); true, counting the notification as begun until its {@link #markNotified}, otherwise.
     */
    synchronized boolean beginNotification() {
        if (dead) {
            return false;
        }
        notifying++;
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
            synchronized (this) {
                if (notifying > 0) {
                    notifying--;
                    notifyAll();
                }
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
    public List<io.deploytrack.core.PendingPush> pendingPushes(String leaseOwner, int limit) {
        alive();
        return delegate.pendingPushes(leaseOwner, limit);
    }

    @Override
    public void forgetPushes(java.util.Collection<Long> ids) {
        alive();
        delegate.forgetPushes(ids);
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
