package io.deploytrack.core;

import io.deploytrack.core.support.DeploymentFields;

import io.deploytrack.core.support.DaemonThreads;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeploymentFieldsTest {
    private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");

    private static Deployment ended(Duration took) {
        return new Deployment(7, "acme", "web", "production", "abc1234", true, 3L, "key", DeploymentStatus.FAILED,
                START, null, START.plus(took), took, "ncp", "stage \"deploy\" failed", List.of(), Map.of());
    }

    @Test
    void aDeploymentHasTheCliKeysInOrderWithIsoTimesAndRoundedSeconds() {
        Map<String, Object> f = DeploymentFields.of(ended(Duration.ofMillis(44_500)));
        assertThat(f.keySet()).containsExactly("id", "owner", "repo", "environment", "commitSha", "rollback", "status",
                "startedAt", "deployedAt", "completedAt", "totalDurationSeconds", "errorStage", "errorMessage");
        assertThat(f.values()).containsExactly(7L, "acme", "web", "production", "abc1234", true, "failed",
                "2026-03-01T10:00:00Z", null, "2026-03-01T10:00:44.500Z", 45L, "ncp", "stage \"deploy\" failed");
        assertThat(DeploymentFields.of(ended(Duration.ofMillis(44_499))).get("totalDurationSeconds")).isEqualTo(44L);
    }

    @Test
    void aRunningDeploymentHasNullWhereUnset() {
        Deployment running = new Deployment(1, "acme", "web", "staging", "abc1234", false, null, "k",
                DeploymentStatus.RUNNING, START, null, null, null, null, null, List.of(), Map.of());
        Map<String, Object> f = DeploymentFields.of(running);
        assertThat(f).containsEntry("completedAt", null).containsEntry("totalDurationSeconds", null)
                .containsEntry("errorStage", null).containsEntry("status", "running").containsEntry("rollback", false);
    }

    @Test
    void checksAndEventsHaveTheShowKeysInOrder() {
        DeploymentCheck check = new DeploymentCheck("ncp", CheckRef.of("ncp", "deployId", "42"), DeploymentStatus.RUNNING,
                START, null, START.plusSeconds(600), "deploying", false, null, Duration.ofMinutes(10), null);
        assertThat(DeploymentFields.ofCheck(check).keySet()).containsExactly("name", "sourceType", "sourceRef", "status",
                "startedAt", "completedAt", "deadlineAt", "lastSourceStatus", "awaitingApproval", "message");
        assertThat(DeploymentFields.ofCheck(check)).containsEntry("deadlineAt", "2026-03-01T10:10:00Z")
                .containsEntry("status", "running").containsEntry("sourceRef", check.ref().encodeFields());
        DeploymentEvent event = new DeploymentEvent(5, 1, START, "status_changed", "ncp", DeploymentStatus.RUNNING,
                DeploymentStatus.SUCCESS, "success", null);
        Map<String, Object> e = DeploymentFields.ofEvent(event);
        assertThat(e.keySet()).containsExactly("id", "at", "type", "checkName", "fromStatus", "toStatus", "sourceStatus",
                "message");
        assertThat(e.values()).containsExactly(5L, "2026-03-01T10:00:00Z", "status_changed", "ncp", "running", "success",
                "success", null);
    }

    @Test
    void daemonPoolsRunWorkOnNamedDaemonThreads() throws Exception {
        ExecutorService pool = DaemonThreads.idlePool("deploytrack-test-", 2);
        try {
            Thread t = CompletableFuture.supplyAsync(Thread::currentThread, pool).get(10, TimeUnit.SECONDS);
            assertThat(t.isDaemon()).isTrue();
            assertThat(t.getName()).isEqualTo("deploytrack-test-1");
        } finally {
            pool.shutdownNow();
        }
        assertThatThrownBy(() -> DaemonThreads.idlePool("x-", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 0");
    }
}
