package io.deploytrack.jdbc;

import io.deploytrack.jdbc.internal.Times;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The stored text of times: the hand-written writer gives exactly what the formatter gives, and reads back. */
class TimesTest {
    private static final DateTimeFormatter REFERENCE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private static String reference(Instant t) {
        return REFERENCE.format(t.truncatedTo(ChronoUnit.MILLIS));
    }

    @Test
    void edgeInstantsAreWrittenAsTheFormatterWritesThem() {
        List<Instant> edges = new ArrayList<>(List.of(Instant.EPOCH, Instant.EPOCH.minusNanos(1),
                Instant.EPOCH.plusNanos(999_999), Instant.EPOCH.plusMillis(999), Instant.ofEpochSecond(-1),
                Instant.parse("0001-01-01T00:00:00Z"), Instant.parse("0001-01-01T00:00:00Z").minusMillis(1),
                Instant.parse("9999-12-31T23:59:59.999999999Z"), Instant.parse("9999-12-31T23:59:59.999Z").plusMillis(1),
                Instant.parse("1969-12-31T23:59:59.999Z"), Instant.parse("2000-02-29T12:00:00Z"),
                Instant.parse("1900-02-28T23:59:59.999Z"), Instant.parse("1900-03-01T00:00:00Z"),
                Instant.parse("2024-02-29T23:59:59.999Z"), Instant.parse("2024-03-01T00:00:00.000Z"),
                Instant.parse("2026-12-31T23:59:59.999Z"), Instant.parse("2027-01-01T00:00:00Z"),
                Instant.parse("2038-01-19T03:14:08Z"), Instant.parse("1582-10-15T00:00:00Z"),
                Instant.parse("0000-06-01T00:00:00Z"), Instant.parse("-0001-01-01T00:00:00Z"),
                Instant.parse("+10000-01-01T00:00:00Z"), Instant.parse("+99999-12-31T23:59:59.999Z")));
        for (int year : new int[]{1, 4, 99, 100, 400, 999, 1000, 1970, 2000, 2100, 2400, 9999}) {
            for (int month = 1; month <= 12; month++) {
                LocalDateTime first = LocalDateTime.of(year, month, 1, 0, 0);
                edges.add(first.toInstant(ZoneOffset.UTC));
                edges.add(first.plusMonths(1).minusNanos(1).toInstant(ZoneOffset.UTC));
            }
        }
        for (Instant t : edges) {
            assertThat(Times.format(t)).as("%s", t).isEqualTo(reference(t));
        }
        assertThat(Times.format(Instant.parse("2026-03-01T10:00:00Z"))).isEqualTo("2026-03-01T10:00:00.000Z");
    }

    @Test
    void randomInstantsAreWrittenAsTheFormatterWritesThemAndReadBack() {
        SplittableRandom random = new SplittableRandom(16);
        long first = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
        long end = Instant.parse("+10000-01-01T00:00:00Z").getEpochSecond();
        long near = Instant.parse("2026-01-01T00:00:00Z").getEpochSecond();
        for (int i = 0; i < 200_000; i++) {
            long second = i % 2 == 0 ? random.nextLong(first, end) : near + random.nextLong(-4_000_000_000L, 4_000_000_000L);
            Instant t = Instant.ofEpochSecond(second, random.nextInt(1_000_000_000));
            String text = Times.format(t);
            assertThat(text).as("%s", t).isEqualTo(reference(t)).hasSize(24);
            assertThat(Times.parse(text)).isEqualTo(t.truncatedTo(ChronoUnit.MILLIS));
        }
    }

    @Test
    void theStoresOwnTextIsReadAsInstantParseReadsIt() {
        for (String text : List.of("2026-03-01T10:00:00.000Z", "0001-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z",
                "2024-02-29T23:59:59.999Z", "1969-12-31T23:59:59.999Z", "1970-01-01T00:00:00.001Z",
                " 2026-03-01T10:00:00.123Z ", "2026-03-01T23:59:60.000Z", "2026-03-01T24:00:00.000Z")) {
            assertThat(Times.parse(text)).as(text).isEqualTo(Instant.parse(text.trim()));
        }
        assertThat(Times.parse("2026-03-01T10:00:00.000+09:00")).isEqualTo(Instant.parse("2026-03-01T01:00:00Z"));
        assertThat(Times.parse("2026-03-01 10:00:00.000")).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
        for (String bad : List.of("2023-02-29T10:00:00.000Z", "2026-13-01T10:00:00.000Z", "2026-04-31T10:00:00.000Z",
                "2026-03-01T10:60:00.000Z", "2026-0x-01T10:00:00.000Z",
                "2026-03-01T10:00:00.-01Z")) {
            assertThatThrownBy(() -> Times.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
