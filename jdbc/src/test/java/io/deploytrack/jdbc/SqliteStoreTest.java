package io.deploytrack.jdbc;

import io.deploytrack.core.CheckRef;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.DeploymentEvent;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.DeploymentUpdate;
import io.deploytrack.core.HistoryQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqliteStoreTest {
    @TempDir
    Path dir;

    static Deployment draft(String repo, String sha) {
        Instant now = Instant.now();
        return new Deployment(0, "acme", repo, "production", sha, false, null, null, DeploymentStatus.RUNNING, now,
                null, null, null, null, null,
                List.of(new DeploymentCheck("ncp", CheckRef.of("ncp", "projectId", "1", "historyId", repo + sha),
                        DeploymentStatus.RUNNING, now, null, now.plusSeconds(300), null, false, null,
                        Duration.ofMinutes(5), Duration.ofHours(24))), Map.of());
    }

    /** create() does not read its row back on deploytrack's own tables: what it returns must be what a read gives. */
    @Test
    void whatCreateReturnsIsWhatAReadGives() throws Exception {
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(dir.resolve("returned.db"))) {
            Instant odd = Instant.parse("2026-03-01T10:00:00.123456789Z");
            long first = store.create(draft("web", "a".repeat(40)), "me", Duration.ofMinutes(1)).deployment().id();
            List<Deployment> drafts = List.of(
                    draft("api", "b".repeat(40)),
                    new Deployment(0, "acme", "pay", "staging", "c".repeat(40), true, first, "key:pay/1",
                            DeploymentStatus.RUNNING, odd, null, null, null, null, null, List.of(
                            new DeploymentCheck("ncp", CheckRef.of("ncp", "projectId", "7", "historyId", "70"),
                                    DeploymentStatus.RUNNING, odd, null, odd.plusSeconds(600), "pending", true,
                                    "waiting for approval: 1 of 2 & more", Duration.ofNanos(90_000_000_123L),
                                    Duration.ofHours(2).plusNanos(5)),
                            new DeploymentCheck("k8s", CheckRef.of("kubernetes", "namespace", "prod", "name", "pay",
                                    "generation", "3"), DeploymentStatus.RUNNING, odd.plusMillis(1), null,
                                    odd.plusSeconds(900), null, false, null, Duration.ofMinutes(15),
                                    Duration.ofHours(24))),
                            Map.of("team", "payments & billing", "ticket", "OPS=42", "empty", "")),
                    new Deployment(0, "acme", "ui", "production", "d".repeat(40), false, null, null,
                            DeploymentStatus.RUNNING, odd.plusNanos(999_999), null, null, null, null, null, List.of(),
                            Map.of()));
            for (Deployment d : drafts) {
                Deployment returned = store.create(d, "me", Duration.ofMinutes(1)).deployment();
                assertThat(returned).isEqualTo(store.find(returned.id()).orElseThrow());
            }
        }
    }

    @Test
    void theFileIsInWalModeAndMigrationsAreRecorded() throws Exception {
        Path db = dir.resolve("h.db");
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(db)) {
            assertThat(store.schemaVersion()).isEqualTo(io.deploytrack.jdbc.internal.Migrations.latestVersion());
            assertThat(store.databaseType()).isEqualTo("sqlite");
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("wal");
            }
            try (ResultSet rs = s.executeQuery("SELECT version, description FROM deploytrack_schema_version ORDER BY version")) {
                List<String> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(rs.getInt(1) + " " + rs.getString(2));
                }
                assertThat(rows).containsExactly("1 V1__history_checks_events.sql", "2 V2__leases_and_notification.sql",
                        "3 V3__adoption_settings.sql", "4 V4__notifications.sql",
                        "5 V5__pushed_observations.sql", "6 V6__precise_status.sql", "7 V7__check_stages.sql", "11 V11__rollback_of_index.sql");
            }
            try (ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'ux_deployment_histories_one_running'")) {
                assertThat(rs.next()).as("partial unique index over running rows").isTrue();
            }
        }
        // opening again applies nothing twice
        try (JdbcHistoryStore again = JdbcHistoryStore.sqlite(db)) {
            assertThat(again.schemaVersion()).isEqualTo(io.deploytrack.jdbc.internal.Migrations.latestVersion());
        }
    }

    @Test
    void theRunningIdentityIsEnforcedByTheDatabaseItself() throws Exception {
        Path db = dir.resolve("h.db");
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(db)) {
            store.create(draft("web", "abc1234"), "me", Duration.ofSeconds(30));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeUpdate("INSERT INTO deployment_histories (github_owner, github_repo, "
                    + "environment, github_commit_sha, is_rollback, status, started_at, created_at, updated_at) VALUES "
                    + "('acme', 'web', 'production', 'abc1234', 0, 'running', 'x', 'x', 'x')"))
                    .hasMessageContaining("UNIQUE");
        }
    }

    @Test
    void badPathsGiveAClearErrorAndWriteNothing() throws Exception {
        Path missing = dir.resolve("no-such-folder").resolve("h.db");
        assertThatThrownBy(() -> JdbcHistoryStore.sqlite(missing)).isInstanceOf(StoreException.class)
                .hasMessageContaining(missing.getParent().toString()).hasMessageContaining("does not exist");
        assertThat(Files.exists(missing.getParent())).isFalse();

        Path aFile = Files.writeString(dir.resolve("plain.txt"), "not a folder");
        assertThatThrownBy(() -> JdbcHistoryStore.sqlite(aFile.resolve("h.db"))).isInstanceOf(StoreException.class)
                .hasMessageContaining("plain.txt");
        assertThat(Files.readString(aFile)).isEqualTo("not a folder");

        assertThatThrownBy(() -> JdbcHistoryStore.sqlite(dir)).isInstanceOf(StoreException.class)
                .hasMessageContaining("a folder");
    }

    @Test
    void aVersionOneDatabaseIsUpgradedInPlaceKeepingItsRows() throws Exception {
        Path db = dir.resolve("old.db");
        long id;
        try (JdbcHistoryStore v1 = JdbcHistoryStore.builder().sqlite(db).schemaVersion(1).build()) {
            assertThat(v1.schemaVersion()).isEqualTo(1);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO deployment_histories (github_owner, github_repo, environment, github_commit_sha, "
                    + "is_rollback, status, started_at, deployed_at, completed_at, total_duration, created_at, updated_at) VALUES "
                    + "('acme', 'web', 'production', 'abc1234', 0, 'success', '2026-01-01 10:00:00', '2026-01-01 10:00:45', "
                    + "'2026-01-01 10:00:45', 45, '2026-01-01 10:00:00', '2026-01-01 10:00:45')");
            try (ResultSet rs = s.executeQuery("SELECT id FROM deployment_histories")) {
                rs.next();
                id = rs.getLong(1);
            }
        }
        try (JdbcHistoryStore v2 = JdbcHistoryStore.sqlite(db)) {
            assertThat(v2.schemaVersion()).isEqualTo(io.deploytrack.jdbc.internal.Migrations.latestVersion());
            Deployment d = v2.find(id).orElseThrow();
            assertThat(d.status()).isEqualTo(DeploymentStatus.SUCCESS);
            assertThat(d.startedAt()).isEqualTo(Instant.parse("2026-01-01T10:00:00Z"));
            assertThat(d.totalDuration()).isEqualTo(Duration.ofSeconds(45));
            assertThat(v2.claim("x", Duration.ofSeconds(30), 10, java.util.Set.of("ncp")))
                    .as("rows that ended before V2 count as notified").isEmpty();
        }
    }

    @Test
    void eightWritersCompleteTwoThousandDeploymentsWithoutBusyErrors() throws Exception {
        Path db = dir.resolve("busy.db");
        JdbcHistoryStore.sqlite(db).close();
        int threads = 8;
        int each = 250;
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<JdbcHistoryStore> stores = new ArrayList<>();
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                // each thread has its own store, so its own writer connection: contention happens inside SQLite
                JdbcHistoryStore store = JdbcHistoryStore.sqlite(db);
                stores.add(store);
                int thread = t;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < each; i++) {
                        try {
                            Deployment d = store.create(draft("repo" + thread, String.format("%07x", i)), "t" + thread,
                                    Duration.ofSeconds(30)).deployment();
                            DeploymentCheck c = d.checks().get(0);
                            store.update(new DeploymentUpdate(d.id(), DeploymentStatus.RUNNING, null, null, null, null, null, null,
                                    List.of(c.withProgress(DeploymentStatus.RUNNING, c.startedAt(), null, c.deadlineAt(), "inprogress", false, null)),
                                    List.of(DeploymentEvent.of(d.id(), Instant.now(), "source_status", "ncp", null, null, "inprogress", null))));
                            Instant end = Instant.now();
                            boolean ok = store.update(new DeploymentUpdate(d.id(), DeploymentStatus.RUNNING,
                                    i % 10 == 0 ? DeploymentStatus.FAILED : DeploymentStatus.SUCCESS, null,
                                    i % 10 == 0 ? null : end, end, null, null,
                                    List.of(c.withProgress(DeploymentStatus.SUCCESS, c.startedAt(), end, c.deadlineAt(), "success", false, null)),
                                    List.of()));
                            assertThat(ok).isTrue();
                            store.markNotified(d.id());
                        } catch (Throwable e) {
                            errors.add(e);
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
            stores.forEach(JdbcHistoryStore::close);
        }
        assertThat(errors).as("errors, e.g. SQLITE_BUSY / database is locked").isEmpty();
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(db)) {
            List<Deployment> all = store.list(HistoryQuery.all(10_000));
            assertThat(all).hasSize(threads * each);
            assertThat(all).allMatch(Deployment::isTerminal);
            assertThat(all).filteredOn(d -> d.status() == DeploymentStatus.SUCCESS)
                    .allMatch(d -> d.deployedAt() != null && d.totalDuration() != null);
        }
    }
}
