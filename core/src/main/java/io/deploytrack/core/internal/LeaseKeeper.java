package io.deploytrack.core.internal;

import io.deploytrack.core.HistoryStore;
import io.deploytrack.core.TrackerSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * This instance's leases: renews them in the store and remembers, per deployment, until when the last confirmed lease
 * may be acted on (the lease minus a sixth), measured on the tracker's {@link io.deploytrack.core.Ticker} so that a
 * wall-clock jump never cuts it short and a test's {@code ManualClock} moves it.
 */
final class LeaseKeeper {
    private final HistoryStore store;
    private final TrackerTime time;
    private final String owner;
    private final TrackerSettings settings;
    private final long validityNanos;

    LeaseKeeper(HistoryStore store, TrackerTime time, TrackerSettings settings) {
        this.store = store;
        this.time = time;
        this.owner = settings.instanceId();
        this.settings = settings;
        this.validityNanos = settings.leaseValidity().toNanos();
    }

    /** A ticker reading to pass to {@link #confirmed} once the store confirms a lease asked for now. */
    long reading() {
        return time.nanos();
    }

    /** The store confirmed {@code t}'s lease, asked for at {@code askedAt} (a {@link #reading()}). */
    void confirmed(Tracked t, long askedAt) {
        t.leaseValidUntilNanos = askedAt + validityNanos;
    }

    /** Whether this instance may still act on {@code t} (poll its source) by its own reckoning. */
    boolean mayAct(Tracked t) {
        return t.leaseValidUntilNanos - time.nanos() > 0;
    }

    /** Extends the lease of {@code t} alone; false when this instance no longer holds it. */
    boolean renew(Tracked t) {
        long asked = reading();
        if (!store.renew(owner, List.of(t.id), settings.leaseDuration()).contains(t.id)) {
            return false;
        }
        confirmed(t, asked);
        return true;
    }

    /** Extends the leases of {@code ts}; returns those this instance no longer holds. */
    List<Tracked> renew(List<Tracked> ts) {
        if (ts.isEmpty()) {
            return List.of();
        }
        long asked = reading();
        List<Long> ids = ts.stream().map(t -> t.id).toList();
        Set<Long> held = store.renew(owner, ids, settings.leaseDuration());
        List<Tracked> lost = new ArrayList<>();
        for (Tracked t : ts) {
            if (held.contains(t.id)) {
                confirmed(t, asked);
            } else {
                lost.add(t);
            }
        }
        return lost;
    }
}
