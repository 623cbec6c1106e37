package io.deploytrack.core;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import static io.deploytrack.core.DeploymentStatus.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeploymentStatusTest {

    @Test
    void wordsAreTheStoredOnes() {
        assertThat(RUNNING.word()).isEqualTo("running");
        assertThat(SUCCESS.word()).isEqualTo("success");
        assertThat(FAILED.word()).isEqualTo("failed");
        assertThat(CANCELLED.word()).isEqualTo("cancelled");
        assertThat(TIMED_OUT.word()).isEqualTo("timed_out");
        for (DeploymentStatus s : values()) {
            assertThat(fromWord(s.word())).isSameAs(s);
        }
        assertThatThrownBy(() -> fromWord("canceled")).hasMessageContaining("'canceled'").hasMessageContaining("cancelled");
    }

    @Test
    void runningMayEndInAnyTerminalStatus() {
        for (DeploymentStatus to : new DeploymentStatus[]{SUCCESS, FAILED, CANCELLED, TIMED_OUT}) {
            assertThat(RUNNING.canTransitionTo(to, false)).as("running -> %s", to).isTrue();
            assertThat(RUNNING.canTransitionTo(to, true)).as("running -> %s (reconcile)", to).isTrue();
        }
        assertThat(RUNNING.canTransitionTo(RUNNING, false)).isFalse();
    }

    @Test
    void timedOutMovesOnlyThroughReconcile() {
        for (DeploymentStatus to : new DeploymentStatus[]{SUCCESS, FAILED, CANCELLED}) {
            assertThat(TIMED_OUT.canTransitionTo(to, false)).as("timed_out -> %s", to).isFalse();
            assertThat(TIMED_OUT.canTransitionTo(to, true)).as("timed_out -> %s (reconcile)", to).isTrue();
        }
        assertThat(TIMED_OUT.canTransitionTo(TIMED_OUT, true)).isFalse();
        assertThat(TIMED_OUT.canTransitionTo(RUNNING, true)).isFalse();
        assertThatThrownBy(() -> TIMED_OUT.checkTransitionTo(SUCCESS, false))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessageContaining("timed_out").hasMessageContaining("reconcile");
    }

    @ParameterizedTest
    @EnumSource(value = DeploymentStatus.class, names = {"SUCCESS", "FAILED", "CANCELLED"})
    void finalStatusesNeverChange(DeploymentStatus from) {
        for (DeploymentStatus to : values()) {
            assertThat(from.canTransitionTo(to, false)).as("%s -> %s", from, to).isFalse();
            assertThat(from.canTransitionTo(to, true)).as("%s -> %s (reconcile)", from, to).isFalse();
        }
        assertThatThrownBy(() -> from.checkTransitionTo(RUNNING, true))
                .isInstanceOf(IllegalTransitionException.class).hasMessageContaining("never goes back to running");
    }
}
