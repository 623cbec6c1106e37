package io.deploytrack.core.support;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTest {
    private static final Duration SECOND = Duration.ofSeconds(1);

    @Test
    void doublesFromTheFirstDelayUpToTheCap() {
        Backoff b = Backoff.of(SECOND, Duration.ofSeconds(10), 0);
        assertThat(b.delay(1, () -> 0.9)).isEqualTo(SECOND);
        assertThat(b.delay(2, () -> 0.9)).isEqualTo(Duration.ofSeconds(2));
        assertThat(b.delay(4, () -> 0.9)).isEqualTo(Duration.ofSeconds(8));
        assertThat(b.delay(5, () -> 0.9)).isEqualTo(Duration.ofSeconds(10));
        assertThat(b.delay(Integer.MAX_VALUE, () -> 0.9)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void jitterSpreadsEachDelayBothWays() {
        Backoff b = Backoff.of(SECOND, Duration.ofSeconds(10), 0.2);
        assertThat(b.delay(1, () -> 0.0)).isEqualTo(Duration.ofMillis(800));
        assertThat(b.delay(1, () -> 0.5)).isEqualTo(SECOND);
        assertThat(b.delay(5, () -> 0.999_999)).isEqualTo(Duration.ofMillis(12_000));
        Random random = new Random(7);
        for (int attempt = 1; attempt < 70; attempt++) {
            long ms = b.delay(attempt, random::nextDouble).toMillis();
            assertThat(ms).isBetween(800L, 12_000L);
        }
    }

    @Test
    void neverLessThanOneMillisecond() {
        assertThat(Backoff.of(Duration.ofNanos(10), Duration.ofNanos(20), 1).delay(1, () -> 0.0))
                .isEqualTo(Duration.ofMillis(1));
    }

    @Test
    void badValuesAreNamed() {
        assertThatThrownBy(() -> Backoff.of(Duration.ZERO, SECOND, 0)).hasMessageContaining("first backoff PT0S");
        assertThatThrownBy(() -> Backoff.of(SECOND, Duration.ofMillis(10), 0))
                .hasMessageContaining("max backoff PT0.01S is shorter than the first PT1S");
        assertThatThrownBy(() -> Backoff.of(SECOND, SECOND, 1.5)).hasMessageContaining("jitter 1.5");
        assertThatThrownBy(() -> Backoff.of(SECOND, SECOND, 0).delay(0, () -> 0))
                .hasMessageContaining("attempt 0");
    }
}
