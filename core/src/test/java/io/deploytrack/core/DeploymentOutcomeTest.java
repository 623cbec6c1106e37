package io.deploytrack.core;

import static io.deploytrack.core.DeploymentStatus.CANCELLED;
import static io.deploytrack.core.DeploymentStatus.FAILED;
import static io.deploytrack.core.DeploymentStatus.RUNNING;
import static io.deploytrack.core.DeploymentStatus.SUCCESS;
import static io.deploytrack.core.DeploymentStatus.TIMED_OUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeploymentOutcomeTest {

    private static Map<String, DeploymentStatus> checks(Object... nameThenStatus) {
        Map<String, DeploymentStatus> m = new LinkedHashMap<>();
        for (int i = 0; i < nameThenStatus.length; i += 2) {
            m.put((String) nameThenStatus[i], (DeploymentStatus) nameThenStatus[i + 1]);
        }
        return m;
    }

    @Test
    void allSuccessIsSuccess() {
        assertThat(DeploymentOutcome.ofStatuses(checks("ncp", SUCCESS, "kubernetes", SUCCESS)))
                .isEqualTo(new DeploymentOutcome(SUCCESS, null));
    }

    @Test
    void failedPlusSuccessFailsNamingTheFailedCheck() {
        DeploymentOutcome o = DeploymentOutcome.ofStatuses(checks("ncp", SUCCESS, "smoke", FAILED));
        assertThat(o).isEqualTo(new DeploymentOutcome(FAILED, "smoke"));
        assertThat(o.isDecided()).isTrue();
    }

    @Test
    void failedDecidesEvenWhileAnotherCheckRuns() {
        assertThat(DeploymentOutcome.ofStatuses(checks("a", RUNNING, "b", FAILED)))
                .isEqualTo(new DeploymentOutcome(FAILED, "b"));
    }

    @Test
    void cancelledPlusRunningCancels() {
        assertThat(DeploymentOutcome.ofStatuses(checks("a", CANCELLED, "b", RUNNING)))
                .isEqualTo(new DeploymentOutcome(CANCELLED, "a"));
    }

    @Test
    void successPlusTimedOutCheckTimesOut() {
        assertThat(DeploymentOutcome.ofStatuses(checks("ncp", SUCCESS, "kubernetes", TIMED_OUT)))
                .isEqualTo(new DeploymentOutcome(TIMED_OUT, "kubernetes"));
    }

    @Test
    void theFirstFailureInOrderWinsOverALaterOneAndOverCancellation() {
        assertThat(DeploymentOutcome.ofStatuses(checks("a", CANCELLED, "b", TIMED_OUT, "c", FAILED)))
                .isEqualTo(new DeploymentOutcome(TIMED_OUT, "b"));
    }

    @Test
    void successPlusRunningIsUndecided() {
        DeploymentOutcome o = DeploymentOutcome.ofStatuses(checks("a", SUCCESS, "b", RUNNING, "c", SUCCESS));
        assertThat(o).isEqualTo(new DeploymentOutcome(RUNNING, null));
        assertThat(o.isDecided()).isFalse();
    }

    @Test
    void noChecksIsUndecided() {
        assertThat(DeploymentOutcome.of(List.of()).status()).isEqualTo(RUNNING);
    }

    @Test
    void aCauseOnlyWithAStatusThatHasOne() {
        assertThatThrownBy(() -> new DeploymentOutcome(SUCCESS, "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'x'");
    }
}
