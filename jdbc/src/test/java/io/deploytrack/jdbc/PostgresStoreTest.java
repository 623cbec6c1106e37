package io.deploytrack.jdbc;

import io.deploytrack.core.CheckRef;
import io.deploytrack.core.CreateResult;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.DeploymentEvent;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.LeaseInfo;
import io.deploytrack.core.testkit.ManualClock;
import io.deploytrack.jdbc.internal.PostgresDialect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What only PostgreSQL has: its schema, server-measured leases, SKIP LOCKED claims, concurrent migrations, URLs. */
class PostgresStoreTest {
    @RegisterExtension
    final PostgresDatabase pg = new PostgresDatabase();
    @TempDir
    Path dir;

    private static Deployment draft(String repo, String sha, String key, Instant at) {
        return new Deployment(0, "acme", repo, "production", sha, false, null, key, DeploymentStatus.RUNNING, at,
                null, null, null, null, null,
                List.of(new DeploymentCheck("ncp", CheckRef.of("ncp", "projectId", "1", "historyId", repo + sha),
                        DeploymentStatus.RUNNING, at, null, at.plusSeconds(300), null, false, null,
                        Duration.ofMinutes(5), Duration.ofHours(24))), Map.of("image", "web:1"));
    }

    private static Deployment draft(String repo, String sha) {
        return draft(repo, sha, null, Instant.now());
    }

    @Test
    void theSchemaHasTheSameTablesColumnsAndIndexesAsSqliteInPostgresTypes() throws Exception {
        try (JdbcHistoryStore store = JdbcHistoryStore.builder().dataSource(pg.dataSource()).build()) {
            assertThat(store.databaseType()).isEqualTo("postgresql");
            assertThat(store.schemaVersion()).isEqualTo(io.deploytrack.jdbc.internal.Migrations.latestVersion());
        }
        Path sqliteFile = dir.resolve("same.db");
        JdbcHistoryStore.sqlite(sqliteFile).close();

        Map<String, String> pgTypes = new TreeMap<>();
        Set<String> pgIndexes = new TreeSet<>();
        List<String> versions = new ArrayList<>();
        try (Connection c = pg.dataSource().getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT table_name, column_name, data_type, is_identity FROM "
                    + "information_schema.columns WHERE table_schema = 'public' AND table_name LIKE 'deployment%'")) {
                while (rs.next()) {
                    pgTypes.put(rs.getString(1) + "." + rs.getString(2),
                            rs.getString(3) + ("YES".equals(rs.getString(4)) ? " identity" : ""));
                }
            }
            // indexes that back a primary key or UNIQUE constraint are named by the database, not by us
            try (ResultSet rs = s.executeQuery("SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND "
                    + "tablename LIKE 'deployment%' AND indexname NOT IN (SELECT conname FROM pg_constraint)")) {
                while (rs.next()) {
                    pgIndexes.add(rs.getString(1));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT version, description FROM deploytrack_schema_version ORDER BY version")) {
                while (rs.next()) {
                    versions.add(rs.getInt(1) + " " + rs.getString(2));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT indexdef FROM pg_indexes WHERE indexname IN "
                    + "('ux_deployment_histories_one_running', 'ux_deployment_histories_idempotency_key', "
                    + "'ix_deployment_histories_success') ORDER BY indexname")) {
                List<String> defs = new ArrayList<>();
                while (rs.next()) {
                    defs.add(rs.getString(1));
                }
                assertThat(defs).hasSize(3);
                assertThat(defs.get(0)).contains("(github_owner, github_repo, environment, deployed_at, id)")
                        .contains("WHERE (status = 'success'::text)");
                assertThat(defs.get(1)).startsWith("CREATE UNIQUE INDEX").contains("(idempotency_key)");
                assertThat(defs.get(2)).startsWith("CREATE UNIQUE INDEX")
                        .contains("(github_owner, github_repo, environment, github_commit_sha, is_rollback)")
                        .contains("WHERE (status = 'running'::text)");
            }
        }
        Set<String> sqliteColumns = new TreeSet<>();
        Set<String> sqliteIndexes = new TreeSet<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + sqliteFile); Statement s = c.createStatement()) {
            for (String table : List.of("deployment_histories", "deployment_checks", "deployment_events",
                    "deployment_notifications", "deployment_notification_channels", "deployment_pushes")) {
                try (ResultSet rs = s.executeQuery("PRAGMA table_info(" + table + ")")) {
                    while (rs.next()) {
                        sqliteColumns.add(table + "." + rs.getString("name"));
                    }
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'index' "
                    + "AND tbl_name LIKE 'deployment%' AND name NOT LIKE 'sqlite_autoindex%'")) {
                while (rs.next()) {
                    sqliteIndexes.add(rs.getString(1));
                }
            }
        }
        assertThat(pgTypes.keySet()).isEqualTo(sqliteColumns);
        assertThat(pgIndexes).isEqualTo(sqliteIndexes);
        assertThat(versions).containsExactly("1 V1__history_checks_events.sql", "2 V2__leases_and_notification.sql",
                "3 V3__adoption_settings.sql", "4 V4__notifications.sql",
                "5 V5__pushed_observations.sql", "6 V6__precise_status.sql", "7 V7__check_stages.sql", "11 V11__rollback_of_index.sql");
        assertThat(pgTypes).containsEntry("deployment_histories.id", "bigint identity")
                .containsEntry("deployment_checks.id", "bigint identity")
                .containsEntry("deployment_events.id", "bigint identity")
                .containsEntry("deployment_histories.is_rollback", "boolean")
                .containsEntry("deployment_histories.completion_notified", "boolean")
                .containsEntry("deployment_checks.awaiting_approval", "boolean")
                .containsEntry("deployment_histories.total_duration", "bigint");
        Map<String, String> times = new TreeMap<>(pgTypes);
        times.keySet().removeIf(k -> !(k.endsWith("_at") || k.endsWith(".at") || k.endsWith(".lease_until")));
        assertThat(times).as("every time column").hasSize(20)
                .allSatisfy((k, v) -> assertThat(v).isEqualTo("timestamp with time zone"));
    }

    @Test
    void theRunningIdentityAndTheKeyAreEnforcedByTheDatabaseItself() throws Exception {
        try (JdbcHistoryStore store = JdbcHistoryStore.builder().dataSource(pg.dataSource()).build()) {
            store.create(draft("web", "abc1234", "key-1", Instant.now()), "me", Duration.ofSeconds(30));
        }
        String insert = "INSERT INTO deployment_histories (github_owner, github_repo, environment, github_commit_sha, "
                + "is_rollback, idempotency_key, status, started_at, created_at, updated_at) VALUES "
                + "('acme', ?, 'production', 'abc1234', false, ?, 'running', now(), now(), now())";
        try (Connection c = pg.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(insert)) {
            ps.setString(1, "web");
            ps.setString(2, null);
            assertThatThrownBy(ps::executeUpdate).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23505"))
                    .hasMessageContaining("ux_deployment_histories_one_running");
            ps.setString(1, "api");
            ps.setString(2, "key-1");
            assertThatThrownBy(ps::executeUpdate).hasMessageContaining("ux_deployment_histories_idempotency_key");
        }
    }

    @Test
    void instantsComeBackExactlyWhateverTheSessionsTimeZone() throws Exception {
        Instant at = Instant.parse("2026-03-01T10:00:00.123456Z");
        // a host whose pool puts every session in Seoul time (UTC+9)
        DataSource seoul = pg.hikari("seoul", 2, "SET TIME ZONE 'Asia/Seoul'");
        long id;
        try (JdbcHistoryStore store = JdbcHistoryStore.builder().dataSource(seoul).build()) {
            Deployment d = store.create(draft("web", "abc1234", null, at), "me", Duration.ofSeconds(30)).deployment();
            id = d.id();
            assertThat(d.startedAt()).isEqualTo(at);
            assertThat(d.checks().get(0).deadlineAt()).isEqualTo(at.plusSeconds(300));
        }
        try (Connection c = seoul.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_setting('TimeZone'), to_char(started_at, "
                     + "'YYYY-MM-DD HH24:MI:SS.US'), to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') "
                     + "FROM deployment_histories")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("Asia/Seoul");
            assertThat(rs.getString(2)).isEqualTo("2026-03-01 19:00:00.123456");
            assertThat(rs.getString(3)).isEqualTo("2026-03-01 10:00:00.123456");
        }
        try (JdbcHistoryStore utc = JdbcHistoryStore.builder().dataSource(pg.dataSource()).build()) {
            assertThat(utc.find(id).orElseThrow().startedAt()).as("read from a session in another zone").isEqualTo(at);
        }
    }

    @Test
    void leasesAreMeasuredByTheServersClockByDefault() throws Exception {
        // The hosts' clocks say 2100: by the default lease time, that changes nothing.
        ManualClock farFuture = ManualClock.of(Instant.parse("2100-01-01T00:00:00Z"));
        try (JdbcHistoryStore a = JdbcHistoryStore.builder().dataSource(pg.dataSource()).clock(farFuture).build();
             JdbcHistoryStore b = JdbcHistoryStore.builder().dataSource(pg.dataSource()).clock(farFuture).build()) {
            Instant before = serverNow();
            Deployment d = a.create(draft("web", "abc1234"), "a", Duration.ofSeconds(30)).deployment();
            Instant after = serverNow();
            LeaseInfo lease = a.lease(d.id()).orElseThrow();
            assertThat(lease.owner()).isEqualTo("a");
            assertThat(lease.until()).isBetween(before.plusSeconds(30), after.plusSeconds(30));

            farFuture.advance(Duration.ofDays(365));
            assertThat(b.claim("b", Duration.ofSeconds(30), 10, Set.of("ncp"))).as("alive by the server's clock").isEmpty();

            // A lease of zero ends when it is taken: the next transaction's now() is not earlier.
            assertThat(a.renew("a", List.of(d.id()), Duration.ZERO)).containsExactly(d.id());
            assertThat(b.claim("b", Duration.ofMinutes(5), 10, Set.of("ncp"))).extracting(Deployment::id)
                    .containsExactly(d.id());
            assertThat(b.lease(d.id()).orElseThrow().until()).isAfter(serverNow().plusSeconds(200));
            assertThat(a.renew("a", List.of(d.id()), Duration.ofSeconds(30))).as("a lost it").isEmpty();
        }
    }

    @Test
    void theStoreClockOptionMeasuresLeasesWithTheHostsClock() {
        ManualClock clock = ManualClock.of(Instant.parse("2030-01-01T00:00:00Z"));
        try (JdbcHistoryStore a = JdbcHistoryStore.builder().dataSource(pg.dataSource()).clock(clock)
                .leaseTime(LeaseTime.STORE_CLOCK).build()) {
            Deployment d = a.create(draft("web", "abc1234"), "a", Duration.ofSeconds(30)).deployment();
            assertThat(a.lease(d.id()).orElseThrow().until()).isEqualTo(Instant.parse("2030-01-01T00:00:30Z"));
            assertThat(a.claim("b", Duration.ofSeconds(30), 10, Set.of("ncp"))).isEmpty();
            clock.advance(Duration.ofSeconds(30));
            assertThat(a.claim("b", Duration.ofSeconds(30), 10, Set.of("ncp"))).extracting(Deployment::id)
                    .containsExactly(d.id());
        }
    }

    @Test
    void aClaimSkipsRowsAnotherReplicaHasLockedInsteadOfWaiting() throws Exception {
        try (JdbcHistoryStore store = JdbcHistoryStore.builder().dataSource(pg.hikari("replica", 4)).build()) {
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ids.add(store.create(draft("web" + i, "abc1234"), "gone", Duration.ZERO).deployment().id());
            }
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try (Connection other = pg.dataSource().getConnection()) {
                other.setAutoCommit(false);
                try (PreparedStatement ps = other.prepareStatement("SELECT id FROM deployment_histories WHERE id = ? FOR UPDATE")) {
                    ps.setLong(1, ids.get(1));
                    ps.executeQuery().close();
                }
                // Another replica is in the middle of claiming row 2: this claim takes the others, without waiting.
                Future<List<Deployment>> claimed = pool.submit(() -> store.claim("me", Duration.ofMinutes(1), 10, Set.of("ncp")));
                assertThat(claimed.get(30, TimeUnit.SECONDS)).extracting(Deployment::id)
                        .containsExactly(ids.get(0), ids.get(2));
                other.rollback();
            } finally {
                pool.shutdownNow();
            }
            assertThat(store.claim("me", Duration.ofMinutes(1), 10, Set.of("ncp"))).extracting(Deployment::id)
                    .containsExactly(ids.get(1));
        }
    }

    @Test
    void twoReplicasClaimingAtOnceNeverGetTheSameRow() throws Exception {
        int rows = 300;
        // two instances: separate pools, separate stores, as on two machines
        try (JdbcHistoryStore a = JdbcHistoryStore.builder().dataSource(pg.hikari("replica-a", 4)).build();
             JdbcHistoryStore b = JdbcHistoryStore.builder().dataSource(pg.dataSource()).build()) {
            Set<Long> all = new HashSet<>();
            for (int i = 0; i < rows; i++) {
                // a crashed instance's rows: their leases have expired
                all.add(a.create(draft("repo" + i, "abc1234"), "crashed", Duration.ZERO).deployment().id());
            }
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<List<Long>>> results = new ArrayList<>();
                String[] owners = {"a1", "a2", "b1", "b2"};
                for (String owner : owners) {
                    JdbcHistoryStore store = owner.startsWith("a") ? a : b;
                    results.add(pool.submit(claimUntilNothingLeft(store, owner, go)));
                }
                go.countDown();
                List<Long> claimed = new ArrayList<>();
                Map<Long, String> ownerOf = new TreeMap<>();
                for (int i = 0; i < owners.length; i++) {
                    for (Long id : results.get(i).get(2, TimeUnit.MINUTES)) {
                        claimed.add(id);
                        ownerOf.put(id, owners[i]);
                    }
                }
                assertThat(claimed).as("no row claimed twice").doesNotHaveDuplicates();
                assertThat(new HashSet<>(claimed)).as("every expired row claimed").isEqualTo(all);
                for (var e : ownerOf.entrySet()) {
                    assertThat(a.lease(e.getKey()).orElseThrow().owner()).isEqualTo(e.getValue());
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static Callable<List<Long>> claimUntilNothingLeft(JdbcHistoryStore store, String owner, CountDownLatch go) {
        return () -> {
            go.await();
            List<Long> mine = new ArrayList<>();
            while (true) {
                List<Deployment> batch = store.claim(owner, Duration.ofMinutes(10), 7, Set.of("ncp"));
                if (batch.isEmpty()) {
                    return mine;
                }
                batch.forEach(d -> mine.add(d.id()));
            }
        };
    }

    @Test
    void instancesStartingAtOnceMigrateOnceEach() throws Exception {
        int instances = 6;
        ExecutorService pool = Executors.newFixedThreadPool(instances);
        List<JdbcHistoryStore> stores = new ArrayList<>();
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<JdbcHistoryStore>> opened = new ArrayList<>();
            for (int i = 0; i < instances; i++) {
                DataSource ds = pg.dataSource();
                opened.add(pool.submit(() -> {
                    go.await();
                    return JdbcHistoryStore.builder().dataSource(ds).build();
                }));
            }
            go.countDown();
            for (Future<JdbcHistoryStore> f : opened) {
                stores.add(f.get(2, TimeUnit.MINUTES));
            }
        } finally {
            pool.shutdownNow();
            stores.forEach(JdbcHistoryStore::close);
        }
        assertThat(stores).hasSize(instances).allSatisfy(s -> assertThat(s.schemaVersion()).isEqualTo(io.deploytrack.jdbc.internal.Migrations.latestVersion()));
        try (Connection c = pg.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version FROM deploytrack_schema_version ORDER BY version")) {
            List<Integer> versions = new ArrayList<>();
            while (rs.next()) {
                versions.add(rs.getInt(1));
            }
            assertThat(versions).containsExactly(1, 2, 3, 4, 5, 6, 7, 11);
        }
    }

    @Test
    void aMigrationWaitsForTheAdvisoryLockAnotherInstanceHolds() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection holder = pg.dataSource().getConnection()) {
            try (PreparedStatement ps = holder.prepareStatement("SELECT pg_advisory_lock(?)")) {
                ps.setLong(1, PostgresDialect.MIGRATION_LOCK);
                ps.executeQuery().close();
            }
            Future<JdbcHistoryStore> opening = pool.submit(() -> JdbcHistoryStore.builder().dataSource(pg.dataSource()).build());
            // bounded polling: the opener shows up in pg_locks, waiting for the advisory lock
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (waitingForAdvisoryLock(holder) == 0 && System.nanoTime() < deadline && !opening.isDone()) {
                Thread.onSpinWait();
            }
            assertThat(opening).as("the migration must wait for the lock").isNotDone();
            assertThat(waitingForAdvisoryLock(holder)).isEqualTo(1);
            try (Statement s = holder.createStatement();
                 ResultSet rs = s.executeQuery("SELECT to_regclass('deploytrack_schema_version') IS NULL")) {
                rs.next();
                assertThat(rs.getBoolean(1)).as("nothing was created before the lock was granted").isTrue();
            }
            try (PreparedStatement ps = holder.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                ps.setLong(1, PostgresDialect.MIGRATION_LOCK);
                ps.executeQuery().close();
            }
            try (JdbcHistoryStore store = opening.get(30, TimeUnit.SECONDS)) {
                assertThat(store.schemaVersion()).isEqualTo(io.deploytrack.jdbc.internal.Migrations.latestVersion());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static int waitingForAdvisoryLock(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void aVersionOneDatabaseIsUpgradedInPlaceKeepingItsRows() throws Exception {
        try (JdbcHistoryStore v1 = JdbcHistoryStore.builder().dataSource(pg.dataSource()).schemaVersion(1).build()) {
            assertThat(v1.schemaVersion()).isEqualTo(1);
        }
        long success;
        long failed;
        long running;
        // rows as a host of version 1 wrote them, with its own SQL and in its own time zone
        try (Connection c = pg.dataSource().getConnection(); Statement s = c.createStatement()) {
            assertThat(columnExists(c, "lease_owner")).isFalse();
            success = insertReturningId(s, "INSERT INTO deployment_histories (github_owner, github_repo, environment, "
                    + "github_commit_sha, is_rollback, idempotency_key, status, started_at, deployed_at, completed_at, "
                    + "total_duration, attributes, created_at, updated_at) VALUES ('acme', 'web', 'production', 'aaaaaaa', "
                    + "false, 'ncp:1:100', 'success', '2026-01-01 19:00:00+09', '2026-01-01 19:00:45+09', "
                    + "'2026-01-01 10:00:45Z', 45, 'image=web%3A1', now(), now()) RETURNING id");
            failed = insertReturningId(s, "INSERT INTO deployment_histories (github_owner, github_repo, environment, "
                    + "github_commit_sha, is_rollback, rollback_of, status, started_at, completed_at, total_duration, "
                    + "error_stage, error_message, created_at, updated_at) VALUES ('acme', 'web', 'staging', 'bbbbbbb', "
                    + "true, " + success + ", 'failed', '2026-01-02T10:00:00Z', '2026-01-02T10:01:00Z', 60, 'ncp', "
                    + "'stage build failed', now(), now()) RETURNING id");
            running = insertReturningId(s, "INSERT INTO deployment_histories (github_owner, github_repo, environment, "
                    + "github_commit_sha, status, started_at, created_at, updated_at) VALUES ('acme', 'api', "
                    + "'production', 'ccccccc', 'running', '2026-01-03T10:00:00Z', now(), now()) RETURNING id");
            s.executeUpdate("INSERT INTO deployment_checks (deployment_id, position, name, source_type, source_ref, status, "
                    + "started_at, deadline_at, last_source_status, awaiting_approval, timeout_ms, approval_timeout_ms) "
                    + "VALUES (" + running + ", 0, 'ncp', 'ncp', 'historyId=7&projectId=1', 'running', "
                    + "'2026-01-03T10:00:00Z', '2026-01-03T10:05:00Z', 'inprogress', false, 300000, 86400000)");
            s.executeUpdate("INSERT INTO deployment_events (deployment_id, at, type, to_status) VALUES "
                    + "(" + success + ", '2026-01-01T10:00:00Z', 'started', 'running'), "
                    + "(" + success + ", '2026-01-01T10:00:45Z', 'completed', 'success')");
        }

        try (JdbcHistoryStore v2 = JdbcHistoryStore.builder().dataSource(pg.dataSource()).build()) {
            assertThat(v2.schemaVersion()).isEqualTo(io.deploytrack.jdbc.internal.Migrations.latestVersion());
            Deployment s = v2.find(success).orElseThrow();
            assertThat(s.status()).isEqualTo(DeploymentStatus.SUCCESS);
            assertThat(s.idempotencyKey()).isEqualTo("ncp:1:100");
            assertThat(s.startedAt()).isEqualTo(Instant.parse("2026-01-01T10:00:00Z"));
            assertThat(s.deployedAt()).isEqualTo(Instant.parse("2026-01-01T10:00:45Z"));
            assertThat(s.totalDuration()).isEqualTo(Duration.ofSeconds(45));
            assertThat(s.attributes()).containsExactly(Map.entry("image", "web:1"));
            assertThat(v2.events(success)).extracting(DeploymentEvent::type).containsExactly("started", "completed");

            Deployment f = v2.find(failed).orElseThrow();
            assertThat(f.status()).isEqualTo(DeploymentStatus.FAILED);
            assertThat(f.environment()).isEqualTo("staging");
            assertThat(f.rollback()).isTrue();
            assertThat(f.rollbackOf()).isEqualTo(success);
            assertThat(f.errorStage()).isEqualTo("ncp");
            assertThat(f.errorMessage()).isEqualTo("stage build failed");
            assertThat(f.totalDuration()).isEqualTo(Duration.ofSeconds(60));

            Deployment r = v2.find(running).orElseThrow();
            assertThat(r.status()).isEqualTo(DeploymentStatus.RUNNING);
            assertThat(r.checks()).singleElement().satisfies(ch -> {
                assertThat(ch.ref()).isEqualTo(CheckRef.of("ncp", "projectId", "1", "historyId", "7"));
                assertThat(ch.lastSourceStatus()).isEqualTo("inprogress");
                assertThat(ch.deadlineAt()).isEqualTo(Instant.parse("2026-01-03T10:05:00Z"));
            });
            assertThat(v2.lease(running)).as("no lease yet").isEmpty();

            // the running row has no instance: the first to claim takes it; the ended ones count as notified
            assertThat(v2.claim("new", Duration.ofSeconds(30), 10, Set.of("ncp"))).extracting(Deployment::id)
                    .containsExactly(running);
            CreateResult again = v2.create(draft("web", "aaaaaaa", "ncp:1:100", Instant.now()), "new", Duration.ofSeconds(30));
            assertThat(again.created()).as("the old key still deduplicates").isFalse();
            assertThat(again.deployment().id()).isEqualTo(success);
            long next = v2.create(draft("db", "ddddddd"), "new", Duration.ofSeconds(30)).deployment().id();
            assertThat(next).as("the identity goes on after the old rows").isGreaterThan(running);
        }
    }

    private static long insertReturningId(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static boolean columnExists(Connection c, String column) throws SQLException {
        try (ResultSet rs = c.getMetaData().getColumns(null, "public", "deployment_histories", column)) {
            return rs.next();
        }
    }

    @Test
    void aPostgresUrlOpensAnUnpooledStoreAndNeverShowsThePassword() throws Exception {
        String secret = "s3cr3t-pw";
        // trust authentication ignores the password; it is there to be hidden
        String url = pg.jdbcUrl() + "&password=" + secret;
        try (JdbcHistoryStore store = JdbcHistoryStore.open(url)) {
            assertThat(store.databaseType()).isEqualTo("postgresql");
            assertThat(store.toString()).doesNotContain(secret).contains("password=***");
            Deployment d = store.create(draft("web", "abc1234"), "me", Duration.ofSeconds(30)).deployment();
            assertThat(store.find(d.id())).contains(d);
        }

        String noSuchDatabase = url.replace("/" + pg.name() + "?", "/no_such_db?");
        assertThatThrownBy(() -> JdbcHistoryStore.open(noSuchDatabase)).isInstanceOf(StoreException.class)
                .hasMessageContaining("no_such_db").hasMessageContaining("password=***")
                .satisfies(e -> assertNoSecretIn(e, secret));

        String badPort = "jdbc:postgresql://localhost:notaport/x?user=postgres&password=" + secret;
        assertThatThrownBy(() -> JdbcHistoryStore.open(badPort)).isInstanceOf(StoreException.class)
                .hasMessageContaining("localhost:notaport").satisfies(e -> assertNoSecretIn(e, secret));

        String userInfo = "jdbc:postgresql://postgres:" + secret + "@localhost:1/x";
        assertThatThrownBy(() -> JdbcHistoryStore.open(userInfo)).isInstanceOf(StoreException.class)
                .satisfies(e -> assertNoSecretIn(e, secret));

        assertThatThrownBy(() -> JdbcHistoryStore.open("jdbc:mysql://db/app?password=" + secret))
                .isInstanceOf(StoreException.class).hasMessageContaining("jdbc:mysql://db/app?password=***")
                .hasMessageContaining("expected jdbc:sqlite:... or jdbc:postgresql://")
                .satisfies(e -> assertNoSecretIn(e, secret));
    }

    private static void assertNoSecretIn(Throwable e, String secret) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(secret);
            assertThat(t.toString()).doesNotContain(secret);
        }
    }

    @Test
    void creationRacingFromTwoReplicasMakesOneRowPerKey() throws Exception {
        try (JdbcHistoryStore a = JdbcHistoryStore.builder().dataSource(pg.hikari("race-a", 8)).build();
             JdbcHistoryStore b = JdbcHistoryStore.builder().dataSource(pg.hikari("race-b", 8)).build()) {
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<CreateResult>> results = new ArrayList<>();
                for (int i = 0; i < 64; i++) {
                    JdbcHistoryStore store = i % 2 == 0 ? a : b;
                    // four keys, sixteen creators each; half of them also collide on the running identity
                    String key = "ncp:1:" + (i % 4);
                    String repo = i % 4 < 2 ? "web" : "api" + (i % 4);
                    results.add(pool.submit(() -> {
                        go.await();
                        return store.create(draft(repo, "abc1234", key, Instant.now()), "r" + (store == a ? "a" : "b"),
                                Duration.ofSeconds(30));
                    }));
                }
                go.countDown();
                Map<String, Set<Long>> idsByKey = new TreeMap<>();
                int created = 0;
                for (Future<CreateResult> f : results) {
                    CreateResult r = f.get(2, TimeUnit.MINUTES);
                    created += r.created() ? 1 : 0;
                    idsByKey.computeIfAbsent(String.valueOf(r.deployment().idempotencyKey()), k -> new HashSet<>())
                            .add(r.deployment().id());
                }
                // keys 0 and 1 share one running identity (acme/web@abc1234): whichever row wins it serves both
                assertThat(created).isEqualTo(3);
                assertThat(idsByKey.values()).allSatisfy(ids -> assertThat(ids).hasSize(1));
            } finally {
                pool.shutdownNow();
            }
            try (Connection c = pg.dataSource().getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM deployment_histories")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(3);
            }
        }
    }

    private Instant serverNow() throws SQLException {
        try (Connection c = pg.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT now()")) {
            rs.next();
            return rs.getObject(1, OffsetDateTime.class).toInstant();
        }
    }
}
