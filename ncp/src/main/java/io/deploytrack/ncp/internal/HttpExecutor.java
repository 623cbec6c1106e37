package io.deploytrack.ncp.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads of the HttpClient that {@code NcpClient} creates: {@value #SENDERS} daemon threads named
 * {@code deploytrack-ncp-http-N} that send requests with the blocking {@code HttpClient.send} and read the answers,
 * and one, {@code deploytrack-ncp-http-io-N}, for the HttpClient's internal tasks; all created on demand and ended
 * after 30 s idle. Without them the JDK's HttpClient uses an unbounded cached pool, and on machines with two CPUs or
 * fewer, where the common pool has one thread, {@code sendAsync} completes each answer on a new unnamed thread of its
 * own. Blocking senders bound the requests in flight to {@value #SENDERS}, which an in-process or nearby endpoint
 * answers faster than polls come due.
 */
public final class HttpExecutor {
    private static final AtomicInteger THREADS = new AtomicInteger();

    private HttpExecutor() {
    }

    /** How many threads send requests (blocking) for a client the builder created. */
    public static final int SENDERS = 3;

    /**
     * The HttpClient's own executor when {@link #senders()} send: the client only runs its short internal tasks
     * there, so one thread does.
     *
     * @return a new executor of one thread
     */
    public static ExecutorService internal() {
        return pool(1, "deploytrack-ncp-http-io-");
    }

    /**
     * Where requests are sent with the blocking {@code HttpClient.send} and their answers read: never the
     * HttpClient's own executor (a blocked sender would wait on its own internal tasks).
     *
     * @return a new executor of {@value #SENDERS} threads
     */
    public static ExecutorService senders() {
        return pool(SENDERS, "deploytrack-ncp-http-");
    }

    private static ExecutorService pool(int size, String prefix) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(size, size, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, prefix + THREADS.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
