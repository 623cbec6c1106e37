package io.deploytrack.notify;

import io.deploytrack.core.support.Backoff;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NotifierSettingsTest {
    private static final Backoff BACKOFF = Backoff.of(Duration.ofSeconds(5), Duration.ofMinutes(15), 0.2);

    @Test
    void keepsWhatItWasGiven() {
        NotifierSettings s = new NotifierSettings("notify-a", Duration.ofSeconds(2), 10, BACKOFF,
                Duration.ofMinutes(2), 50);
        assertThat(s.instanceId()).isEqualTo("notify-a");
        assertThat(s.backoff().delay(3, () -> 0.5)).isEqualTo(Duration.ofSeconds(20));
        assertThat(s).isEqualTo(new NotifierSettings("notify-a", Duration.ofSeconds(2), 10, BACKOFF,
                Duration.ofMinutes(2), 50));
    }

    @Test
    void eachBadValueIsNamed() {
        assertThatThrownBy(() -> new NotifierSettings(" ", Duration.ofSeconds(2), 10, BACKOFF, Duration.ofMinutes(2), 50))
                .hasMessageContaining("instanceId ' '");
        assertThatThrownBy(() -> new NotifierSettings("n", Duration.ZERO, 10, BACKOFF, Duration.ofMinutes(2), 50))
                .hasMessageContaining("pollInterval PT0S");
        assertThatThrownBy(() -> new NotifierSettings("n", Duration.ofSeconds(2), 0, BACKOFF, Duration.ofMinutes(2), 50))
                .hasMessageContaining("maxAttempts 0");
        assertThatThrownBy(() -> new NotifierSettings("n", Duration.ofSeconds(2), 10, BACKOFF, null, 50))
                .hasMessageContaining("leaseDuration null");
        assertThatThrownBy(() -> new NotifierSettings("n", Duration.ofSeconds(2), 10, BACKOFF, Duration.ofMinutes(2), 0))
                .hasMessageContaining("batchSize 0");
    }
}
