package io.deploytrack.benchmarks.store;

import io.deploytrack.core.CheckRef;
import io.deploytrack.core.CreateResult;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.DeploymentEvent;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.DeploymentUpdate;
import io.deploytrack.core.HistoryStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A deployment's life through the {@link HistoryStore} API, with the very updates {@code TrackerEngine} makes for a
 * poll that saw {@code waiting}, one that saw {@code inprogress}, and one that saw {@code success}.
 */
public final class StoreLifecycle implements Lifecycle {
    static final String OWNER = "bench";
    static final String LEASE_OWNER = "bench-instance";
    static final Duration LEASE = Duration.ofSeconds(60);
    static final Duration TIMEOUT = Duration.ofMinutes(5);
    static final Duration APPROVAL_TIMEOUT = Duration.ofHours(24);

    private final HistoryStore store;
    private final boolean closeStore;
    private final String run;
    private final AtomicLong next = new AtomicLong();
    private final Clock clock = Clock.systemUTC();

    /**
     * @param store      the store to write to
     * @param run        a word unique to this run, so idempotency keys never collide with earlier runs' rows
     * @param closeStore whether {@link #close()} closes the store
     */
    public StoreLifecycle(HistoryStore store, String run, boolean closeStore) {
        this.store = store;
        this.run = run;
        this.closeStore = closeStore;
    }

    @Override
    public long run() {
        long n = next.incrementAndGet();
        Instant now = now();
        CheckRef ref = CheckRef.of("ncp", "projectId", "1", "historyId", Long.toString(n));
        DeploymentCheck check = new DeploymentCheck("ncp", ref, DeploymentStatus.RUNNING, now, null, now.plus(TIMEOUT),
                null, false, null, TIMEOUT, APPROVAL_TIMEOUT);
        Deployment draft = new Deployment(0, OWNER, repo(n), "production", sha(run, n), false, null,
                key(run, n), DeploymentStatus.RUNNING, now, null, null, null, null, null, List.of(check),
                Map.of("image", "registry.local/app:" + n));
        CreateResult created = store.create(draft, LEASE_OWNER, LEASE);
        Deployment d = created.deployment();
        long id = d.id();
        DeploymentCheck c = d.checks().get(0);

        DeploymentCheck waiting = c.withProgress(DeploymentStatus.RUNNING, c.startedAt(), null, c.deadlineAt(),
                "waiting", false, null);
        require(store.update(new DeploymentUpdate(id, DeploymentStatus.RUNNING, null, null, null, null, null, null,
                List.of(waiting), List.of(DeploymentEvent.of(id, now(), "source_status", "ncp", null, null, "waiting", null)))));

        DeploymentCheck inprogress = waiting.withProgress(DeploymentStatus.RUNNING, c.startedAt(), null,
                c.deadlineAt(), "inprogress", false, null);
        require(store.update(new DeploymentUpdate(id, DeploymentStatus.RUNNING, null, null, null, null, null, null,
                List.of(inprogress), List.of(DeploymentEvent.of(id, now(), "source_status", "ncp", null, null, "inprogress", null)))));

        Instant end = now();
        DeploymentCheck done = inprogress.withProgress(DeploymentStatus.SUCCESS, c.startedAt(), end, c.deadlineAt(),
                "success", false, null);
        require(store.update(new DeploymentUpdate(id, DeploymentStatus.RUNNING, DeploymentStatus.SUCCESS, null, end,
                end, null, null, List.of(done), List.of(DeploymentEvent.of(id, now(), "completed", "ncp",
                DeploymentStatus.RUNNING, DeploymentStatus.SUCCESS, "success", null)))));
        return id;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static void require(boolean applied) {
        if (!applied) {
            throw new IllegalStateException("a compare-and-set update of a running deployment was not applied");
        }
    }

    static String repo(long n) {
        return "app-" + (n % 50);
    }

    static String sha(String run, long n) {
        String hex = Integer.toHexString(run.hashCode()) + "0000000" + Long.toHexString(n);
        return hex.length() > 40 ? hex.substring(hex.length() - 40) : hex;
    }

    static String key(String run, long n) {
        return "bench:" + run + ":" + n;
    }

    @Override
    public void close() {
        if (closeStore) {
            store.close();
        }
    }
}
