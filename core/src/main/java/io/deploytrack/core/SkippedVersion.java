package io.deploytrack.core;

import java.util.Objects;

/**
 * A successful deployment that a rollback target passes over, because a later rollback went back past it: the team
 * rolled away from that version, so offering it again would offer what they just left.
 *
 * @param deployment the version passed over
 * @param rollback   the later rollback that went back past it (to an older version)
 */
public record SkippedVersion(Deployment deployment, Deployment rollback) {

    /** Validates. */
    public SkippedVersion {
        Objects.requireNonNull(deployment, "deployment");
        Objects.requireNonNull(rollback, "rollback");
    }

    /** Why it was skipped, for people: {@code #12 ccccccc: rollback #14 to bbbbbbb went back past it}. */
    public String reason() {
        return "#" + deployment.id() + " " + deployment.shortSha() + ": rollback #" + rollback.id() + " to "
                + rollback.shortSha() + " went back past it";
    }
}
