package io.deploytrack.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * How far a deployment is, stage by stage, at one moment ({@link #at()}); computed from the store, so every instance
 * and every reader of the database gives the same answer at the same moment.
 *
 * @param deployment the deployment as stored
 * @param at         the moment it was computed for
 * @param elapsed    how long it has run (its total duration once it ended)
 * @param stages     its declared stages in order, or its checks when it declares none
 */
public record DeploymentProgress(Deployment deployment, Instant at, Duration elapsed, List<StageProgress> stages) {

    /** Copies the stages. */
    public DeploymentProgress {
        stages = List.copyOf(stages);
    }

    /** The deployment's id. */
    public long id() {
        return deployment.id();
    }

    /** The deployment's status. */
    public DeploymentStatus status() {
        return deployment.status();
    }

    /** The stage with this name. */
    public Optional<StageProgress> stage(String name) {
        return stages.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The stage running now (the first one not ended that has started), if any. */
    public Optional<StageProgress> current() {
        return stages.stream().filter(s -> s.phase() == StageProgress.Phase.RUNNING
                || s.phase() == StageProgress.Phase.OVERRUN).findFirst();
    }

    /**
     * The same progress but for its moment and elapsed times, for telling whether anything changed between two
     * computations: the stages' status, phase, percent and targets, and the deployment's status.
     */
    public List<Object> changeKey() {
        List<Object> key = new java.util.ArrayList<>();
        key.add(deployment.status());
        for (StageProgress s : stages) {
            key.add(List.of(s.name(), s.status(), s.phase(), s.percent(), String.valueOf(s.targets()),
                    String.valueOf(s.expected())));
        }
        return key;
    }
}
