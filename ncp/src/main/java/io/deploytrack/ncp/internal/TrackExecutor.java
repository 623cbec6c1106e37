package io.deploytrack.ncp.internal;

import io.deploytrack.core.support.DaemonThreads;

import java.util.concurrent.Executor;

/**
 * Where a started deployment is recorded (a store write) once NCP answered, so that no HTTP client thread ever waits
 * on a database: a few daemon threads, created on demand and ended after a minute idle.
 */
public final class TrackExecutor {

    private static final int THREADS = 4;

    private TrackExecutor() {
    }

    private static final class Holder {
        static final Executor POOL = DaemonThreads.idlePool("deploytrack-ncp-track-", THREADS);
    }

    /** @return the shared executor */
    public static Executor shared() {
        return Holder.POOL;
    }
}
