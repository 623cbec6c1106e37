package io.deploytrack.examples.live;

import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.InMemoryHistoryStore;
import io.deploytrack.core.Observation;
import io.deploytrack.core.testkit.ScriptedWatchingSource;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Serves live progress as Server-Sent Events: run it, then {@code curl -N http://127.0.0.1:8088/events} (or open it
 * in a browser's EventSource) while three scripted deployments run.
 */
public final class LiveProgressExample {
    private LiveProgressExample() {
    }

    /** Runs three scripted deployments while serving their changes; port from the first argument (default 8088). */
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8088;
        ScriptedWatchingSource source = ScriptedWatchingSource.of();
        try (DeploymentFeed feed = new DeploymentFeed(Executors.newSingleThreadExecutor(), 256, Clock.systemUTC());
             SseServer sse = new SseServer(feed, "127.0.0.1", port);
             DeploymentTracker tracker = DeploymentTracker.builder(InMemoryHistoryStore.of()).source(source)
                     .listener(feed).build().start()) {
            System.out.println("events at " + sse.eventsUri() + " (curl -N " + sse.eventsUri() + ")");
            for (int i = 1; i <= 3; i++) {
                var ref = source.ref("run-" + i);
                var h = tracker.track(DeploymentRequest.builder("acme", "web", "abc123" + i).environment("env" + i).build(), ref);
                source.emit(ref, Observation.inProgress("waiting"));
                source.emit(ref, Observation.inProgress("inprogress"));
                source.emit(ref, Observation.succeeded("success"));
                System.out.println(h.completion().get(10, TimeUnit.SECONDS).status());
            }
        }
    }
}
