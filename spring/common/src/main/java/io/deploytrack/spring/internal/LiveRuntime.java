package io.deploytrack.spring.internal;

import io.deploytrack.core.HistoryStore;
import io.deploytrack.live.LiveCodec;
import io.deploytrack.live.LiveHub;
import org.springframework.context.SmartLifecycle;

import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The live hub of a Spring application and the daemon thread it ticks on (also the SSE streams' keep-alives). Started
 * with the context; stopped before the web server's graceful shutdown (the highest phase stops first), ending the
 * event streams so that they do not hold the shutdown up. Not public API.
 */
public final class LiveRuntime implements SmartLifecycle {
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "deploytrack-live-tick");
        t.setDaemon(true);
        return t;
    });
    private final LiveHub hub;
    private final Set<Runnable> onStop = ConcurrentHashMap.newKeySet();
    private volatile boolean running;

    /** A hub over {@code store}, not yet ticking. */
    public LiveRuntime(HistoryStore store, LiveCodec codec, Clock clock) {
        hub = LiveHub.builder(store).codec(codec).clock(clock).scheduler(scheduler).build();
    }

    /** The hub the WebSocket and SSE clients connect to. */
    public LiveHub hub() {
        return hub;
    }

    /** The thread of the keep-alives. */
    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** Runs {@code end} when the runtime stops, unless {@link #forget forgotten} first (the client left). */
    void onStop(Runnable end) {
        onStop.add(end);
    }

    void forget(Runnable end) {
        onStop.remove(end);
    }

    @Override
    public void start() {
        hub.start();
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        hub.close();
        onStop.forEach(Runnable::run);
        onStop.clear();
        scheduler.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
