package io.deploytrack.core.internal;

import io.deploytrack.core.CheckSpec;
import io.deploytrack.core.CreateResult;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.DeploymentEvent;
import io.deploytrack.core.DeploymentHandle;
import io.deploytrack.core.DeploymentListener;
import io.deploytrack.core.DeploymentNotFoundException;
import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.DeploymentUpdate;
import io.deploytrack.core.Following;
import io.deploytrack.core.HistoryStore;
import io.deploytrack.core.InvalidRequestException;
import io.deploytrack.core.Observation;
import io.deploytrack.core.PollingSource;
import io.deploytrack.core.StatusSource;
import io.deploytrack.core.TrackerClosedException;
import io.deploytrack.core.WatchingSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The tracker's machinery: follows, deadlines, leases, the state machine's writes, listeners. Not public API; use
 * {@link io.deploytrack.core.DeploymentTracker}.
 */
public final class TrackerEngine {
    static final Logger LOG = LoggerFactory.getLogger("io.deploytrack.tracker");

    private final HistoryStore store;
    private final Map<String, StatusSource> sources;
    private final List<DeploymentListener> listeners;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final Executor executor;
    private final boolean ownScheduler;
    private final boolean ownExecutor;
    private final String instanceId;
    private final Duration pollInterval;
    private final double pollJitter;
    private final Duration defaultTimeout;
    private final Duration defaultApprovalTimeout;
    private final Duration leaseDuration;
    private final Duration maxBackoff;
    private final int notFoundRetries;
    private final int claimBatch;
    private final Duration tickInterval;

    private final Map<String, PollDriver> drivers = new LinkedHashMap<>();
    private final ConcurrentHashMap<Long, Tracked> tracked = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, CompletableFuture<Deployment>> waiters = new ConcurrentHashMap<>();
    private final AtomicBoolean leaseWorkRunning = new AtomicBoolean();
    private final Object lifecycle = new Object();
    private volatile boolean started;
    private volatile boolean closed;
    private final List<ScheduledFuture<?>> periodic = new ArrayList<>();
    /** Routes pushed observations (webhooks); null until {@link #enablePushes}. */
    private volatile PushRouter pushRouter;

    /** Built by {@link io.deploytrack.core.DeploymentTracker.Builder}. */
    public TrackerEngine(HistoryStore store, Map<String, StatusSource> sources, List<DeploymentListener> listeners,
                         Clock clock, ScheduledExecutorService scheduler, Executor executor, String instanceId,
                         Duration pollInterval, double pollJitter, Duration defaultTimeout,
                         Duration defaultApprovalTimeout, Duration leaseDuration, Duration maxBackoff,
                         int notFoundRetries, int claimBatch) {
        this.store = store;
        this.sources = Map.copyOf(sources);
        this.listeners = listeners;
        this.clock = clock;
        this.ownScheduler = scheduler == null;
        this.scheduler = scheduler != null ? scheduler : Executors.newSingleThreadScheduledExecutor(daemon("deploytrack-scheduler"));
        this.ownExecutor = executor == null;
        this.executor = executor != null ? executor : Executors.newFixedThreadPool(2, daemon("deploytrack-worker"));
        this.instanceId = instanceId;
        this.pollInterval = pollInterval;
        this.pollJitter = pollJitter;
        this.defaultTimeout = defaultTimeout;
        this.defaultApprovalTimeout = defaultApprovalTimeout;
        this.leaseDuration = leaseDuration;
        this.maxBackoff = maxBackoff;
        this.notFoundRetries = notFoundRetries;
        this.claimBatch = claimBatch;
        Duration shortest = pollInterval;
        for (StatusSource s : this.sources.values()) {
            if (s instanceof PollingSource p) {
                Duration iv = p.pollInterval() != null ? p.pollInterval() : pollInterval;
                drivers.put(p.type(), new PollDriver(this, p, iv));
                if (iv.compareTo(shortest) < 0) {
                    shortest = iv;
                }
            }
        }
        // Deadlines and polls are checked this often: a quarter of the shortest interval, at most a second.
        Duration tick = shortest.dividedBy(4);
        this.tickInterval = tick.compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1)
                : tick.compareTo(Duration.ofMillis(10)) < 0 ? Duration.ofMillis(10) : tick;
    }

    /** Logs a source that {@link java.util.ServiceLoader} could not load; the others still load. */
    public static void logDiscoveryFailure(Throwable e) {
        Log.event(LOG, Level.WARN, "status_source_discovery_failed", "error", e.getMessage());
    }

    // ---------------------------------------------------------------- lifecycle

    /** Starts ticking and resumes what can be claimed. */
    public void start() {
        synchronized (lifecycle) {
            if (closed) {
                throw new TrackerClosedException("this tracker is closed; build a new one");
            }
            if (started) {
                return;
            }
            // Leases under our id are left from an earlier life of this instance id: nobody follows them now.
            store.release(instanceId, null);
            started = true;
            claimAll();
            periodic.add(scheduler.scheduleWithFixedDelay(this::tick, tickInterval.toMillis(), tickInterval.toMillis(),
                    TimeUnit.MILLISECONDS));
            long leaseEvery = Math.max(10, leaseDuration.toMillis() / 3);
            periodic.add(scheduler.scheduleWithFixedDelay(this::leaseTick, leaseEvery, leaseEvery, TimeUnit.MILLISECONDS));
            Log.event(LOG, Level.INFO, "deployment_tracker_started", "instance", instanceId, "resumed", tracked.size(),
                    "sources", String.join(",", sources.keySet()));
        }
    }

    /** Stops following, releases leases, stops own threads. */
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            periodic.forEach(f -> f.cancel(false));
        }
        List<Long> ids = new ArrayList<>();
        for (Tracked t : tracked.values()) {
            synchronized (t) {
                stopFollowing(t);
                if (!t.done) {
                    ids.add(t.id);
                }
            }
        }
        if (ownScheduler) {
            scheduler.shutdownNow();
        }
        if (ownExecutor) {
            ExecutorService es = (ExecutorService) executor;
            es.shutdown();
            try {
                if (!es.awaitTermination(10, TimeUnit.SECONDS)) {
                    es.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            if (!ids.isEmpty()) {
                store.release(instanceId, ids);
            }
        } catch (RuntimeException e) {
            Log.event(LOG, Level.WARN, "deployment_lease_release_failed", "instance", instanceId, "error", e);
        }
        TrackerClosedException closedEx = new TrackerClosedException(
                "the tracker closed before the deployment ended; it stays running in the store and the next tracker resumes it");
        tracked.values().forEach(t -> t.future.completeExceptionally(closedEx));
        waiters.values().forEach(f -> f.completeExceptionally(closedEx));
        Log.event(LOG, Level.INFO, "deployment_tracker_closed", "instance", instanceId, "released", ids.size());
    }

    // ---------------------------------------------------------------- track

    /** Records and follows. */
    public DeploymentHandle track(DeploymentRequest request, List<CheckSpec> specs) {
        Objects.requireNonNull(request, "request");
        if (closed) {
            throw new TrackerClosedException("this tracker is closed; build a new one");
        }
        if (specs == null || specs.isEmpty()) {
            throw new InvalidRequestException("checks", "a deployment needs at least one check (a source reference to follow)");
        }
        Set<String> names = new HashSet<>();
        for (CheckSpec s : specs) {
            if (!names.add(s.name())) {
                throw new InvalidRequestException("checks", "two checks are named '" + s.name() + "': check names must be unique");
            }
            StatusSource src = sources.get(s.ref().type());
            if (src == null) {
                throw new InvalidRequestException("checks", "no status source of type '" + s.ref().type()
                        + "' is registered: add it with DeploymentTracker.builder(...).source(...) or list it in "
                        + "META-INF/services/io.deploytrack.core.StatusSource (known: " + sources.keySet() + ")");
            }
            src.validate(s.ref());
            if (s.pushedBy() != null && !(sources.get(s.pushedBy()) instanceof io.deploytrack.core.PushSource)) {
                throw new InvalidRequestException("checks", "check '" + s.name() + "' is pushed by '" + s.pushedBy()
                        + "', which is not a push source registered with this tracker: add it with "
                        + "DeploymentTracker.builder(...).source(...) (known: " + sources.keySet() + ")");
            }
        }
        if (!started) {
            start();
        }
        Instant now = now();
        String key = request.idempotencyKey();
        if (key == null) {
            CheckSpec first = specs.get(0);
            key = sources.get(first.ref().type()).idempotencyKey(first.ref());
        }
        List<DeploymentCheck> checks = new ArrayList<>();
        for (CheckSpec s : specs) {
            Duration timeout = s.timeout() != null ? s.timeout() : defaultTimeout;
            Duration approval = s.approvalTimeout() != null ? s.approvalTimeout() : defaultApprovalTimeout;
            checks.add(new DeploymentCheck(s.name(), s.ref(), DeploymentStatus.RUNNING, now, null, now.plus(timeout),
                    null, false, null, timeout, approval));
        }
        Instant startedAt = request.startedAt() != null ? request.startedAt().truncatedTo(ChronoUnit.MILLIS) : now;
        Deployment draft = new Deployment(0, request.owner(), request.repo(), request.environment(),
                request.commitSha(), request.rollback(), request.rollbackOf(), key, DeploymentStatus.RUNNING, startedAt,
                null, null, null, null, null, checks, PushRouter.withPushPaths(request.attributes(), specs));
        long createdNanos = System.nanoTime();
        CreateResult r = store.create(draft, instanceId, leaseDuration);
        Deployment d = r.deployment();
        if (d.isTerminal()) {
            return new DeploymentHandle(d, false, CompletableFuture.completedFuture(d));
        }
        if (r.created()) {
            Tracked t = tracked.computeIfAbsent(d.id(), id -> new Tracked(d));
            t.leaseValidUntilNanos = leaseValidFrom(createdNanos);
            synchronized (t) {
                Log.event(LOG, Level.INFO, "deployment_started", "deployment_id", d.id(), "project", d.project(),
                        "environment", d.environment(), "commit", d.shortSha(), "rollback", d.rollback(),
                        "checks", checks.size());
                for (DeploymentListener l : listeners) {
                    safely("onStarted", d.id(), () -> l.onStarted(d));
                }
                startFollowing(t, false);
            }
            return new DeploymentHandle(d, true, t.future.copy());
        }
        Tracked existing = tracked.get(d.id());
        if (existing != null) {
            return new DeploymentHandle(d, false, existing.future.copy());
        }
        return new DeploymentHandle(d, false, awaitCompletion(d.id()));
    }

    /** A future of the end of any deployment. */
    public CompletableFuture<Deployment> awaitCompletion(long id) {
        Tracked t = tracked.get(id);
        if (t != null) {
            return t.future.copy();
        }
        Deployment d = store.find(id).orElseThrow(() -> new DeploymentNotFoundException(id));
        if (d.isTerminal()) {
            return CompletableFuture.completedFuture(d);
        }
        CompletableFuture<Deployment> w = waiters.computeIfAbsent(id, k -> new CompletableFuture<>());
        return w.copy();
    }

    /** How many deployments this instance follows. */
    public int inFlight() {
        return (int) tracked.values().stream().filter(t -> !t.done).count();
    }

    /** This instance's id. */
    public String instanceId() {
        return instanceId;
    }

    // ---------------------------------------------------------------- following

    private void startFollowing(Tracked t, boolean resumed) {
        Instant now = now();
        if (resumed) {
            // The source gets a chance to report what happened while nobody watched before a passed deadline counts.
            t.deadlineGraceUntil = now.plus(pollInterval.multipliedBy(2)).plus(tickInterval);
        }
        for (DeploymentCheck c : t.current.checks()) {
            if (c.status().isTerminal() || t.followings.containsKey(c.name())) {
                continue;
            }
            StatusSource src = sources.get(c.sourceType());
            if (src instanceof PollingSource) {
                t.followings.put(c.name(), drivers.get(c.sourceType()).add(t, c, now));
            } else if (src instanceof WatchingSource w) {
                String name = c.name();
                try {
                    t.followings.put(name, w.follow(c.ref(), o -> submit(t, name, o, null)));
                } catch (RuntimeException e) {
                    Log.event(LOG, Level.WARN, "deployment_follow_failed", "deployment_id", t.id, "check", name,
                            "source", c.sourceType(), "error", e);
                    scheduleRefollow(t, name);
                }
            }
        }
    }

    private void scheduleRefollow(Tracked t, String name) {
        if (closed) {
            return;
        }
        scheduler.schedule(() -> execute(() -> {
            synchronized (t) {
                if (!t.done && !closed) {
                    startFollowing(t, false);
                }
            }
        }), pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void stopFollowing(Tracked t) {
        for (Following f : t.followings.values()) {
            try {
                f.close();
            } catch (RuntimeException e) {
                Log.event(LOG, Level.DEBUG, "deployment_follow_close_failed", "deployment_id", t.id, "error", e);
            }
        }
        t.followings.clear();
    }

    /** Queues a pushed observation; one worker at a time drains a deployment's queue, keeping their order. */
    void submit(Tracked t, String checkName, Observation o, String pushedVia) {
        t.mailbox.add(new Object[]{checkName, o, pushedVia});
        if (t.draining.compareAndSet(false, true)) {
            execute(() -> drain(t));
        }
    }

    private void drain(Tracked t) {
        while (true) {
            Object[] next;
            while ((next = t.mailbox.poll()) != null) {
                if (next[2] != null) {
                    onPushed(t, (String) next[0], (Observation) next[1], (String) next[2]);
                } else {
                    onObservation(t, (String) next[0], (Observation) next[1]);
                }
            }
            t.draining.set(false);
            if (t.mailbox.isEmpty() || !t.draining.compareAndSet(false, true)) {
                return;
            }
        }
    }

    /** A pushed observation: polls of the check stretch while pushes arrive, then it is applied as any other. */
    private void onPushed(Tracked t, String checkName, Observation o, String via) {
        DeploymentCheck c = t.current.check(checkName).orElse(null);
        PollDriver driver = c == null ? null : drivers.get(c.sourceType());
        PushRouter router = pushRouter;
        if (driver != null && router != null) {
            driver.defer(t.id, checkName, now().plus(router.stretchedInterval()).toEpochMilli());
        }
        synchronized (t) {
            t.endingVia = "push via " + via;
            try {
                onObservation(t, checkName, o);
            } finally {
                t.endingVia = null;
            }
        }
    }

    /** Applies one observation of one check: the state machine, the store write, the listeners. Worker thread. */
    void onObservation(Tracked t, String checkName, Observation o) {
        synchronized (t) {
            if (t.done || closed) {
                return;
            }
            Deployment d = t.current;
            DeploymentCheck c = d.check(checkName).orElse(null);
            if (c == null || c.status().isTerminal()) {
                return;
            }
            Instant now = now();
            boolean awaiting = o.state() == Observation.State.AWAITING_APPROVAL;
            Instant deadline = c.deadlineAt();
            if (awaiting && !c.awaitingApproval()) {
                deadline = now.plus(c.approvalTimeout());
            } else if (!awaiting && c.awaitingApproval()) {
                deadline = now.plus(c.timeout());
            }
            Instant sourceStart = o.startedAt() == null ? null : o.startedAt().truncatedTo(ChronoUnit.MILLIS);
            Instant checkStart = sourceStart != null ? sourceStart : c.startedAt();
            Instant depStart = sourceStart != null && sourceStart.isBefore(d.startedAt()) ? sourceStart : d.startedAt();
            if (!o.state().isTerminal()) {
                boolean statusChanged = !Objects.equals(o.sourceStatus(), c.lastSourceStatus());
                boolean changed = statusChanged || awaiting != c.awaitingApproval()
                        || !checkStart.equals(c.startedAt()) || !Objects.equals(o.message(), c.message());
                Log.event(LOG, Level.DEBUG, "deployment_status_checked", "deployment_id", t.id, "check", checkName,
                        c.sourceType() + "_status", o.sourceStatus());
                if (!changed) {
                    return;
                }
                DeploymentCheck nc = c.withProgress(DeploymentStatus.RUNNING, checkStart, null, deadline,
                        o.sourceStatus(), awaiting, o.message());
                List<DeploymentEvent> events = statusChanged
                        ? List.of(DeploymentEvent.of(t.id, now, "source_status", checkName, null, null, o.sourceStatus(), o.message()))
                        : List.of();
                boolean ok = store.update(new DeploymentUpdate(t.id, DeploymentStatus.RUNNING, null,
                        depStart.equals(d.startedAt()) ? null : depStart, null, null, null, null, List.of(nc), events));
                if (!ok) {
                    finishFromStore(t);
                    return;
                }
                t.current = d.withChecks(replace(d.checks(), nc)).withStartedAt(depStart);
                if (statusChanged) {
                    Log.event(LOG, Level.INFO, "deployment_status_changed", "deployment_id", t.id, "check", checkName,
                            c.sourceType() + "_status", o.sourceStatus(), "awaiting_approval", awaiting);
                }
                Deployment snapshot = t.current;
                for (DeploymentListener l : listeners) {
                    safely("onStatusChanged", t.id, () -> l.onStatusChanged(snapshot, nc));
                }
                return;
            }
            Instant end = o.finishedAt() != null ? o.finishedAt().truncatedTo(ChronoUnit.MILLIS) : now;
            DeploymentCheck nc = c.withProgress(o.state().toStatus(), checkStart, end, deadline, o.sourceStatus(),
                    false, o.message());
            conclude(t, nc, depStart);
        }
    }

    /** A check reached a terminal status: decide the deployment's, write it (compare-and-set), notify. */
    private void conclude(Tracked t, DeploymentCheck finished, Instant depStart) {
        Deployment d = t.current;
        List<DeploymentCheck> checks = replace(d.checks(), finished);
        DeploymentCheck failed = null;
        DeploymentCheck cancelled = null;
        boolean allSuccess = true;
        for (DeploymentCheck c : checks) {
            if ((c.status() == DeploymentStatus.FAILED || c.status() == DeploymentStatus.TIMED_OUT) && failed == null) {
                failed = c;
            } else if (c.status() == DeploymentStatus.CANCELLED && cancelled == null) {
                cancelled = c;
            }
            allSuccess &= c.status() == DeploymentStatus.SUCCESS;
        }
        Instant now = now();
        DeploymentStatus outcome;
        DeploymentCheck cause;
        if (failed != null) {
            outcome = failed.status();
            cause = failed;
        } else if (cancelled != null) {
            outcome = DeploymentStatus.CANCELLED;
            cause = cancelled;
        } else if (allSuccess) {
            outcome = DeploymentStatus.SUCCESS;
            cause = null;
        } else {
            // Another check still runs: record this one and go on.
            boolean ok = store.update(new DeploymentUpdate(t.id, DeploymentStatus.RUNNING, null,
                    depStart.equals(d.startedAt()) ? null : depStart, null, null, null, null, List.of(finished),
                    List.of(DeploymentEvent.of(t.id, now, "check_completed", finished.name(), null, null,
                            finished.lastSourceStatus(), finished.status().word()))));
            if (!ok) {
                finishFromStore(t);
                return;
            }
            stopFollowing(t, finished.name());
            t.current = d.withChecks(checks).withStartedAt(depStart);
            Deployment snapshot = t.current;
            for (DeploymentListener l : listeners) {
                safely("onStatusChanged", t.id, () -> l.onStatusChanged(snapshot, finished));
            }
            return;
        }
        Instant completed = finished.completedAt();
        if (outcome == DeploymentStatus.SUCCESS) {
            for (DeploymentCheck c : checks) {
                if (c.completedAt() != null && c.completedAt().isAfter(completed)) {
                    completed = c.completedAt();
                }
            }
        }
        List<DeploymentCheck> written = new ArrayList<>();
        for (int i = 0; i < checks.size(); i++) {
            DeploymentCheck c = checks.get(i);
            if (c == finished) {
                written.add(c);
            } else if (!c.status().isTerminal()) {
                DeploymentCheck stopped = c.withProgress(DeploymentStatus.CANCELLED, c.startedAt(), completed,
                        c.deadlineAt(), c.lastSourceStatus(), false,
                        "not followed further: the deployment ended " + outcome.word() + " at check '" + finished.name() + "'");
                checks.set(i, stopped);
                written.add(stopped);
            }
        }
        Instant start = completed.isBefore(depStart) ? completed : depStart;
        String errorStage = cause == null ? null : cause.name();
        String errorMessage = cause == null ? null : errorMessageOf(cause);
        Instant deployed = outcome == DeploymentStatus.SUCCESS ? completed : null;
        // Ending a deployment and notifying its end happen under a freshly extended lease. Another instance claims an
        // ended row whose end was never notified once its lease expires (its instance died before onCompleted); if
        // this instance ended it on a nearly expired lease, or on one another instance had already claimed, both would
        // notify. A row we no longer hold is left to its holder, which ends and notifies it.
        long renewedNanos = System.nanoTime();
        if (!store.renew(instanceId, List.of(t.id), leaseDuration).contains(t.id)) {
            Log.event(LOG, Level.WARN, "deployment_lease_lost", "deployment_id", t.id, "instance", instanceId);
            finishFromStore(t);
            return;
        }
        t.leaseValidUntilNanos = leaseValidFrom(renewedNanos);
        boolean ok = store.update(new DeploymentUpdate(t.id, DeploymentStatus.RUNNING, outcome,
                start.equals(d.startedAt()) ? null : start, deployed, completed, errorStage, errorMessage, written,
                List.of(DeploymentEvent.of(t.id, now, "completed", finished.name(), DeploymentStatus.RUNNING, outcome,
                        finished.lastSourceStatus(), PushRouter.withEndingPath(d, finished, t.endingVia, errorMessage)))));
        if (!ok) {
            finishFromStore(t);
            return;
        }
        Deployment result = d.withChecks(checks).withOutcome(outcome, start, deployed, completed, errorStage, errorMessage);
        t.current = result;
        t.done = true;
        stopFollowing(t);
        tracked.remove(t.id, t);
        Duration elapsed = Duration.between(start, completed);
        String event = switch (outcome) {
            case SUCCESS -> "deployment_completed_successfully";
            case TIMED_OUT -> "deployment_status_polling_timeout";
            case CANCELLED -> "deployment_cancelled";
            default -> "deployment_failed";
        };
        Log.event(LOG, outcome == DeploymentStatus.SUCCESS ? Level.INFO : Level.WARN, event, "deployment_id", t.id,
                "project", d.project(), "environment", d.environment(), "commit", d.shortSha(), "status", outcome.word(),
                "elapsed_seconds", elapsed.toMillis() / 1000.0, "error_stage", errorStage, "error", errorMessage);
        for (DeploymentListener l : listeners) {
            safely("onStatusChanged", t.id, () -> l.onStatusChanged(result, finished));
        }
        notifyCompleted(result);
        t.future.complete(result);
        CompletableFuture<Deployment> w = waiters.remove(t.id);
        if (w != null) {
            w.complete(result);
        }
    }

    private static String errorMessageOf(DeploymentCheck c) {
        if (c.message() != null && !c.message().isBlank()) {
            return c.message();
        }
        return "check '" + c.name() + "' ended " + c.status().word() + " (" + c.sourceType() + " status "
                + c.lastSourceStatus() + ")";
    }

    private void notifyCompleted(Deployment result) {
        for (DeploymentListener l : listeners) {
            safely("onCompleted", result.id(), () -> l.onCompleted(result));
        }
        try {
            store.markNotified(result.id());
        } catch (RuntimeException e) {
            Log.event(LOG, Level.WARN, "deployment_notified_mark_failed", "deployment_id", result.id(), "error", e);
        }
    }

    private void stopFollowing(Tracked t, String checkName) {
        Following f = t.followings.remove(checkName);
        if (f != null) {
            try {
                f.close();
            } catch (RuntimeException e) {
                Log.event(LOG, Level.DEBUG, "deployment_follow_close_failed", "deployment_id", t.id, "error", e);
            }
        }
    }

    /** Someone else ended (or removed) the row: adopt what the store says, without notifying again. */
    private void finishFromStore(Tracked t) {
        t.done = true;
        stopFollowing(t);
        tracked.remove(t.id, t);
        var stored = store.find(t.id);
        CompletableFuture<Deployment> w = waiters.remove(t.id);
        if (stored.isPresent() && stored.get().isTerminal()) {
            t.current = stored.get();
            t.future.complete(stored.get());
            if (w != null) {
                w.complete(stored.get());
            }
        } else if (stored.isEmpty()) {
            t.future.completeExceptionally(new DeploymentNotFoundException(t.id));
            if (w != null) {
                w.completeExceptionally(new DeploymentNotFoundException(t.id));
            }
        } else {
            // Still running but not ours any more (lease lost): whoever holds it now will end it.
            CompletableFuture<Deployment> again = waiters.computeIfAbsent(t.id, k -> new CompletableFuture<>());
            again.whenComplete((v, e) -> {
                if (e != null) {
                    t.future.completeExceptionally(e);
                } else {
                    t.future.complete(v);
                }
            });
        }
    }

    private void onDeadline(Tracked t, String checkName) {
        synchronized (t) {
            t.deadlinePending.remove(checkName);
            if (t.done || closed) {
                return;
            }
            DeploymentCheck c = t.current.check(checkName).orElse(null);
            Instant now = now();
            if (c == null || c.status().isTerminal() || c.deadlineAt().isAfter(now)) {
                return;
            }
            String last = c.lastSourceStatus() == null ? "none (the source never answered)" : c.lastSourceStatus();
            String message = c.awaitingApproval()
                    ? "approval deadline of " + human(c.approvalTimeout()) + " passed while waiting for approval; last status seen: " + last
                    : "no terminal status within " + human(c.timeout()) + "; last status seen: " + last;
            DeploymentCheck nc = c.withProgress(DeploymentStatus.TIMED_OUT, c.startedAt(), now, c.deadlineAt(),
                    c.lastSourceStatus(), c.awaitingApproval(), message);
            conclude(t, nc, t.current.startedAt());
        }
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s % 3600 == 0 && s >= 3600) {
            return s / 3600 + "h";
        }
        if (s % 60 == 0 && s >= 60) {
            return s / 60 + "m";
        }
        if (d.toMillis() % 1000 == 0) {
            return s + "s";
        }
        return d.toMillis() + "ms";
    }

    // ---------------------------------------------------------------- periodic work

    private void tick() {
        if (closed) {
            return;
        }
        try {
            Instant now = now();
            for (PollDriver d : drivers.values()) {
                d.tick(now);
            }
            PushRouter router = pushRouter;
            if (router != null) {
                router.tick();
            }
            for (Tracked t : tracked.values()) {
                if (t.done) {
                    continue;
                }
                Instant grace = t.deadlineGraceUntil;
                if (grace != null && now.isBefore(grace)) {
                    continue;
                }
                for (DeploymentCheck c : t.current.checks()) {
                    if (!c.status().isTerminal() && !c.deadlineAt().isAfter(now) && t.deadlinePending.add(c.name())) {
                        String name = c.name();
                        execute(() -> onDeadline(t, name));
                    }
                }
            }
        } catch (RuntimeException e) {
            Log.event(LOG, Level.ERROR, "deployment_tracker_tick_failed", "error", e);
        }
    }

    private void leaseTick() {
        if (closed || !leaseWorkRunning.compareAndSet(false, true)) {
            return;
        }
        try {
            execute(() -> {
                try {
                    renewAndClaim();
                } finally {
                    leaseWorkRunning.set(false);
                }
            });
        } catch (RuntimeException e) {
            leaseWorkRunning.set(false);
        }
    }

    private void renewAndClaim() {
        if (closed) {
            return;
        }
        try {
            List<Long> ids = new ArrayList<>();
            tracked.forEach((id, t) -> {
                if (!t.done) {
                    ids.add(id);
                }
            });
            if (!ids.isEmpty()) {
                long renewedNanos = System.nanoTime();
                Set<Long> held = store.renew(instanceId, ids, leaseDuration);
                long validUntil = leaseValidFrom(renewedNanos);
                for (Long id : ids) {
                    Tracked t = tracked.get(id);
                    if (!held.contains(id)) {
                        loseLease(t);
                    } else if (t != null) {
                        t.leaseValidUntilNanos = validUntil;
                    }
                }
            }
            claimAll();
            for (Map.Entry<Long, CompletableFuture<Deployment>> w : waiters.entrySet()) {
                store.find(w.getKey()).filter(Deployment::isTerminal).ifPresent(d -> {
                    waiters.remove(w.getKey());
                    w.getValue().complete(d);
                });
            }
        } catch (RuntimeException e) {
            Log.event(LOG, Level.WARN, "deployment_lease_renewal_failed", "instance", instanceId, "error", e);
        }
    }

    private void loseLease(Tracked t) {
        if (t == null) {
            return;
        }
        synchronized (t) {
            if (t.done) {
                return;
            }
            Log.event(LOG, Level.WARN, "deployment_lease_lost", "deployment_id", t.id, "instance", instanceId);
            finishFromStore(t);
        }
    }

    private void claimAll() {
        while (!closed) {
            long claimedNanos = System.nanoTime();
            List<Deployment> claimed = store.claim(instanceId, leaseDuration, claimBatch, sources.keySet());
            for (Deployment d : claimed) {
                if (d.isTerminal()) {
                    // Ended, but its instance died before onCompleted ran: run it now.
                    Log.event(LOG, Level.INFO, "deployment_completion_notified_late", "deployment_id", d.id());
                    notifyCompleted(d);
                    CompletableFuture<Deployment> w = waiters.remove(d.id());
                    if (w != null) {
                        w.complete(d);
                    }
                    continue;
                }
                Tracked t = tracked.computeIfAbsent(d.id(), id -> new Tracked(d));
                t.leaseValidUntilNanos = leaseValidFrom(claimedNanos);
                synchronized (t) {
                    if (t.followings.isEmpty() && !t.done) {
                        Log.event(LOG, Level.INFO, "deployment_resumed", "deployment_id", d.id(), "project", d.project(),
                                "instance", instanceId);
                        appendEventQuietly(DeploymentEvent.of(d.id(), now(), "resumed", null, null, null, null,
                                "followed by " + instanceId));
                        startFollowing(t, true);
                    }
                }
                CompletableFuture<Deployment> w = waiters.remove(d.id());
                if (w != null) {
                    t.future.whenComplete((v, e) -> {
                        if (e != null) {
                            w.completeExceptionally(e);
                        } else {
                            w.complete(v);
                        }
                    });
                }
            }
            if (claimed.size() < claimBatch) {
                return;
            }
        }
    }

    // ---------------------------------------------------------------- pushes

    /** Turns on routing of pushed observations; polls of a pushed check stretch to {@code stretchedInterval}. */
    public void enablePushes(Duration stretchedInterval) {
        this.pushRouter = new PushRouter(this, store, stretchedInterval);
    }

    /** Routes one pushed observation (see {@link io.deploytrack.core.PushTarget}). */
    public io.deploytrack.core.PushResult push(io.deploytrack.core.Push push) {
        PushRouter router = pushRouter;
        if (router == null) {
            throw new IllegalStateException("pushes are not enabled on this tracker");
        }
        if (closed) {
            throw new TrackerClosedException("this tracker is closed; a push cannot be routed");
        }
        return router.push(push);
    }

    Iterable<Tracked> trackedDeployments() {
        return tracked.values();
    }

    Tracked trackedDeployment(long id) {
        return tracked.get(id);
    }

    boolean isClosed() {
        return closed;
    }

    // ---------------------------------------------------------------- helpers

    /** A lease taken at {@code takenAtNanos} ({@link System#nanoTime()}) is safe to act on until a sixth of it before it expires. */
    private long leaseValidFrom(long takenAtNanos) {
        // Measured on the monotonic clock: a host's wall-clock jump, or a test's manual clock, must not cut it short.
        return takenAtNanos + leaseDuration.minus(leaseDuration.dividedBy(6)).toNanos();
    }

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    void execute(Runnable r) {
        try {
            executor.execute(r);
        } catch (RejectedExecutionException e) {
            if (!closed) {
                throw e;
            }
        }
    }

    void appendEventQuietly(DeploymentEvent e) {
        try {
            store.appendEvent(e);
        } catch (RuntimeException ex) {
            Log.event(LOG, Level.WARN, "deployment_event_write_failed", "deployment_id", e.deploymentId(), "error", ex);
        }
    }

    int notFoundRetries() {
        return notFoundRetries;
    }

    Duration maxBackoff() {
        return maxBackoff;
    }

    double pollJitter() {
        return pollJitter;
    }

    private static List<DeploymentCheck> replace(List<DeploymentCheck> checks, DeploymentCheck nc) {
        List<DeploymentCheck> out = new ArrayList<>(checks.size());
        for (DeploymentCheck c : checks) {
            out.add(c.name().equals(nc.name()) ? nc : c);
        }
        return out;
    }

    private static void safely(String callback, long id, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException | LinkageError e) {
            Log.event(LOG, Level.WARN, "deployment_listener_failed", "callback", callback, "deployment_id", id,
                    "error", e);
        }
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
