package io.deploytrack.ncp.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where a started deployment is recorded (a store write) once NCP answered, so that no HTTP client thread ever waits
 * on a database: a few daemon threads, created on demand and ended after a minute idle.
 */
public final class TrackExecutor {

    private static final int THREADS = 4;

    private TrackExecutor() {
    }

    private static final class Holder {
        static final ThreadPoolExecutor POOL = create();

        private static ThreadPoolExecutor create() {
            AtomicInteger n = new AtomicInteger();
            ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), r -> {
                        Thread t = new Thread(r, "deploytrack-ncp-track-" + n.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
            pool.allowCoreThreadTimeOut(true);
            return pool;
        }
    }

    /** @return the shared executor */
    public static Executor shared() {
        return Holder.POOL;
    }
}
