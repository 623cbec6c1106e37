package io.deploytrack.micrometer.internal;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.HistoryQuery;
import io.deploytrack.core.HistoryStore;
import io.deploytrack.core.LeaseInfo;
import io.deploytrack.micrometer.DeploytrackMeterNames;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The gauges {@code deploytrack.deployments.running}, {@code deploytrack.deployments.stale} and
 * {@code deploytrack.leases.held}. The first two read the store, at most once per refresh interval whatever the
 * scrape rate; a store that cannot be read makes them NaN (unknown), not zero. Not public API.
 */
public final class Gauges implements MeterBinder {
    private static final Logger log = LoggerFactory.getLogger(Gauges.class);
    private static final int PAGE = 1000;

    private final HistoryStore store;
    private final DeploymentTracker tracker;
    private final Clock clock;
    private final Duration refresh;
    private Snapshot snapshot;

    /** Counts for {@code tracker} over {@code store}; {@code refresh} bounds how often the store is read. */
    public Gauges(HistoryStore store, DeploymentTracker tracker, Clock clock, Duration refresh) {
        this.store = store;
        this.tracker = tracker;
        this.clock = clock;
        this.refresh = refresh;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        // Strong references: a gauge holds its object weakly by default, and callers (as documented) keep no
        // reference to this binder, so after a garbage collection the gauges would read NaN.
        Gauge.builder(DeploytrackMeterNames.DEPLOYMENTS_RUNNING, this, g -> g.snapshot().running)
                .description("deployments recorded as running, all instances").strongReference(true)
                .register(registry);
        Gauge.builder(DeploytrackMeterNames.DEPLOYMENTS_STALE, this, g -> g.snapshot().stale)
                .description("running deployments past a deadline with no live lease").strongReference(true)
                .register(registry);
        Gauge.builder(DeploytrackMeterNames.LEASES_HELD, tracker, DeploymentTracker::inFlight)
                .description("leases this instance holds: the running deployments it follows")
                .register(registry);
    }

    /** The counts, read again when older than the refresh interval. */
    public synchronized Counts counts() {
        Snapshot s = snapshot();
        return new Counts(s.running, s.stale);
    }

    private synchronized Snapshot snapshot() {
        Instant now = clock.instant();
        if (snapshot == null || !now.isBefore(snapshot.at.plus(refresh))) {
            snapshot = read(now);
        }
        return snapshot;
    }

    private Snapshot read(Instant now) {
        try {
            long running = 0;
            long stale = 0;
            HistoryQuery q = HistoryQuery.all(PAGE).withStatus(DeploymentStatus.RUNNING);
            while (true) {
                List<Deployment> page = store.list(q);
                for (Deployment d : page) {
                    running++;
                    if (pastDeadline(d, now) && !leaseLive(d.id(), now)) {
                        stale++;
                    }
                }
                if (page.size() < PAGE) {
                    break;
                }
                q = q.next();
            }
            return new Snapshot(now, running, stale);
        } catch (RuntimeException e) {
            log.warn("deploytrack_gauges_unreadable error=\"{}\"", e.getMessage());
            return new Snapshot(now, Double.NaN, Double.NaN);
        }
    }

    private static boolean pastDeadline(Deployment d, Instant now) {
        for (DeploymentCheck c : d.checks()) {
            if (!c.status().isTerminal() && c.deadlineAt() != null && c.deadlineAt().isBefore(now)) {
                return true;
            }
        }
        return false;
    }

    private boolean leaseLive(long id, Instant now) {
        return store.lease(id).map(LeaseInfo::until).map(now::isBefore).orElse(false);
    }

    /**
     * The store's counts.
     *
     * @param running deployments recorded as running
     * @param stale   running ones past a deadline with no live lease
     */
    public record Counts(double running, double stale) {
    }

    private record Snapshot(Instant at, double running, double stale) {
    }
}
