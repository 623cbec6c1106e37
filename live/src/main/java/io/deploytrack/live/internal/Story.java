package io.deploytrack.live.internal;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.DeploymentEvent;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.StageProgress;
import io.deploytrack.live.LiveCodec;
import io.deploytrack.live.LiveMessage;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The messages one deployment's event log tells, event by event: the same events in the same order always give the
 * same messages, so a replay on subscribe and the live stream agree. Declared stages speak through their own
 * {@code stage_started}/{@code stage_completed} events; a deployment without declared stages shows each check as a
 * stage, started with the deployment and ended with its check (or with the deployment). A stage that ended
 * successfully gets {@code stage_progress} at 100 just before its {@code stage_completed}, and never before. Not
 * public API.
 */
public final class Story {
    private final LiveCodec codec;
    private final Set<String> started = new LinkedHashSet<>();
    private final Set<String> completed = new LinkedHashSet<>();
    private boolean begun;
    private boolean ended;
    private long lastEventId;

    public Story(LiveCodec codec) {
        this.codec = codec;
    }

    /** The id of the last event applied, 0 before the first. */
    public long lastEventId() {
        return lastEventId;
    }

    /** Whether {@code deployment_completed} was told. */
    public boolean ended() {
        return ended;
    }

    /** Whether {@code stage} was told to have started and not to have ended. */
    public boolean isRunning(String stage) {
        return started.contains(stage) && !completed.contains(stage);
    }

    /** The messages of {@code e}, an event of {@code d} (as stored now); events at or before the last one give none. */
    public List<LiveMessage> apply(Deployment d, DeploymentEvent e) {
        List<LiveMessage> out = new ArrayList<>(3);
        if (e.id() != 0 && e.id() <= lastEventId) {
            return out;
        }
        lastEventId = Math.max(lastEventId, e.id());
        boolean staged = !d.stages().isEmpty();
        // a type this version does not know (a newer writer's) tells nothing to the story
        DeploymentEvent.Type type = e.knownType().orElse(null);
        if (type != null) {
            switch (type) {
                case STARTED -> {
                    if (!begun) {
                        begun = true;
                        out.add(codec.deploymentStarted(d, e.at(), e.id()));
                        if (!staged) {
                            for (DeploymentCheck c : d.checks()) {
                                start(out, d, c.name(), c.startedAt() != null ? c.startedAt() : e.at(), e.id());
                            }
                        }
                    }
                }
                case STAGE_STARTED -> start(out, d, e.checkName(), e.at(), e.id());
                case STAGE_COMPLETED, CHECK_COMPLETED -> {
                    DeploymentCheck c = d.check(e.checkName()).orElse(null);
                    if (c != null && (staged == c.stage())) {
                        DeploymentStatus status = e.toStatus() != null ? e.toStatus() : c.status();
                        complete(out, d, c, status, e.at(), e.id());
                    }
                }
                default -> {
                }
            }
        }
        if (e.toStatus() != null && e.toStatus().isTerminal() && !ended && !e.is(DeploymentEvent.Type.STAGE_STARTED)
                && !e.is(DeploymentEvent.Type.STAGE_COMPLETED) && !e.is(DeploymentEvent.Type.STAGE_ATTACHED)
                && !e.is(DeploymentEvent.Type.CHECK_COMPLETED)) {
            for (DeploymentCheck c : staged ? d.stages() : d.checks()) {
                if (started.contains(c.name()) && !completed.contains(c.name())) {
                    DeploymentStatus status = c.status().isTerminal() ? c.status() : e.toStatus();
                    complete(out, d, c, status, c.completedAt() != null ? c.completedAt() : e.at(), e.id());
                }
            }
            ended = true;
            Instant end = d.completedAt() != null ? d.completedAt() : e.at();
            Duration total = d.startedAt() == null || end.isBefore(d.startedAt()) ? Duration.ZERO
                    : Duration.between(d.startedAt(), end);
            out.add(codec.deploymentCompleted(d, e.toStatus(), total, end, e.id()));
        }
        return out;
    }

    private void start(List<LiveMessage> out, Deployment d, String stage, Instant at, long eventId) {
        if (stage != null && started.add(stage)) {
            out.add(codec.stageStarted(d, stage, at, eventId));
        }
    }

    private void complete(List<LiveMessage> out, Deployment d, DeploymentCheck c, DeploymentStatus status, Instant at,
                          long eventId) {
        if (!started.contains(c.name())) {
            // A stage whose start no event told (it ended at its first answer): its start first.
            start(out, d, c.name(), c.startedAt() != null ? c.startedAt() : at, eventId);
        }
        if (!completed.add(c.name())) {
            return;
        }
        Instant from = c.startedAt() != null ? c.startedAt() : at;
        Instant end = c.completedAt() != null && c.status().isTerminal() ? c.completedAt() : at;
        Duration took = end.isBefore(from) ? Duration.ZERO : Duration.between(from, end);
        if (status == DeploymentStatus.SUCCESS) {
            StageProgress done = new StageProgress(c.name(), status, StageProgress.Phase.ENDED, from, end, took, null,
                    100, null, status.word() + " after " + took.toSeconds() + " s");
            out.add(codec.stageProgress(d, done, 100, end, eventId));
        }
        out.add(codec.stageCompleted(d, c.name(), status, took, end, eventId));
    }
}
