package io.deploytrack.notify;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentHandle;
import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.HistoryStore;
import io.deploytrack.core.Observation;
import io.deploytrack.core.testkit.ScriptedWatchingSource;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

/** Deployments tracked by the real tracker over a real store, ended by a scripted source's observation. */
final class Tracked implements AutoCloseable {
    static final Instant START = Instant.parse("2026-03-01T10:00:00Z");

    final ScriptedWatchingSource source = ScriptedWatchingSource.of();
    final DeploymentTracker tracker;

    Tracked(HistoryStore store) {
        this.tracker = DeploymentTracker.builder(store).discoverSources(false).source(source).build().start();
    }

    /** Tracks one deployment (its "started" event is written). */
    DeploymentHandle start(DeploymentRequest request, String ref) {
        return tracker.track(request, source.ref(ref));
    }

    /** Ends it with the observation (times: 10:00:00 to {@code seconds} later) and waits for the end. */
    Deployment end(DeploymentHandle h, String ref, Observation o, int seconds) throws Exception {
        source.emit(source.ref(ref), o.withTimes(START, START.plusSeconds(seconds)));
        return h.completion().get(20, TimeUnit.SECONDS);
    }

    /** Tracks and ends one deployment. */
    Deployment run(DeploymentRequest request, Observation o, int seconds) throws Exception {
        String ref = request.repo() + "-" + request.commitSha();
        return end(start(request, ref), ref, o, seconds);
    }

    @Override
    public void close() {
        tracker.close();
    }
}
