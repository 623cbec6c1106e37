package io.deploytrack.kubernetes.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where {@code KubernetesDeployments} patches a workload and records the rollout (calls that block on the API server
 * and the store), so that its caller never waits: a few daemon threads, created on demand and ended after a minute
 * idle.
 */
public final class DeployExecutor {

    private static final int THREADS = 4;

    private DeployExecutor() {
    }

    private static final class Holder {
        static final ThreadPoolExecutor POOL = create();

        private static ThreadPoolExecutor create() {
            AtomicInteger n = new AtomicInteger();
            ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), r -> {
                        Thread t = new Thread(r, "deploytrack-kubernetes-deploy-" + n.incrementAndGet());
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
