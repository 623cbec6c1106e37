package io.deploytrack.jdbc.internal;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading stored times: the fast path for deploytrack's own form agrees with {@link Instant#parse} everywhere. */
class TimesParseTest {

    @Test
    void theStoredFormReadsAsInstantParseReadsIt() {
        SplittableRandom random = new SplittableRandom(16);
        long max = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();
        for (int i = 0; i < 100_000; i++) {
            Instant t = Instant.ofEpochMilli(random.nextLong(0, max));
            String text = Times.format(t);
            assertThat(Times.parseFixed(text)).as(text).isEqualTo(Instant.parse(text));
            assertThat(Times.parse(text)).isEqualTo(t);
        }
        for (String edge : List.of("1970-01-01T00:00:00.000Z", "2024-02-29T23:59:59.999Z", "2026-12-31T23:59:59.000Z",
                "2027-01-01T00:00:00.001Z", "0001-01-01T00:00:00.000Z", "2000-02-29T12:00:00.500Z")) {
            assertThat(Times.parseFixed(edge)).as(edge).isEqualTo(Instant.parse(edge));
        }
    }

    @Test
    void anythingElseIsLeftToTheGeneralParse() {
        for (String other : List.of("2026-02-30T10:00:00.000Z", "2026-13-01T10:00:00.000Z", "2026-03-01T24:00:00.000Z",
                "2026-03-01T10:60:00.000Z", "2026-03-01T10:00:60.000Z", "2026-03-01 10:00:00.000Z",
                "2026-03-01T10:00:00.00Z", "2026-03-01T10:00:00.0000Z", "2026-03-01T10:00:00.000+09:00",
                "2026-0a-01T10:00:00.000Z", "1772359200000", "2026-03-01 10:00:00")) {
            assertThat(Times.parseFixed(other)).as(other).isNull();
        }
        assertThat(Times.parse("2026-03-01T10:00:00Z")).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
        assertThat(Times.parse("2026-03-01 19:00:00", ZoneId.of("Asia/Seoul")))
                .isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
        assertThat(Times.parse("1772359200000")).isEqualTo(Instant.ofEpochMilli(1772359200000L));
    }
}
