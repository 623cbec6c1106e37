package io.deploytrack.core.internal;

import io.deploytrack.core.Deployment;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one place a deployment's end is awaited: one future per deployment id, shared by the handle {@code track}
 * returned and every {@code awaitCompletion}, whoever ends the deployment (this instance, or another one whose end
 * this instance reads from the store). Callers get copies, so they cannot complete it themselves.
 */
final class Completions {
    private final ConcurrentHashMap<Long, CompletableFuture<Deployment>> pending = new ConcurrentHashMap<>();

    /** A future of the end of deployment {@code id}. */
    CompletableFuture<Deployment> await(long id) {
        return pending.computeIfAbsent(id, k -> new CompletableFuture<>()).copy();
    }

    /** The deployment ended: completes its futures. */
    void complete(Deployment ended) {
        CompletableFuture<Deployment> f = pending.remove(ended.id());
        if (f != null) {
            f.complete(ended);
        }
    }

    /** The deployment cannot be awaited any more (it is gone): fails its futures. */
    void fail(long id, Throwable why) {
        CompletableFuture<Deployment> f = pending.remove(id);
        if (f != null) {
            f.completeExceptionally(why);
        }
    }

    /** Fails every open future (the tracker closes). */
    void failAll(Throwable why) {
        for (Long id : List.copyOf(pending.keySet())) {
            fail(id, why);
        }
    }

    /** The ids whose end someone awaits. */
    List<Long> awaited() {
        return List.copyOf(pending.keySet());
    }
}
