package io.deploytrack.spring;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.HistoryQuery;
import io.deploytrack.core.HistoryStore;
import io.deploytrack.core.LeaseInfo;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code deploytrack} health check, the same on both Boot lines (each starter adapts it to its
 * {@code HealthIndicator}): down with the reason when the store cannot be read, down when leases of this instance
 * expired while it still follows them (they are not being renewed); up otherwise, with the running and stale counts.
 * It reads at most {@value #SAMPLE} running rows.
 */
public final class DeploytrackHealth {
    /** How many running rows one check reads at most. */
    public static final int SAMPLE = 200;

    private final HistoryStore store;
    private final DeploymentTracker tracker;
    private final Clock clock;

    /**
     * A check of one tracker and its store.
     *
     * @param store   the store
     * @param tracker the tracker
     * @param clock   the clock that says whether a lease or a deadline has passed
     */
    public DeploytrackHealth(HistoryStore store, DeploymentTracker tracker, Clock clock) {
        this.store = store;
        this.tracker = tracker;
        this.clock = clock;
    }

    /**
     * Checks now.
     *
     * @return the verdict and its details
     */
    public Report check() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("instanceId", tracker.instanceId());
        details.put("leasesHeld", tracker.inFlight());
        // numbers as JSON numbers, so a monitor can compare them without parsing
        details.put("leaseDurationSeconds", seconds(tracker.settings().leaseDuration()));
        details.put("pollIntervalSeconds", seconds(tracker.settings().pollInterval()));
        List<Deployment> running;
        try {
            running = store.list(HistoryQuery.all(SAMPLE).withStatus(DeploymentStatus.RUNNING));
        } catch (RuntimeException e) {
            details.put("reason", "the history store cannot be read: " + e.getMessage());
            return new Report(false, details);
        }
        Instant now = clock.instant();
        int stale = 0;
        int expiredOwn = 0;
        try {
            for (Deployment d : running) {
                Optional<LeaseInfo> lease = store.lease(d.id());
                boolean live = lease.map(LeaseInfo::until).map(now::isBefore).orElse(false);
                if (!live && pastDeadline(d, now)) {
                    stale++;
                }
                if (!live && lease.map(LeaseInfo::owner).filter(tracker.instanceId()::equals).isPresent()) {
                    expiredOwn++;
                }
            }
        } catch (RuntimeException e) {
            details.put("reason", "the history store cannot be read: " + e.getMessage());
            return new Report(false, details);
        }
        details.put("running", running.size());
        details.put("runningCapped", running.size() >= SAMPLE); // true: at least that many, only a sample was read
        details.put("stale", stale);
        details.put("expiredLeases", expiredOwn);
        if (expiredOwn > 0 && tracker.inFlight() > 0) {
            details.put("reason", expiredOwn + " lease(s) of this instance expired: they are not being renewed");
            return new Report(false, details);
        }
        return new Report(true, details);
    }

    private static boolean pastDeadline(Deployment d, Instant now) {
        for (DeploymentCheck c : d.checks()) {
            if (!c.status().isTerminal() && c.deadlineAt() != null && c.deadlineAt().isBefore(now)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A verdict.
     *
     * @param up      whether deploytrack is healthy
     * @param details what was seen ({@code reason} when down)
     */
    public record Report(boolean up, Map<String, Object> details) {
        /** Copies the details. */
        public Report {
            details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
        }
    }

    private static double seconds(java.time.Duration d) {
        return d.toNanos() / 1e9;
    }
}
