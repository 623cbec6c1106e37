package io.deploytrack.kubernetes.internal;

import io.deploytrack.core.support.DaemonThreads;

import java.util.concurrent.Executor;

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
        static final Executor POOL = DaemonThreads.idlePool("deploytrack-kubernetes-deploy-", THREADS);
    }

    /** @return the shared executor */
    public static Executor shared() {
        return Holder.POOL;
    }
}
