package io.deploytrack.ncp.internal;

import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Caps how many requests are in flight at once, without blocking a thread: extra requests wait in
 * a queue and start when one in flight completes. Keeps ten thousand tracked deployments from
 * opening ten thousand connections to the gateway at the same moment.
 */
public final class RequestLimiter {

    private final int max;
    private final AtomicInteger active = new AtomicInteger();
    private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();

    /** @param max the most requests in flight at once */
    public RequestLimiter(int max) {
        this.max = max;
    }

    /**
     * Starts {@code call} now or when a slot frees up.
     *
     * @param call starts the request (called at most once, maybe on another thread)
     * @param <T>  the result type
     * @return completes as the call's future does
     */
    public <T> CompletableFuture<T> submit(Supplier<CompletableFuture<T>> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        waiting.add(() -> {
            CompletableFuture<T> started;
            try {
                started = call.get();
            } catch (RuntimeException | Error e) {
                started = CompletableFuture.failedFuture(e);
            }
            started.whenComplete((value, error) -> {
                release();
                if (error != null) {
                    result.completeExceptionally(error);
                } else {
                    result.complete(value);
                }
            });
        });
        drain();
        return result;
    }

    /** @return requests in flight now */
    public int inFlight() {
        return active.get();
    }

    private void release() {
        active.decrementAndGet();
        drain();
    }

    // Takes a slot before taking work, and gives the slot back if the queue turned out empty, then
    // looks again: whoever adds work or frees a slot always re-checks, so no work is stranded.
    private void drain() {
        while (!waiting.isEmpty()) {
            int now = active.get();
            if (now >= max) {
                return;
            }
            if (!active.compareAndSet(now, now + 1)) {
                continue;
            }
            Runnable next = waiting.poll();
            if (next == null) {
                active.decrementAndGet();
                continue;
            }
            next.run();
        }
    }
}
