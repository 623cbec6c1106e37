package io.deploytrack.cli.internal;

import io.deploytrack.core.CheckRef;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.DeploymentStatus;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The progress display: a live line per deployment on a terminal, plain lines otherwise. */
class ProgressTest {
    static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
    static final Clock CLOCK = Clock.fixed(START.plusSeconds(45), ZoneOffset.UTC);

    static Deployment running(long id, String sourceStatus) {
        CheckRef ref = CheckRef.of("ncp", "projectId", "1", "historyId", String.valueOf(id));
        DeploymentCheck c = new DeploymentCheck("ncp", ref, DeploymentStatus.RUNNING, START, null,
                START.plusSeconds(300), sourceStatus, false, null, Duration.ofMinutes(5), Duration.ofHours(24));
        return new Deployment(id, "acme", "web", "production", "3f2c1a9", false, null, null, DeploymentStatus.RUNNING,
                START, null, null, null, null, null, List.of(c), Map.of());
    }

    @Test
    void onATerminalEachDeploymentHasALiveLineRedrawnInPlace() {
        StringWriter text = new StringWriter();
        try (Progress p = new Progress(new PrintWriter(text, true), true, CLOCK)) {
            p.follow(running(7, null));
            p.follow(running(8, null));
            Deployment seven = running(7, "inprogress");
            p.onStatusChanged(seven, seven.checks().get(0));
            String live = text.toString();
            assertThat(live).contains("\u001b[2K#7 acme/web@3f2c1a9 (production)  45s  ncp: inprogress",
                    "#8 acme/web@3f2c1a9 (production)  45s  ncp: waiting for the first status", "\u001b[2A");
            Deployment done = running(7, "success").withOutcome(DeploymentStatus.SUCCESS, START, START.plusSeconds(44),
                    START.plusSeconds(44), null, null);
            p.onCompleted(done);
            assertThat(text.toString().substring(live.length()))
                    .contains("#7 acme/web@3f2c1a9 (production): success after 44s");
            assertThat(p.activeCount()).isEqualTo(1);
        }
    }

    @Test
    void elsewherePlainLinesOnlyWhenTheSourceStatusChanges() {
        StringWriter text = new StringWriter();
        try (Progress p = new Progress(new PrintWriter(text, true), false, CLOCK)) {
            p.follow(running(7, null));
            Deployment seven = running(7, "inprogress");
            p.onStatusChanged(seven, seven.checks().get(0));
            p.onStatusChanged(seven, seven.checks().get(0));
            p.onCompleted(running(7, "fail").withOutcome(DeploymentStatus.FAILED, START, null, START.plusSeconds(45),
                    "ncp", "NCP says fail"));
        }
        List<String> lines = text.toString().lines().toList();
        assertThat(text.toString()).doesNotContain("\u001b[");
        assertThat(lines).containsExactly(
                "2026-03-01 10:00:45Z #7 acme/web@3f2c1a9 (production): following",
                "2026-03-01 10:00:45Z #7 acme/web@3f2c1a9 (production): ncp inprogress, 45s elapsed",
                "2026-03-01 10:00:45Z #7 acme/web@3f2c1a9 (production): failed after 45s (ncp: NCP says fail)");
    }
}
