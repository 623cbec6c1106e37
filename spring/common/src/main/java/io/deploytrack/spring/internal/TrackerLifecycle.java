package io.deploytrack.spring.internal;

import io.deploytrack.core.DeploymentTracker;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the tracker once the context is refreshed (every singleton, the store included, is ready and migrated; the
 * tracker then resumes the running rows it can claim), and closes it on shutdown, giving its leases up so other
 * instances take over at once. Its phase starts it before the web server takes requests and stops it after the web
 * server has drained them. A closed tracker cannot start again: a context restart builds a new one.
 */
public final class TrackerLifecycle implements SmartLifecycle {
    /** Before the web server's start and after its graceful stop. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private final DeploymentTracker tracker;
    private volatile boolean running;

    /** Manages {@code tracker}. */
    public TrackerLifecycle(DeploymentTracker tracker) {
        this.tracker = tracker;
    }

    @Override
    public void start() {
        tracker.start();
        running = true;
    }

    @Override
    public void stop() {
        try {
            tracker.close();
        } finally {
            running = false;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
