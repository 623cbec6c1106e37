package io.deploytrack.core.support;

import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Small pools of named daemon threads for deploytrack's modules and extensions: work that blocks (an API call, a
 * store write) handed off so that the caller's thread never waits, without keeping the JVM alive at exit.
 */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    /**
     * A pool of at most {@code threads} daemon threads named {@code <namePrefix><n>}, created on demand and ended after
     * a minute idle; work beyond them waits in an unbounded queue.
     *
     * @param namePrefix the threads' name before their number, e.g. {@code deploytrack-ncp-track-}
     * @param threads    how many threads at most, at least 1
     * @return the pool
     * @throws IllegalArgumentException when {@code threads} is below 1
     */
    public static ExecutorService idlePool(String namePrefix, int threads) {
        Objects.requireNonNull(namePrefix, "namePrefix");
        if (threads < 1) {
            throw new IllegalArgumentException("a daemon pool needs at least 1 thread: got " + threads);
        }
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, namePrefix + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
