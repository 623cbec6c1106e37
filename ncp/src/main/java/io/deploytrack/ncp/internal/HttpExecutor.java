package io.deploytrack.ncp.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The executor of the HttpClient that {@code NcpClient} creates, and where its answers are read: a few daemon threads
 * named {@code deploytrack-ncp-http-N}, created on demand and ended after 30 s idle. Without it the JDK's HttpClient
 * uses an unbounded cached pool, which grows to as many threads as there are answers arriving at once (dozens with
 * ten thousand deployments polled); and on machines with two CPUs or fewer, where the common pool has one thread,
 * {@code sendAsync} completes each answer on a new thread of its own: reading the answer here makes that thread's
 * life a hand-over.
 */
public final class HttpExecutor {
    private static final AtomicInteger THREADS = new AtomicInteger();

    private HttpExecutor() {
    }

    /** @return a new executor of {@code min(4, max(2, CPUs))} threads */
    public static ExecutorService create() {
        int size = Math.min(4, Math.max(2, Runtime.getRuntime().availableProcessors()));
        ThreadPoolExecutor pool = new ThreadPoolExecutor(size, size, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, "deploytrack-ncp-http-" + THREADS.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
