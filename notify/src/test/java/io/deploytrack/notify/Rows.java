package io.deploytrack.notify;

import io.deploytrack.core.CheckRef;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.DeploymentEvent;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.DeploymentUpdate;
import io.deploytrack.core.HistoryStore;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Deployments written through the store's API exactly as the tracker writes them (create with its "started" event,
 * then the compare-and-set to the end with its "completed" event), for tests that need hundreds of them quickly.
 */
final class Rows {
    private Rows() {
    }

    static Deployment started(HistoryStore store, String owner, String repo, String sha, Instant at) {
        CheckRef ref = CheckRef.of("scripted", "id", repo + "-" + sha);
        Deployment draft = new Deployment(0, owner, repo, "production", sha, false, null, null, DeploymentStatus.RUNNING,
                at, null, null, null, null, null,
                List.of(new DeploymentCheck("scripted", ref, DeploymentStatus.RUNNING, at, null,
                        at.plus(Duration.ofMinutes(5)), null, false, null, Duration.ofMinutes(5), Duration.ofHours(24))),
                Map.of());
        return store.create(draft, "test-writer", Duration.ofMinutes(5)).deployment();
    }

    static Deployment end(HistoryStore store, Deployment d, DeploymentStatus status, Instant at) {
        String message = status == DeploymentStatus.SUCCESS ? null : "ended " + status.word();
        boolean ok = store.update(new DeploymentUpdate(d.id(), DeploymentStatus.RUNNING, status, null,
                status == DeploymentStatus.SUCCESS ? at : null, at, message == null ? null : "scripted", message, List.of(),
                List.of(DeploymentEvent.of(d.id(), at, "completed", "scripted", DeploymentStatus.RUNNING, status,
                        status.word(), message))));
        if (!ok) {
            throw new AssertionError("deployment " + d.id() + " was not running");
        }
        return store.find(d.id()).orElseThrow();
    }
}
