package io.deploytrack.core.internal;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The tracker's threads: one scheduler that only picks what is due, and the workers that do the store and source work
 * and call listeners. Knows whether the tracker is closed, so work handed over after closing is dropped quietly.
 */
final class Workers {
    private final ScheduledExecutorService scheduler;
    private final Executor executor;
    private final boolean ownScheduler;
    private final boolean ownExecutor;
    private volatile boolean closed;

    /** Uses the given scheduler and executor, or creates daemon ones (shut down by {@link #shutdown()}) for nulls. */
    Workers(ScheduledExecutorService scheduler, Executor executor) {
        this.ownScheduler = scheduler == null;
        this.scheduler = scheduler != null ? scheduler : Executors.newSingleThreadScheduledExecutor(daemon("deploytrack-scheduler"));
        this.ownExecutor = executor == null;
        this.executor = executor != null ? executor : Executors.newFixedThreadPool(2, daemon("deploytrack-worker"));
    }

    boolean closed() {
        return closed;
    }

    /** Runs {@code r} on a worker; dropped once closed. */
    void execute(Runnable r) {
        try {
            executor.execute(r);
        } catch (RejectedExecutionException e) {
            if (!closed) {
                throw e;
            }
        }
    }

    /** Runs {@code r} on the scheduler thread every {@code every}. */
    ScheduledFuture<?> every(Duration every, Runnable r) {
        long ms = Math.max(1, every.toMillis());
        return scheduler.scheduleWithFixedDelay(r, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** Runs {@code r} on a worker after {@code delay}, unless closed by then. */
    void later(Duration delay, Runnable r) {
        if (closed) {
            return;
        }
        try {
            scheduler.schedule(() -> execute(r), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            if (!closed) {
                throw e;
            }
        }
    }

    /** Marks the tracker closed: from now on work is dropped. */
    void markClosed() {
        closed = true;
    }

    /** Stops the threads this tracker created (waiting up to 10 s for the workers to finish what they do). */
    void shutdown() {
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
