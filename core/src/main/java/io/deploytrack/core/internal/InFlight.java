package io.deploytrack.core.internal;

import io.deploytrack.core.Deployment;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** The deployments this instance follows now, by id. */
final class InFlight {
    private final ConcurrentHashMap<Long, Tracked> byId = new ConcurrentHashMap<>();

    /** The followed deployment {@code id}, or null. */
    Tracked get(long id) {
        return byId.get(id);
    }

    /** The followed deployment of {@code d}'s id, registering {@code d} when none is. */
    Tracked adopt(Deployment d) {
        return byId.computeIfAbsent(d.id(), id -> new Tracked(d));
    }

    /** {@code t} is no longer followed. */
    void remove(Tracked t) {
        byId.remove(t.id, t);
    }

    /** The deployments not yet done. */
    List<Tracked> active() {
        List<Tracked> out = new ArrayList<>();
        for (Tracked t : byId.values()) {
            if (!t.done) {
                out.add(t);
            }
        }
        return out;
    }

    /** Every registered deployment, done or not. */
    Collection<Tracked> all() {
        return byId.values();
    }

    /** How many are registered. */
    int size() {
        return byId.size();
    }
}
