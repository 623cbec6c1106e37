package io.deploytrack.core.internal;

import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.DeploymentEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The events that say when each declared stage started and ended, at the stage's own times (the source's where it
 * reports them); checks that are not stages get none, so single-check and parallel deployments log as before.
 */
final class StageEvents {
    private StageEvents() {
    }

    /** {@code stage_started}, at the stage's start (or {@code now} when it has none). */
    static DeploymentEvent started(long id, DeploymentCheck stage, Instant now) {
        Instant at = stage.startedAt() != null ? stage.startedAt() : now;
        return DeploymentEvent.of(id, at, DeploymentEvent.Type.STAGE_STARTED, stage.name(), null, null, stage.lastSourceStatus(), null);
    }

    /** {@code stage_completed}, at the stage's end, with its status. */
    static DeploymentEvent completed(long id, DeploymentCheck stage, Instant now) {
        Instant at = stage.completedAt() != null ? stage.completedAt() : now;
        return DeploymentEvent.of(id, at, DeploymentEvent.Type.STAGE_COMPLETED, stage.name(), null, stage.status(),
                stage.lastSourceStatus(), stage.message());
    }

    /** The events of {@code finished} ending, as it was {@code before}: its start too when nothing was seen before. */
    static List<DeploymentEvent> ended(long id, DeploymentCheck before, DeploymentCheck finished, Instant now) {
        List<DeploymentEvent> out = new ArrayList<>(2);
        if (!finished.stage()) {
            return out;
        }
        if (before != null && before.lastSourceStatus() == null && finished.isStarted()) {
            out.add(started(id, finished, now));
        }
        out.add(completed(id, finished, now));
        return out;
    }
}
