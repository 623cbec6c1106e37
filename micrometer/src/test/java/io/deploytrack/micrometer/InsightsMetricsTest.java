package io.deploytrack.micrometer;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.DeploymentUpdate;
import io.deploytrack.core.InsightsContract;
import io.deploytrack.core.testkit.ManualClock;
import io.deploytrack.core.testkit.ManualScheduler;
import io.deploytrack.jdbc.JdbcHistoryStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The insights gauges over a real SQLite store holding core's hand-made insights history ({@link InsightsContract}:
 * its comment works out every figure), on a manual clock and scheduler at the window's end, so the 28-day window is
 * the contract's.
 */
class InsightsMetricsTest {
    static final Instant TO = Instant.parse("2026-03-29T00:00:00Z");

    @TempDir
    Path dir;
    final ManualClock clock = ManualClock.of(TO);
    final ManualScheduler scheduler = ManualScheduler.of(clock);
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    JdbcHistoryStore store;
    InsightsMetrics metrics;

    @BeforeEach
    void start() {
        store = JdbcHistoryStore.sqlite(dir.resolve("history.db"));
        InsightsContract.write(store);
        metrics = InsightsMetrics.builder(store).target("acme", "web", "production").target("acme", "web", "staging")
                .window(Duration.ofDays(28)).refresh(Duration.ofMinutes(5)).clock(clock).scheduler(scheduler).build();
    }

    @AfterEach
    void stop() {
        metrics.close();
        store.close();
    }

    double gauge(String name, String environment) {
        return registry.get(name).tags(InsightsMeterNames.TAG_PROJECT, "acme/web", "environment", environment).gauge()
                .value();
    }

    @Test
    void theGaugesCarryTheWorkedOutFiguresAfterTheFirstScheduledRefresh() {
        metrics.bindTo(registry);
        // registered, but nothing worked out until the scheduler runs the refresh: unknown, not zero
        assertThat(gauge(InsightsMeterNames.DEPLOYMENTS, "production")).isNaN();
        assertThat(metrics.refreshedAt()).isNull();

        scheduler.runPending();
        assertThat(metrics.refreshedAt()).isEqualTo(TO);
        // production: D1..D9, R1 and R2, F1 X1 X2 X3 failed; D2, D5, D7 change failures; recoveries 3600, 5100, 93300
        assertThat(gauge(InsightsMeterNames.DEPLOYMENTS, "production")).isEqualTo(9);
        assertThat(gauge(InsightsMeterNames.ROLLBACKS, "production")).isEqualTo(2);
        assertThat(gauge(InsightsMeterNames.FAILED_ATTEMPTS, "production")).isEqualTo(4);
        assertThat(gauge(InsightsMeterNames.DEPLOYMENT_FREQUENCY, "production")).isCloseTo(2.25, within(1e-9));
        assertThat(gauge(InsightsMeterNames.CHANGE_FAILURES, "production")).isEqualTo(3);
        assertThat(gauge(InsightsMeterNames.CHANGE_FAIL_RATE, "production")).isCloseTo(1 / 3.0, within(1e-9));
        assertThat(gauge(InsightsMeterNames.RECOVERY_TIME, "production")).isEqualTo(5100);
        assertThat(gauge(InsightsMeterNames.REWORK_RATE, "production")).isCloseTo(3 / 11.0, within(1e-9));
        // no commit resolver: lead time is unknown, never guessed
        assertThat(gauge(InsightsMeterNames.LEAD_TIME, "production")).isNaN();
        // staging: S1, S2, S3 (a return to c1: a rollback); S2 failed, recovered after 10800 s
        assertThat(gauge(InsightsMeterNames.DEPLOYMENTS, "staging")).isEqualTo(2);
        assertThat(gauge(InsightsMeterNames.CHANGE_FAIL_RATE, "staging")).isEqualTo(0.5);
        assertThat(gauge(InsightsMeterNames.RECOVERY_TIME, "staging")).isEqualTo(10800);
        assertThat(registry.get(InsightsMeterNames.RECOVERY_TIME).gauge().getId().getBaseUnit()).isEqualTo("seconds");
    }

    @Test
    void aScrapeReadsTheLastAnswerAndOnlyTheScheduleReadsTheStoreAgain() {
        metrics.bindTo(registry);
        scheduler.runPending();
        // a tenth deployment after the first refresh
        Deployment d = store.create(new Deployment(0, "acme", "web", "production", "c12", false, null, null,
                DeploymentStatus.RUNNING, TO.plusSeconds(10), null, null, null, null, null, List.of(), Map.of()), "t",
                Duration.ofMinutes(5)).deployment();
        assertThat(store.update(new DeploymentUpdate(d.id(), DeploymentStatus.RUNNING, DeploymentStatus.SUCCESS, null,
                TO.plusSeconds(70), TO.plusSeconds(70), null, null, List.of(), List.of()))).isTrue();
        clock.advance(Duration.ofMinutes(4));
        for (int scrape = 0; scrape < 5; scrape++) {
            assertThat(gauge(InsightsMeterNames.DEPLOYMENTS, "production")).isEqualTo(9);
        }
        // the next refresh, 5 minutes after the first: [TO + 5 min - 28 d, TO + 5 min) holds D1..D9 and the new one
        scheduler.advance(Duration.ofMinutes(1));
        assertThat(metrics.refreshedAt()).isEqualTo(TO.plus(Duration.ofMinutes(5)));
        assertThat(gauge(InsightsMeterNames.DEPLOYMENTS, "production")).isEqualTo(10);

        // closed: no more refreshes, the gauges keep the last answer
        metrics.close();
        scheduler.advance(Duration.ofMinutes(30));
        assertThat(metrics.refreshedAt()).isEqualTo(TO.plus(Duration.ofMinutes(5)));
        assertThat(scheduler.queued()).isZero();
    }

    @Test
    void aStoreThatCannotBeReadMakesTheGaugesUnknownNotZero() {
        metrics.bindTo(registry);
        scheduler.runPending();
        assertThat(gauge(InsightsMeterNames.CHANGE_FAIL_RATE, "production")).isCloseTo(1 / 3.0, within(1e-9));
        store.close();
        scheduler.advance(Duration.ofMinutes(5));
        assertThat(gauge(InsightsMeterNames.CHANGE_FAIL_RATE, "production")).isNaN();
        assertThat(gauge(InsightsMeterNames.DEPLOYMENTS, "production")).isNaN();
    }

    @Test
    void settingsThatCannotWorkAreRefusedNamingWhatIsExpected() {
        assertThatThrownBy(() -> InsightsMetrics.builder(store).scheduler(scheduler).build())
                .hasMessageContaining("expected target(owner, repo, environment)");
        assertThatThrownBy(() -> InsightsMetrics.builder(store).target("acme", "web", "production").build())
                .hasMessageContaining("no scheduler");
        assertThatThrownBy(() -> InsightsMetrics.builder(store).window(Duration.ZERO))
                .hasMessageContaining("window PT0S is not usable: expected more than zero");
        metrics.bindTo(registry);
        assertThatThrownBy(() -> metrics.bindTo(new SimpleMeterRegistry())).hasMessageContaining("bound already");
    }
}
