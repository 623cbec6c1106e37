package io.deploytrack.core.internal;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.DeploymentListener;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Futures of the end of one stage of a deployment this instance follows, completed from the listener calls (after the
 * store committed the stage's end), so a host can start the next stage once this one succeeded.
 */
final class StageWaiters implements DeploymentListener {
    private record Key(long id, String name) {
    }

    private final Map<Key, List<CompletableFuture<DeploymentCheck>>> waiting = new ConcurrentHashMap<>();

    /** A future of the stage's end; completed at once by {@link #complete} when it already ended. */
    CompletableFuture<DeploymentCheck> await(long id, String name) {
        CompletableFuture<DeploymentCheck> f = new CompletableFuture<>();
        waiting.computeIfAbsent(new Key(id, name), k -> new CopyOnWriteArrayList<>()).add(f);
        return f;
    }

    /** Completes the futures of {@code check} of deployment {@code id}. */
    void complete(long id, DeploymentCheck check) {
        List<CompletableFuture<DeploymentCheck>> fs = waiting.remove(new Key(id, check.name()));
        if (fs != null) {
            fs.forEach(f -> f.complete(check));
        }
    }

    @Override
    public void onStatusChanged(Deployment deployment, DeploymentCheck check) {
        if (check.status().isTerminal()) {
            complete(deployment.id(), check);
        }
    }

    @Override
    public void onCompleted(Deployment deployment) {
        deployment.checks().forEach(c -> complete(deployment.id(), c));
    }
}
