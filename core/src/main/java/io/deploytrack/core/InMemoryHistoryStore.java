package io.deploytrack.core;

import io.deploytrack.core.internal.DeliveryFactsOfRows;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link HistoryStore} in memory, with the same semantics as the JDBC store: for tests and small hosts that do
 * not need the history to survive a restart. Thread-safe (one lock).
 */
public final class InMemoryHistoryStore implements HistoryStore {

    private static final Comparator<Deployment> NEWEST_FIRST = Comparator.comparing(Deployment::startedAt)
            .thenComparingLong(Deployment::id).reversed();
    private static final Comparator<Deployment> BY_DEPLOYED = Comparator.comparing(Deployment::deployedAt)
            .thenComparingLong(Deployment::id);

    private final Clock clock;
    private final Map<Long, Deployment> rows = new LinkedHashMap<>();
    private final Map<Long, LeaseInfo> leases = new HashMap<>();
    private final Set<Long> notified = new HashSet<>();
    private final List<DeploymentEvent> events = new ArrayList<>();
    private long nextId = 1;
    private long nextEventId = 1;
    private final List<PendingPush> pushes = new ArrayList<>();
    private long nextPushId = 1;

    /** A store on the system clock. */
    public static InMemoryHistoryStore of() {
        return new InMemoryHistoryStore(Clock.systemUTC());
    }

    /** A store whose leases follow {@code clock}. */
    public static InMemoryHistoryStore of(Clock clock) {
        return new InMemoryHistoryStore(clock);
    }

    private InMemoryHistoryStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public synchronized CreateResult create(Deployment draft, String leaseOwner, Duration leaseDuration) {
        Optional<Deployment> existing = draft.idempotencyKey() == null ? Optional.empty()
                : findByIdempotencyKey(draft.idempotencyKey());
        if (existing.isEmpty()) {
            existing = rows.values().stream()
                    .filter(d -> d.status() == DeploymentStatus.RUNNING && d.owner().equals(draft.owner())
                            && d.repo().equals(draft.repo()) && d.environment().equals(draft.environment())
                            && d.commitSha().equals(draft.commitSha()) && d.rollback() == draft.rollback())
                    .findFirst();
        }
        if (existing.isPresent()) {
            Deployment d = existing.get();
            LeaseInfo lease = leases.get(d.id());
            return new CreateResult(d, false, d.isTerminal() || lease == null ? null : lease.owner());
        }
        long id = nextId++;
        Deployment stored = draft.withId(id);
        rows.put(id, stored);
        leases.put(id, new LeaseInfo(leaseOwner, clock.instant().plus(leaseDuration)));
        appendEventLocked(DeploymentEvent.of(id, stored.startedAt(), DeploymentEvent.Type.STARTED, null, null, DeploymentStatus.RUNNING,
                null, null));
        return new CreateResult(stored, true, leaseOwner);
    }

    @Override
    public synchronized boolean update(DeploymentUpdate u) {
        u.requireLegalTransition();
        Deployment d = rows.get(u.id());
        if (d == null || d.status() != u.expectedStatus()) {
            return false;
        }
        List<DeploymentCheck> checks = new ArrayList<>(d.checks());
        for (DeploymentCheck c : u.checks()) {
            boolean replaced = false;
            for (int i = 0; i < checks.size(); i++) {
                if (checks.get(i).name().equals(c.name())) {
                    checks.set(i, c);
                    replaced = true;
                }
            }
            if (!replaced) {
                checks.add(c);
            }
        }
        DeploymentStatus status = u.newStatus() == null ? d.status() : u.newStatus();
        Instant started = u.startedAt() == null ? d.startedAt() : u.startedAt();
        Instant deployed = u.deployedAt() == null ? d.deployedAt() : u.deployedAt();
        Instant completed = u.completedAt() == null ? d.completedAt() : u.completedAt();
        String stage = u.errorStage() == null ? d.errorStage() : u.errorStage();
        String message = u.errorMessage() == null ? d.errorMessage() : u.errorMessage();
        Deployment next = new Deployment(d.id(), d.owner(), d.repo(), d.environment(), d.commitSha(), d.rollback(),
                d.rollbackOf(), d.idempotencyKey(), status, started, deployed, completed,
                completed == null || started == null ? null : Duration.between(started, completed), stage, message,
                checks, d.attributes());
        rows.put(d.id(), next);
        u.events().forEach(this::appendEventLocked);
        return true;
    }

    /** All under the store's one lock: the batch is atomic, as one transaction is. */
    @Override
    public synchronized List<UpdateOutcome> updateUnderLease(String leaseOwner, Duration leaseDuration,
                                                             List<DeploymentUpdate> updates) {
        updates.forEach(DeploymentUpdate::requireLegalTransition);
        Instant until = clock.instant().plus(leaseDuration);
        List<UpdateOutcome> out = new ArrayList<>(updates.size());
        for (DeploymentUpdate u : updates) {
            Deployment d = rows.get(u.id());
            LeaseInfo l = leases.get(u.id());
            if (d == null) {
                out.add(UpdateOutcome.STATUS_CHANGED);
            } else if (l == null || !leaseOwner.equals(l.owner())) {
                out.add(UpdateOutcome.LEASE_LOST);
            } else if (!update(u)) {
                out.add(UpdateOutcome.STATUS_CHANGED);
            } else {
                leases.put(u.id(), new LeaseInfo(leaseOwner, until));
                out.add(UpdateOutcome.APPLIED);
            }
        }
        return out;
    }

    @Override
    public synchronized Optional<Deployment> find(long id) {
        return Optional.ofNullable(rows.get(id));
    }

    @Override
    public synchronized Optional<Deployment> findByIdempotencyKey(String key) {
        return rows.values().stream().filter(d -> key.equals(d.idempotencyKey())).findFirst();
    }

    @Override
    public synchronized List<Deployment> list(HistoryQuery q) {
        return rows.values().stream().filter(q::matches).sorted(NEWEST_FIRST).skip(q.offset()).limit(q.limit())
                .toList();
    }

    @Override
    public synchronized Optional<Deployment> latestSuccess(String owner, String repo, String environment,
                                                          Deployment before, String excludingCommit) {
        return rows.values().stream()
                .filter(d -> d.status() == DeploymentStatus.SUCCESS && d.deployedAt() != null
                        && d.owner().equals(owner) && d.repo().equals(repo) && d.environment().equals(environment))
                .filter(d -> excludingCommit == null || !d.commitSha().equals(excludingCommit))
                .filter(d -> before == null || BY_DEPLOYED.compare(d, before) < 0)
                .max(BY_DEPLOYED);
    }

    @Override
    public synchronized List<Deployment> successesBefore(String owner, String repo, String environment,
                                                         Deployment before, int limit) {
        return rows.values().stream()
                .filter(d -> d.status() == DeploymentStatus.SUCCESS && d.deployedAt() != null
                        && d.owner().equals(owner) && d.repo().equals(repo) && d.environment().equals(environment))
                .filter(d -> before == null || BY_DEPLOYED.compare(d, before) < 0)
                .sorted(BY_DEPLOYED.reversed()).limit(limit).toList();
    }

    @Override
    public synchronized DeliveryFacts deliveryFacts(String owner, String repo, String environment, Instant from,
                                                    Instant to) {
        return DeliveryFactsOfRows.of(rows.values().stream().filter(d -> d.owner().equals(owner)
                && d.repo().equals(repo) && d.environment().equals(environment)).toList(), from, to);
    }

    @Override
    public synchronized List<DeploymentEvent> events(long deploymentId) {
        return events.stream().filter(e -> e.deploymentId() == deploymentId).toList();
    }

    @Override
    public synchronized void appendEvent(DeploymentEvent event) {
        appendEventLocked(event);
    }

    private void appendEventLocked(DeploymentEvent e) {
        events.add(new DeploymentEvent(nextEventId++, e.deploymentId(), e.at(), e.type(), e.checkName(),
                e.fromStatus(), e.toStatus(), e.sourceStatus(), e.message()));
    }

    @Override
    public synchronized int pruneEvents(Instant olderThan) {
        Set<Long> keep = new HashSet<>();
        Map<String, Deployment> newestSuccess = new HashMap<>();
        for (Deployment d : rows.values()) {
            if (d.status() == DeploymentStatus.RUNNING) {
                keep.add(d.id());
            } else if (d.status() == DeploymentStatus.SUCCESS && d.deployedAt() != null) {
                newestSuccess.merge(d.owner() + "/" + d.repo() + "/" + d.environment(), d,
                        (a, b) -> BY_DEPLOYED.compare(a, b) >= 0 ? a : b);
            }
        }
        newestSuccess.values().forEach(d -> keep.add(d.id()));
        int before = events.size();
        events.removeIf(e -> e.at().isBefore(olderThan) && !keep.contains(e.deploymentId()));
        return before - events.size();
    }

    @Override
    public synchronized List<Deployment> claim(String owner, Duration leaseDuration, int limit,
                                               Set<String> sourceTypes) {
        Instant now = clock.instant();
        List<Deployment> out = new ArrayList<>();
        for (Deployment d : rows.values()) {
            if (out.size() >= limit) {
                break;
            }
            boolean needsInstance = d.status() == DeploymentStatus.RUNNING || !notified.contains(d.id());
            if (!needsInstance) {
                continue;
            }
            LeaseInfo l = leases.get(d.id());
            boolean free = l == null || l.owner() == null || owner.equals(l.owner()) || !l.until().isAfter(now);
            boolean known = d.checks().stream().filter(c -> c.status() == DeploymentStatus.RUNNING)
                    .allMatch(c -> sourceTypes.contains(c.sourceType()));
            if (free && (known || d.isTerminal())) {
                leases.put(d.id(), new LeaseInfo(owner, now.plus(leaseDuration)));
                out.add(d);
            }
        }
        return out;
    }

    @Override
    public synchronized Set<Long> renew(String owner, Collection<Long> ids, Duration leaseDuration) {
        Instant until = clock.instant().plus(leaseDuration);
        Set<Long> held = new HashSet<>();
        for (Long id : ids) {
            LeaseInfo l = leases.get(id);
            Deployment d = rows.get(id);
            if (d != null && l != null && owner.equals(l.owner())) {
                leases.put(id, new LeaseInfo(owner, until));
                held.add(id);
            }
        }
        return held;
    }

    @Override
    public synchronized void release(String owner, Collection<Long> ids) {
        leases.entrySet().removeIf(e -> owner.equals(e.getValue().owner()) && (ids == null || ids.contains(e.getKey())));
    }

    @Override
    public synchronized Optional<LeaseInfo> lease(long id) {
        return Optional.ofNullable(leases.get(id));
    }

    @Override
    public synchronized void markAllNotified(Collection<Long> ids) {
        ids.forEach(this::markNotified);
    }

    @Override
    public synchronized void markNotified(long id) {
        notified.add(id);
        leases.remove(id);
    }

    @Override
    public synchronized void recordPush(PendingPush p) {
        if (!rows.containsKey(p.deploymentId())) {
            throw new DeploymentNotFoundException(p.deploymentId());
        }
        pushes.add(new PendingPush(nextPushId++, p.deploymentId(), p.checkName(), p.via(), p.deliveryId(),
                p.observation(), p.receivedAt()));
    }

    @Override
    public synchronized List<PendingPush> pendingPushes(String leaseOwner, int limit) {
        List<PendingPush> out = new ArrayList<>();
        for (PendingPush p : pushes) {
            if (out.size() >= limit) {
                break;
            }
            LeaseInfo l = leases.get(p.deploymentId());
            if (l != null && leaseOwner.equals(l.owner())) {
                out.add(p);
            }
        }
        return out;
    }

    @Override
    public synchronized void forgetPushes(Collection<Long> ids) {
        Set<Long> gone = Set.copyOf(ids);
        pushes.removeIf(p -> gone.contains(p.id()));
    }

    @Override
    public synchronized List<Deployment> findRunning(Push push, int limit) {
        return rows.values().stream().filter(d -> !d.isTerminal())
                .filter(d -> d.checks().stream().anyMatch(c -> !c.status().isTerminal() && push.selects(d, c)))
                .limit(limit).toList();
    }

    @Override
    public void close() {
        // nothing to free
    }
}
