package io.deploytrack.jdbc;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentHandle;
import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.Observation;
import io.deploytrack.core.testkit.ManualClock;
import io.deploytrack.core.testkit.ManualScheduler;
import io.deploytrack.core.testkit.ScriptedWatchingSource;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link DeploymentHistoryEntity} against the schema deploytrack's migrations made, one subclass per database:
 * Hibernate validates the mapping ({@code hbm2ddl.auto=validate}) and reads rows the real tracker wrote.
 */
abstract class DeploymentHistoryEntityContract {
    protected final ManualClock clock = ManualClock.of(Instant.parse("2026-03-01T10:00:00Z"));

    /** Opens the store under test, migrated up to {@code schemaVersion}. */
    protected abstract JdbcHistoryStore openStore(Clock clock, int schemaVersion);

    /** A DataSource for the JPA provider, on the same database. */
    protected abstract DataSource jpaDataSource();

    /** The mapping files a host on this database lists in its persistence unit. */
    protected abstract List<String> mappingFiles();

    /** Provider settings a host on this database gives (the dialect where Hibernate cannot detect it). */
    protected abstract Map<String, Object> providerSettings();

    protected EntityManagerFactory validatedUnit(List<String> mappingFiles) {
        Map<String, Object> settings = new HashMap<>(providerSettings());
        settings.put("hibernate.hbm2ddl.auto", "validate");
        return JpaUnit.open(jpaDataSource(), mappingFiles, settings);
    }

    @Test
    void theEntityValidatesAgainstTheMigratedSchemaAndReadsWhatTheTrackerWrote() {
        ScriptedWatchingSource source = ScriptedWatchingSource.of();
        ManualScheduler scheduler = ManualScheduler.of(clock);
        Deployment success;
        Deployment failed;
        Deployment running;
        Deployment rollback;
        try (JdbcHistoryStore store = openStore(clock, io.deploytrack.jdbc.internal.Migrations.latestVersion());
             DeploymentTracker tracker = DeploymentTracker.builder(store).clock(clock).scheduler(scheduler)
                     .executor(scheduler).discoverSources(false).source(source).instanceId("host-a")
                     .leaseDuration(Duration.ofSeconds(30)).build()) {
            tracker.start();
            Instant sourceStart = clock.instant().minusMillis(2_500);
            DeploymentHandle ok = tracker.track(DeploymentRequest.builder("acme", "web", "aaaaaaa1")
                    .idempotencyKey("ncp:1:100").attribute("image", "registry.local:5000/web:1.2")
                    .attribute("requested_by", "kim & lee").build(), source.ref("ok"));
            DeploymentHandle bad = tracker.track(DeploymentRequest.builder("acme", "api", "bbbbbbb2")
                    .environment("staging").build(), source.ref("bad"));
            DeploymentHandle still = tracker.track(DeploymentRequest.builder("acme", "db", "ccccccc3").build(),
                    source.ref("still"));
            scheduler.runPending();
            source.emit(source.ref("ok"), Observation.inProgress("inprogress").withTimes(sourceStart, null));
            clock.advance(Duration.ofSeconds(45));
            source.emit(source.ref("ok"), Observation.succeeded("success").withTimes(sourceStart, clock.instant()));
            source.emit(source.ref("bad"), Observation.failed("fail", "stage build failed"));
            scheduler.runPending();
            success = ok.completion().join();
            failed = bad.completion().join();
            clock.advance(Duration.ofMinutes(1));
            DeploymentHandle back = tracker.track(DeploymentRequest.builder("acme", "web", "9999999")
                    .rollback(true).rollbackOf(success.id()).build(), source.ref("back"));
            scheduler.runPending();
            rollback = store.find(back.id()).orElseThrow();
            running = store.find(still.id()).orElseThrow();
            assertThat(success.status()).isEqualTo(DeploymentStatus.SUCCESS);
            assertThat(failed.status()).isEqualTo(DeploymentStatus.FAILED);

            try (EntityManagerFactory emf = validatedUnit(mappingFiles())) {
                EntityManager em = emf.createEntityManager();
                try {
                    List<DeploymentHistoryEntity> all = em.createQuery(
                            "select h from DeploymentHistoryEntity h order by h.id", DeploymentHistoryEntity.class).getResultList();
                    assertThat(all).extracting(DeploymentHistoryEntity::getId)
                            .containsExactly(success.id(), failed.id(), running.id(), rollback.id());
                    for (DeploymentHistoryEntity e : all) {
                        Deployment d = store.find(e.getId()).orElseThrow();
                        assertSameRow(e, d);
                        assertThat(e.getLeaseOwner()).isEqualTo(store.lease(d.id()).map(l -> l.owner()).orElse(null));
                        assertThat(e.getLeaseUntil()).isEqualTo(store.lease(d.id()).map(l -> l.until()).orElse(null));
                        assertThat(e.isCompletionNotified()).as("notified: %s", d).isEqualTo(d.isTerminal());
                    }
                    DeploymentHistoryEntity ok1 = em.find(DeploymentHistoryEntity.class, success.id());
                    assertThat(ok1.getStartedAt()).isEqualTo(sourceStart);
                    assertThat(ok1.totalDuration()).isEqualTo(Duration.ofSeconds(48));
                    assertThat(ok1.attributeMap()).containsEntry("requested_by", "kim & lee");
                    assertThat(em.find(DeploymentHistoryEntity.class, rollback.id()).getRollbackOf()).isEqualTo(success.id());
                    assertThat(running.status()).isEqualTo(DeploymentStatus.RUNNING);
                    assertThat(em.find(DeploymentHistoryEntity.class, running.id()).getLeaseOwner()).isEqualTo("host-a");

                    // parameters go through the same mapping: a status and a time in a query
                    assertThat(em.createQuery("select h.id from DeploymentHistoryEntity h where h.status = :s "
                                    + "and h.startedAt >= :t", Long.class)
                            .setParameter("s", DeploymentStatus.RUNNING)
                            .setParameter("t", clock.instant().minusSeconds(30))
                            .getResultList()).containsExactly(rollback.id());
                    assertThat(em.createQuery("select count(h) from DeploymentHistoryEntity h where h.completedAt < :t",
                                    Long.class).setParameter("t", clock.instant()).getSingleResult()).isEqualTo(2L);
                } finally {
                    em.close();
                }
            }
        }
    }

    private static void assertSameRow(DeploymentHistoryEntity e, Deployment d) {
        assertThat(e.getGithubOwner()).isEqualTo(d.owner());
        assertThat(e.getGithubRepo()).isEqualTo(d.repo());
        assertThat(e.getEnvironment()).isEqualTo(d.environment());
        assertThat(e.getGithubCommitSha()).isEqualTo(d.commitSha());
        assertThat(e.isRollback()).isEqualTo(d.rollback());
        assertThat(e.getRollbackOf()).isEqualTo(d.rollbackOf());
        assertThat(e.getIdempotencyKey()).isEqualTo(d.idempotencyKey());
        assertThat(e.getStatus()).isEqualTo(d.status());
        assertThat(e.getStartedAt()).isEqualTo(d.startedAt());
        assertThat(e.getDeployedAt()).isEqualTo(d.deployedAt());
        assertThat(e.getCompletedAt()).isEqualTo(d.completedAt());
        assertThat(e.totalDuration()).isEqualTo(d.totalDuration() == null ? null
                : Duration.ofSeconds(Math.round(d.totalDuration().toMillis() / 1000.0)));
        assertThat(e.getErrorStage()).isEqualTo(d.errorStage());
        assertThat(e.getErrorMessage()).isEqualTo(d.errorMessage());
        assertThat(e.attributeMap()).isEqualTo(d.attributes());
        assertThat(e.getCreatedAt()).isNotNull();
        assertThat(e.getUpdatedAt()).isNotNull().isAfterOrEqualTo(e.getCreatedAt());
    }

    @Test
    void validationFailsOnASchemaThatLacksAColumnTheEntityMaps() {
        try (JdbcHistoryStore v1 = openStore(clock, 1)) {
            assertThat(v1.schemaVersion()).isEqualTo(1);
            assertThatThrownBy(() -> validatedUnit(mappingFiles()).close())
                    .hasStackTraceContaining("Schema-validation: missing column")
                    .hasStackTraceContaining("completion_notified");
        }
    }
}
