package io.deploytrack.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where the history lives. Implementations: {@link InMemoryHistoryStore} here, {@code JdbcHistoryStore} (SQLite,
 * PostgreSQL) in {@code deploytrack-jdbc}. Methods block; the tracker calls them from its worker threads. Every
 * implementation passes the same contract test suite.
 *
 * <p>Rules every implementation keeps:
 * <ul>
 *   <li>idempotency keys are unique; at most one {@code running} row per (owner, repo, environment, commit,
 *       rollback);</li>
 *   <li>every status change is a compare-and-set ({@link DeploymentUpdate#expectedStatus()});</li>
 *   <li>every status change keeps the transition table ({@link DeploymentStatus#canTransitionTo}): an illegal one is
 *       refused with {@link IllegalTransitionException} before the row is looked at, whatever the stored status
 *       ({@link DeploymentUpdate#requireLegalTransition()}); whether a change is a reconcile, which alone may move a
 *       {@code timed_out} deployment on, travels in {@link DeploymentUpdate#reconcile()};</li>
 *   <li>leases are measured by the store's clock (the database's {@code now()} where there is one).</li>
 * </ul>
 *
 * <p>Failures: every method throws a {@link HistoryStoreException} (a store's own subtype, such as jdbc's
 * {@code StoreException}) when the store cannot do what was asked (database unreachable, write failed, store closed).
 * Besides that, only {@link #update} throws: {@link IllegalTransitionException} for a refused transition. A missing
 * row is never an exception: {@code find} returns empty, {@code update} returns false, and the lease methods skip it.
 * Stores do not throw checked exceptions.
 */
public interface HistoryStore extends AutoCloseable {

    /**
     * Records a new running deployment and its checks in one transaction, leased to {@code leaseOwner}, unless one
     * with the same idempotency key or the same running identity exists: then that one is returned, unchanged.
     *
     * @param draft a running deployment; its id is ignored
     * @throws HistoryStoreException when the store cannot write
     */
    CreateResult create(Deployment draft, String leaseOwner, Duration leaseDuration);

    /**
     * Applies a compare-and-set update; false when the deployment no longer has the expected status (or is gone).
     *
     * @throws IllegalTransitionException when the update's status change is one the transition table refuses
     *                                    ({@code expectedStatus -> newStatus}, see {@link DeploymentUpdate#reconcile()});
     *                                    nothing is written then, whatever the stored status is
     * @throws HistoryStoreException      when the store cannot write
     */
    boolean update(DeploymentUpdate update);

    /**
     * Group commit: applies {@code updates} in order, in one transaction where the store has them (one
     * {@code BEGIN IMMEDIATE} on SQLite), each as its own compare-and-set under the caller's lease. An update applies
     * only while {@code leaseOwner} holds the row's lease (which is then extended by {@code leaseDuration}, as
     * {@link #renew} does) and the row has the update's {@link DeploymentUpdate#expectedStatus()}; its checks and
     * events are written with it. One refused update does not refuse the others.
     *
     * <p>The default applies them one by one ({@link #renew}, then {@link #update}); stores with transactions
     * override it so that a batch costs one commit.
     *
     * @param leaseOwner    the instance that must hold each row's lease
     * @param leaseDuration how far each applied row's lease is extended
     * @param updates       the updates, applied in this order (several may name the same deployment)
     * @return one outcome per update, in the same order
     * @throws IllegalTransitionException when any update's status change is one the transition table refuses; nothing
     *                                    of the batch is written then
     * @throws HistoryStoreException      when the store cannot write (then none of the batch is written where the
     *                                    store has transactions)
     */
    default List<UpdateOutcome> updateUnderLease(String leaseOwner, Duration leaseDuration,
                                                 List<DeploymentUpdate> updates) {
        updates.forEach(DeploymentUpdate::requireLegalTransition);
        List<UpdateOutcome> out = new java.util.ArrayList<>(updates.size());
        for (DeploymentUpdate u : updates) {
            if (!renew(leaseOwner, List.of(u.id()), leaseDuration).contains(u.id())) {
                out.add(UpdateOutcome.LEASE_LOST);
            } else {
                out.add(update(u) ? UpdateOutcome.APPLIED : UpdateOutcome.STATUS_CHANGED);
            }
        }
        return out;
    }

    /** One deployment with its checks. */
    Optional<Deployment> find(long id);

    /** The deployment recorded under this idempotency key. */
    Optional<Deployment> findByIdempotencyKey(String idempotencyKey);

    /** A page of history, newest first. */
    List<Deployment> list(HistoryQuery query);

    /**
     * The newest {@code success} of (owner, repo, environment) by {@code deployedAt} (ties by id), optionally only
     * those before {@code before} (by deployedAt, then id) and with a commit other than {@code excludingCommit}.
     */
    Optional<Deployment> latestSuccess(String owner, String repo, String environment, Deployment before,
                                       String excludingCommit);

    /**
     * Up to {@code limit} successes of (owner, repo, environment), newest first by {@code deployedAt} (ties by id),
     * optionally only those before {@code before} (by deployedAt, then id). The rollback target walks these. The
     * default asks {@link #latestSuccess} once per row; stores override it with one query.
     *
     * @param limit at most this many, 1 or more
     */
    default List<Deployment> successesBefore(String owner, String repo, String environment, Deployment before,
                                             int limit) {
        List<Deployment> out = new java.util.ArrayList<>();
        Deployment cursor = before;
        while (out.size() < limit) {
            Optional<Deployment> next = latestSuccess(owner, repo, environment, cursor, null);
            if (next.isEmpty()) {
                break;
            }
            cursor = next.get();
            out.add(cursor);
        }
        return out;
    }

    /**
     * What insights need of one project and environment over {@code [from, to)}, by the rules of
     * {@link DeliveryFacts}. The default reads the target's rows through {@link #list} and works them out in Java;
     * stores override it with queries that do the work in the database.
     */
    default DeliveryFacts deliveryFacts(String owner, String repo, String environment, Instant from, Instant to) {
        List<Deployment> rows = new java.util.ArrayList<>();
        HistoryQuery page = HistoryQuery.project(owner, repo, 10_000).inEnvironment(environment);
        while (true) {
            List<Deployment> got = list(page);
            rows.addAll(got);
            if (got.size() < page.limit()) {
                break;
            }
            page = page.next();
        }
        return io.deploytrack.core.internal.DeliveryFactsOfRows.of(rows, from, to);
    }

    /** The event log of a deployment, oldest first. */
    List<DeploymentEvent> events(long deploymentId);

    /** Appends one event. */
    void appendEvent(DeploymentEvent event);

    /**
     * Deletes events older than {@code olderThan}, except those of running deployments and of the newest success of
     * each project and environment. Returns how many were deleted.
     */
    int pruneEvents(Instant olderThan);

    /**
     * Leases to {@code owner} up to {@code limit} rows that need an instance: running rows whose lease is free,
     * expired, or already the owner's, and terminal rows whose completion was never notified, provided every
     * running check of the row has a type in {@code sourceTypes}.
     */
    List<Deployment> claim(String owner, Duration leaseDuration, int limit, Set<String> sourceTypes);

    /** Extends the owner's leases on these rows; returns the ids it still holds. */
    Set<Long> renew(String owner, Collection<Long> ids, Duration leaseDuration);

    /** Gives up the owner's leases on these rows (all of them when {@code ids} is null). */
    void release(String owner, Collection<Long> ids);

    /** The lease of a row. */
    Optional<LeaseInfo> lease(long id);

    /** Records that {@code onCompleted} ran for a terminal deployment, and frees its lease. */
    void markNotified(long id);

    /**
     * {@link #markNotified(long)} for several deployments at once: one transaction where the store has them. The
     * default marks them one by one.
     *
     * @param ids terminal deployments whose {@code onCompleted} ran
     */
    default void markAllNotified(Collection<Long> ids) {
        ids.forEach(this::markNotified);
    }

    /**
     * Records a pushed observation for whichever instance holds (or next claims) the deployment's lease, to
     * {@linkplain #pendingPushes take}; durable when this returns. Nothing else of the deployment changes.
     */
    void recordPush(PendingPush push);

    /**
     * Returns, oldest first, up to {@code limit} recorded pushes of deployments leased to {@code leaseOwner}, without
     * removing them: a push stays recorded until {@link #forgetPushes} removes it, which the lease holder does only
     * after what the push changed is committed. So a push whose application could not be written (the store failed,
     * the process died) is returned again, to whoever holds the lease then; applying it again is harmless, since
     * every change is a compare-and-set against what is stored.
     */
    List<PendingPush> pendingPushes(String leaseOwner, int limit);

    /**
     * Removes recorded pushes (ids of {@link #pendingPushes}) whose application is committed or moot; ids no longer
     * recorded are ignored. Durable when this returns.
     *
     * @param ids the pushes' store ids
     */
    void forgetPushes(Collection<Long> ids);

    /**
     * The running deployments with a running check that {@code push} selects, at most {@code limit}. The default
     * reads every running row; stores override it with a query.
     */
    default List<Deployment> findRunning(Push push, int limit) {
        List<Deployment> out = new java.util.ArrayList<>();
        HistoryQuery page = HistoryQuery.all(1000).withStatus(DeploymentStatus.RUNNING);
        while (out.size() < limit) {
            List<Deployment> rows = list(page);
            for (Deployment d : rows) {
                Deployment full = d.checks().isEmpty() ? find(d.id()).orElse(d) : d;
                if (out.size() < limit && !full.isTerminal() && full.checks().stream()
                        .anyMatch(c -> !c.status().isTerminal() && push.selects(full, c))) {
                    out.add(full);
                }
            }
            if (rows.size() < page.limit()) {
                break;
            }
            page = page.next();
        }
        return out;
    }

    /** Closes connections; the store is unusable afterwards. */
    @Override
    void close();
}
