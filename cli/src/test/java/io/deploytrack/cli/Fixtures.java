package io.deploytrack.cli;

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

/** Deployments written through the real store, as the tracker writes them. */
final class Fixtures {
    private Fixtures() {
    }

    static Deployment running(HistoryStore store, String project, String env, String sha, Instant start,
                              CheckRef ref, Duration timeout, String leaseOwner, Duration lease) {
        String[] p = project.split("/");
        DeploymentCheck check = new DeploymentCheck(ref.type(), ref, DeploymentStatus.RUNNING, start, null,
                start.plus(timeout), null, false, null, timeout, Duration.ofHours(24));
        Deployment draft = new Deployment(0, p[0], p[1], env, sha, false, null, ref.toString(), DeploymentStatus.RUNNING,
                start, null, null, null, null, null, List.of(check), Map.of("requested_by", "tests"));
        return store.create(draft, leaseOwner, lease).deployment();
    }

    /** A deployment that ended with {@code status} after {@code seconds}. */
    static Deployment finished(HistoryStore store, String project, String env, String sha, Instant start, long seconds,
                               DeploymentStatus status) {
        CheckRef ref = CheckRef.of("scripted-poll", "id", project + "-" + env + "-" + sha + "-" + start.toEpochMilli());
        Deployment d = running(store, project, env, sha, start, ref, Duration.ofMinutes(5), "fixtures", Duration.ofSeconds(30));
        Instant end = start.plusSeconds(seconds);
        DeploymentCheck c = d.checks().get(0).withProgress(status, start, end, start.plusSeconds(300),
                status == DeploymentStatus.SUCCESS ? "success" : "fail", false,
                status == DeploymentStatus.SUCCESS ? null : "the build failed");
        boolean ok = store.update(new DeploymentUpdate(d.id(), DeploymentStatus.RUNNING, status, null,
                status == DeploymentStatus.SUCCESS ? end : null, end,
                status == DeploymentStatus.SUCCESS ? null : c.name(),
                status == DeploymentStatus.SUCCESS ? null : "the build failed", List.of(c),
                List.of(DeploymentEvent.of(d.id(), end, "completed", c.name(), DeploymentStatus.RUNNING, status,
                        c.lastSourceStatus(), null))));
        if (!ok) {
            throw new IllegalStateException("fixture update refused for #" + d.id());
        }
        store.markNotified(d.id());
        return store.find(d.id()).orElseThrow();
    }
}
