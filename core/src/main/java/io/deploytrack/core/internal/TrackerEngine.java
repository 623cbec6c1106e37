package io.deploytrack.core.internal;

import io.deploytrack.core.support.KeyValueLog;
import io.deploytrack.core.CheckSpec;
import io.deploytrack.core.CreateResult;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.DeploymentHandle;
import io.deploytrack.core.DeploymentListener;
import io.deploytrack.core.DeploymentNotFoundException;
import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.HistoryStore;
import io.deploytrack.core.InvalidRequestException;
import io.deploytrack.core.PollingSource;
import io.deploytrack.core.StatusSource;
import io.deploytrack.core.Ticker;
import io.deploytrack.core.TrackerClosedException;
import io.deploytrack.core.TrackerSettings;
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
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;

/**
 * The tracker's machinery, wired together: lifecycle (start, close) and {@code track}. The jobs live in their own
 * classes: {@link Followers} and {@link PollDriver} ask the sources, {@link CheckProgress} applies what they answer,
 * {@link Concluder} ends deployments, {@link DueWork} picks due polls and deadlines, {@link LeaseLoop} with
 * {@link LeaseKeeper} keeps leases and claims rows, {@link ListenerDispatch} calls listeners and {@link Completions} holds the
 * futures. Not public API; use {@link io.deploytrack.core.DeploymentTracker}.
 */
public final class TrackerEngine {

    private final HistoryStore store;
    private final Map<String, StatusSource> sources;
    private final TrackerSettings settings;
    private final TrackerTime time;
    private final Workers workers;
    private final Duration tickInterval;
    private final InFlight inFlight = new InFlight();
    private final Completions completions = new Completions();
    private final LeaseKeeper leases;
    private final ListenerDispatch dispatch;
    private final Followers followers;
    private final DueWork dueWork;
    private final LeaseLoop leaseLoop;
    private final Object lifecycle = new Object();
    /** The poll interval of a pushed check until {@link #enablePushes} says otherwise. */
    private static final Duration DEFAULT_PUSH_POLL_INTERVAL = Duration.ofSeconds(60);
    private static final Duration MIN_TAKE_INTERVAL = Duration.ofMillis(250);
    private final List<ScheduledFuture<?>> periodic = new ArrayList<>();
    private volatile boolean started;
    /** Routes pushed observations (webhooks), and takes those recorded for this instance: every tracker has one. */
    private final PushRouter pushRouter;
    private final StageWaiters stageWaiters = new StageWaiters();
    private final Stages stages;
    private final HeldPushes heldPushes = new HeldPushes();

    /** Built by {@link io.deploytrack.core.DeploymentTracker.Builder}; null scheduler or executor: own daemon threads. */
    public TrackerEngine(HistoryStore store, Map<String, StatusSource> sources, List<DeploymentListener> listeners,
                         TrackerSettings settings, Clock clock, Ticker ticker, ScheduledExecutorService scheduler,
                         Executor executor) {
        this.store = Objects.requireNonNull(store, "store");
        this.sources = Map.copyOf(sources);
        this.settings = Objects.requireNonNull(settings, "settings");
        this.time = new TrackerTime(clock, ticker);
        this.workers = new Workers(scheduler, executor);
        this.leases = new LeaseKeeper(store, time, settings);
        List<DeploymentListener> all = new ArrayList<>();
        all.add(stageWaiters);
        all.addAll(listeners);
        this.dispatch = new ListenerDispatch(all, store, completions, workers);
        GroupCommit commits = new GroupCommit(store, settings, leases, dispatch, workers, heldPushes);
        Concluder concluder = new Concluder(store, time, commits, dispatch, inFlight, settings.instanceId());
        CheckProgress progress = new CheckProgress(store, time, workers, concluder, dispatch, heldPushes);
        Map<String, PollDriver> drivers = new LinkedHashMap<>();
        Duration shortest = settings.pollInterval();
        for (StatusSource s : this.sources.values()) {
            if (s instanceof PollingSource p) {
                Duration iv = p.pollInterval() != null ? p.pollInterval() : settings.pollInterval();
                drivers.put(p.type(), new PollDriver(p, iv, settings, time, workers, leases, progress));
                if (iv.compareTo(shortest) < 0) {
                    shortest = iv;
                }
            }
        }
        // Deadlines and polls are checked this often: a quarter of the shortest interval, at most a second.
        Duration tick = shortest.dividedBy(4);
        this.tickInterval = tick.compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1)
                : tick.compareTo(Duration.ofMillis(10)) < 0 ? Duration.ofMillis(10) : tick;
        this.followers = new Followers(this.sources, drivers, progress, workers, time, settings.pollInterval(), tickInterval);
        this.dueWork = new DueWork(List.copyOf(drivers.values()), inFlight, progress, workers, time);
        this.pushRouter = new PushRouter(store, inFlight, followers, workers, time, settings.instanceId(),
                DEFAULT_PUSH_POLL_INTERVAL, heldPushes);
        this.leaseLoop = new LeaseLoop(store, settings, this.sources.keySet(), leases, inFlight, followers, concluder,
                progress, dispatch, completions, workers, time, pushRouter);
        this.stages = new Stages(store, this.sources, inFlight, followers, progress, concluder, dispatch, stageWaiters,
                time);
    }

    /** Logs a source that {@link java.util.ServiceLoader} could not load; the others still load. */
    public static void logDiscoveryFailure(Throwable e) {
        KeyValueLog.event(Log.TRACKER, Level.WARN, "status_source_discovery_failed", "error", e.getMessage());
    }

    /** The settings this engine runs with. */
    public TrackerSettings settings() {
        return settings;
    }

    /** Starts ticking and resumes what can be claimed. */
    public void start() {
        synchronized (lifecycle) {
            if (workers.closed()) {
                throw new TrackerClosedException("this tracker is closed; build a new one");
            }
            if (started) {
                return;
            }
            // Leases under our id are left from an earlier life of this instance id: nobody follows them now.
            store.release(settings.instanceId(), null);
            started = true;
            leaseLoop.claimAll();
            periodic.add(workers.every(tickInterval, dueWork));
            periodic.add(workers.every(Duration.ofMillis(Math.max(10, settings.leaseDuration().toMillis() / 3)), leaseLoop));
            // Pushes recorded in the store for this instance's leases (by whichever process received them) are taken
            // every tick, at most four times a second (a store read each time), whether or not a push source is
            // registered here; a push received by this instance is taken at once instead.
            Duration takeInterval = tickInterval.compareTo(MIN_TAKE_INTERVAL) < 0 ? MIN_TAKE_INTERVAL : tickInterval;
            periodic.add(workers.every(takeInterval, pushRouter::tick));
            KeyValueLog.event(Log.TRACKER, Level.INFO, "deployment_tracker_started", "instance", settings.instanceId(),
                    "resumed", inFlight.size(), "sources", String.join(",", sources.keySet()));
        }
    }

    /** Stops following, releases leases, stops own threads. */
    public void close() {
        synchronized (lifecycle) {
            if (workers.closed()) {
                return;
            }
            workers.markClosed();
            periodic.forEach(f -> f.cancel(false));
        }
        List<Long> ids = new ArrayList<>();
        for (Tracked t : inFlight.all()) {
            synchronized (t) {
                t.stopFollowing();
                if (!t.done) {
                    ids.add(t.id);
                }
            }
        }
        workers.shutdown();
        // Pushes applied since the last take (one that changed nothing, say) leave the store with this instance.
        heldPushes.forgetApplied(store);
        try {
            if (!ids.isEmpty()) {
                store.release(settings.instanceId(), ids);
            }
        } catch (RuntimeException e) {
            KeyValueLog.event(Log.TRACKER, Level.WARN, "deployment_lease_release_failed", "instance", settings.instanceId(),
                    "error", e);
        }
        completions.failAll(new TrackerClosedException(
                "the tracker closed before the deployment ended; it stays running in the store and the next tracker resumes it"));
        KeyValueLog.event(Log.TRACKER, Level.INFO, "deployment_tracker_closed", "instance", settings.instanceId(),
                "released", ids.size());
    }

    /** Records and follows. */
    public DeploymentHandle track(DeploymentRequest request, List<CheckSpec> specs) {
        Objects.requireNonNull(request, "request");
        if (workers.closed()) {
            throw new TrackerClosedException("this tracker is closed; build a new one");
        }
        validate(specs);
        if (!started) {
            start();
        }
        Instant now = time.now();
        String key = request.idempotencyKey();
        if (key == null) {
            CheckSpec first = specs.get(0);
            if (first.isPending()) {
                throw new InvalidRequestException("idempotencyKey", "the first stage '" + first.name() + "' has no "
                        + "reference yet, so no idempotency key can be derived from it: give the request one");
            }
            key = sources.get(first.ref().type()).idempotencyKey(first.ref());
        }
        List<DeploymentCheck> checks = new ArrayList<>();
        Instant latestDeadline = now;
        for (CheckSpec s : specs) {
            Duration timeout = s.timeout() != null ? s.timeout() : settings.defaultTimeout();
            Duration approval = s.approvalTimeout() != null ? s.approvalTimeout() : settings.defaultApprovalTimeout();
            // A stage waiting for its reference may wait as long as the stages before it may run, then its own
            // timeout; the end of the stage before it counts its deadline again (Concluder).
            Instant deadline = s.isPending() ? latestDeadline.plus(timeout) : now.plus(timeout);
            latestDeadline = deadline.isAfter(latestDeadline) ? deadline : latestDeadline;
            checks.add(new DeploymentCheck(s.name(), s.ref(), DeploymentStatus.RUNNING, s.isPending() ? null : now,
                    null, deadline, null, false, null, timeout, approval, s.stage()));
        }
        Instant startedAt = request.startedAt() != null ? request.startedAt().truncatedTo(ChronoUnit.MILLIS) : now;
        Deployment draft = new Deployment(0, request.owner(), request.repo(), request.environment(),
                request.commitSha(), request.rollback(), request.rollbackOf(), key, DeploymentStatus.RUNNING, startedAt,
                null, null, null, null, null, checks, PushRouter.withPushPaths(request.attributes(), specs));
        long asked = leases.reading();
        CreateResult r = store.create(draft, settings.instanceId(), settings.leaseDuration());
        Deployment d = r.deployment();
        if (d.isTerminal()) {
            return new DeploymentHandle(d, false, CompletableFuture.completedFuture(d));
        }
        if (!r.created()) {
            return new DeploymentHandle(d, false, awaitCompletion(d.id()));
        }
        CompletableFuture<Deployment> completion = completions.await(d.id());
        Tracked t = inFlight.adopt(d);
        leases.confirmed(t, asked);
        synchronized (t) {
            KeyValueLog.event(Log.TRACKER, Level.INFO, "deployment_started", "deployment_id", d.id(), "project", d.project(),
                    "environment", d.environment(), "commit", d.shortSha(), "rollback", d.rollback(),
                    "checks", checks.size());
            dispatch.started(t, d);
            followers.start(t, false);
        }
        dispatch.flush(t);
        return new DeploymentHandle(d, true, completion);
    }

    private void validate(List<CheckSpec> specs) {
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
            if (!s.isPending()) {
                src.validate(s.ref());
            }
            if (s.pushedBy() != null && !(sources.get(s.pushedBy()) instanceof io.deploytrack.core.PushSource)) {
                throw new InvalidRequestException("checks", "check '" + s.name() + "' is pushed by '" + s.pushedBy()
                        + "', which is not a push source registered with this tracker: add it with "
                        + "DeploymentTracker.builder(...).source(...) (known: " + sources.keySet() + ")");
            }
        }
    }

    /** Gives a declared stage its reference; see {@link io.deploytrack.core.DeploymentTracker#startStage}. */
    public Deployment startStage(long id, String stageName, io.deploytrack.core.CheckRef ref) {
        return stages.start(id, stageName, ref);
    }

    /** Applies the host's observation to a stage; see {@link io.deploytrack.core.DeploymentTracker#observeStage}. */
    public void observeStage(long id, String stageName, io.deploytrack.core.Observation o) {
        stages.observe(id, stageName, o);
    }

    /** A future of a stage's end; see {@link io.deploytrack.core.DeploymentTracker#awaitStage}. */
    public CompletableFuture<DeploymentCheck> awaitStage(long id, String stageName) {
        return stages.awaitEnd(id, stageName);
    }

    /** A future of the end of any deployment. */
    public CompletableFuture<Deployment> awaitCompletion(long id) {
        if (inFlight.get(id) == null) {
            Deployment d = store.find(id).orElseThrow(() -> new DeploymentNotFoundException(id));
            if (d.isTerminal()) {
                return CompletableFuture.completedFuture(d);
            }
        }
        return completions.await(id);
    }

    /** Polls of a pushed check stretch to {@code stretchedInterval} (default 60 s). Call before {@link #start()}. */
    public void enablePushes(Duration stretchedInterval) {
        pushRouter.stretchTo(stretchedInterval);
    }

    /** Routes one pushed observation (see {@link io.deploytrack.core.PushTarget}). */
    public io.deploytrack.core.PushResult push(io.deploytrack.core.Push push) {
        if (workers.closed()) {
            throw new TrackerClosedException("this tracker is closed; a push cannot be routed");
        }
        return pushRouter.push(push);
    }

    /** How many deployments this instance follows. */
    public int inFlight() {
        return inFlight.active().size();
    }

    /** This instance's id. */
    public String instanceId() {
        return settings.instanceId();
    }
}
