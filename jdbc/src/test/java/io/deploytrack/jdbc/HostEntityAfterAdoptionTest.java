package io.deploytrack.jdbc;

import io.deploytrack.core.CheckRef;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.DeploymentEvent;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.DeploymentUpdate;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The host keeps reading its own table its own way after adoption, repair and new deployments: its JPA entity (its
 * own class, {@code LocalDateTime} fields, not deploytrack's) loads every row through Hibernate, and durations computed
 * from its fields match {@code total_duration}. Also: a NOT NULL column without a value fails at open, changing nothing.
 */
class HostEntityAfterAdoptionTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final PostgresDatabase pg = new PostgresDatabase();

    /** How the host maps its table on SQLite, where DATETIME is text: naive local time, microseconds. */
    public static final class NaiveText implements AttributeConverter<LocalDateTime, String> {
        @Override
        public String convertToDatabaseColumn(LocalDateTime t) {
            return t == null ? null : HostTable.NAIVE.format(t);
        }

        @Override
        public LocalDateTime convertToEntityAttribute(String s) {
            return s == null ? null : HostTable.local(s);
        }
    }

    /** The host's entity on SQLite. */
    @Entity(name = "SqliteHostDeployment")
    @Table(name = "deployment_histories")
    public static class SqliteHostDeployment {
        @Id
        Long id;
        @Column(name = "user_id")
        String userId;
        @Column(name = "github_commit_sha")
        String commitSha;
        String status;
        String namespace;
        @Column(name = "deploy_id")
        String deployId;
        @Convert(converter = NaiveText.class)
        @Column(name = "started_at")
        LocalDateTime startedAt;
        @Convert(converter = NaiveText.class)
        @Column(name = "completed_at")
        LocalDateTime completedAt;
        @Convert(converter = NaiveText.class)
        @Column(name = "deployed_at")
        LocalDateTime deployedAt;
        @Convert(converter = NaiveText.class)
        @Column(name = "updated_at")
        LocalDateTime updatedAt;
        @Column(name = "total_duration")
        Integer totalDuration;
        @Column(name = "is_rollback")
        Boolean rollback;
    }

    /** The host's entity on PostgreSQL: plain LocalDateTime on timestamp without time zone. */
    @Entity(name = "PostgresHostDeployment")
    @Table(name = "deployment_histories")
    public static class PostgresHostDeployment {
        @Id
        Long id;
        @Column(name = "user_id")
        String userId;
        @Column(name = "github_commit_sha")
        String commitSha;
        String status;
        String namespace;
        @Column(name = "deploy_id")
        String deployId;
        @Column(name = "started_at")
        LocalDateTime startedAt;
        @Column(name = "completed_at")
        LocalDateTime completedAt;
        @Column(name = "deployed_at")
        LocalDateTime deployedAt;
        @Column(name = "updated_at")
        LocalDateTime updatedAt;
        @Column(name = "total_duration")
        Integer totalDuration;
        @Column(name = "is_rollback")
        Boolean rollback;
    }

    private static JdbcHistoryStore.Builder adopted(JdbcHistoryStore.Builder b, Instant now) {
        return b.clock(Clock.fixed(now, ZoneOffset.UTC)).zone(HostTable.SEOUL).mapColumn("environment", "namespace")
                .mapColumn("attribute:ncp_project_id", "sourcedeploy_project_id")
                .mapColumn("attribute:ncp_history_id", "deploy_id");
    }

    /** Adopts, repairs and records two new deployments (one with its own user_id); returns their ids. */
    private static List<Long> adoptRepairAndDeploy(JdbcHistoryStore.Builder builder, Instant now) {
        try (JdbcHistoryStore store = adopted(builder, now).columnDefault("user_id", "deploytrack")
                .recordAdoptionSettings().build()) {
            StoreMaintenance m = store.maintenance();
            RepairPlan plan = m.plan(m.diagnose(), RepairSources.none());
            StoreMaintenance.RepairResult result = m.apply(plan, RepairSources.none(), Duration.ofSeconds(1), false);
            assertThat(result.done()).anySatisfy(d -> assertThat(d).startsWith("merged #2 into #1"))
                    .anySatisfy(d -> assertThat(d).startsWith("merged #4 into #3"));
            long a = deploy(store, "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432", now, 95, Map.of("ncp_project_id", "12",
                    "ncp_history_id", "7001"));
            long b = deploy(store, "8f8e7d6c5b4a39281706f5e4d3c2b1a098765432", now.plusSeconds(200), 33,
                    Map.of("ncp_project_id", "12", "ncp_history_id", "7002", "user_id", "alice"));
            return List.of(a, b);
        }
    }

    private static long deploy(JdbcHistoryStore store, String sha, Instant start, long seconds, Map<String, String> attrs) {
        CheckRef ref = CheckRef.of("ncp", "projectId", "12", "historyId", attrs.get("ncp_history_id"));
        DeploymentCheck check = new DeploymentCheck("ncp", ref, DeploymentStatus.RUNNING, start, null,
                start.plus(Duration.ofMinutes(5)), null, false, null, Duration.ofMinutes(5), Duration.ofHours(24));
        Deployment draft = new Deployment(0, "acme", "web", "default", sha, false, null, null, DeploymentStatus.RUNNING,
                start, null, null, null, null, null, List.of(check), attrs);
        Deployment d = store.create(draft, "host-a", Duration.ofMinutes(1)).deployment();
        Instant end = start.plusSeconds(seconds).plusMillis(250);
        DeploymentCheck done = d.checks().get(0).withProgress(DeploymentStatus.SUCCESS, start, end, check.deadlineAt(),
                "success", false, null);
        assertThat(store.update(new DeploymentUpdate(d.id(), DeploymentStatus.RUNNING, DeploymentStatus.SUCCESS, null, end,
                end, null, null, List.of(done), List.of(DeploymentEvent.of(d.id(), end, "completed", "ncp",
                DeploymentStatus.RUNNING, DeploymentStatus.SUCCESS, "success", null))))).isTrue();
        return d.id();
    }

    private static void checkRows(List<Row> rows, List<Long> added) {
        assertThat(rows).extracting(Row::id).containsExactly(1L, 3L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L,
                16L, added.get(0), added.get(1));
        for (Row r : rows) {
            assertThat(r.startedAt()).as("row %d", r.id()).isNotNull();
            if (r.completedAt() != null && r.totalDuration() != null) {
                assertThat((long) r.totalDuration()).as("row %d duration", r.id()).isCloseTo(
                        Math.round(Duration.between(r.startedAt(), r.completedAt()).toMillis() / 1000.0),
                        org.assertj.core.data.Offset.offset(1L));
            }
        }
        Row a = rows.stream().filter(r -> r.id() == added.get(0)).findFirst().orElseThrow();
        assertThat(a.userId()).isEqualTo("deploytrack");
        assertThat(a.namespace()).isEqualTo("default");
        assertThat(a.deployId()).isEqualTo("7001");
        assertThat(a.totalDuration()).isEqualTo(95);
        Row b = rows.stream().filter(r -> r.id() == added.get(1)).findFirst().orElseThrow();
        assertThat(b.userId()).as("the request's attribute wins over the default").isEqualTo("alice");
        assertThat(rows.stream().filter(r -> r.id() == 3L).findFirst().orElseThrow().commitSha()).isEqualTo(HostTable.B);
    }

    record Row(long id, String userId, String commitSha, String namespace, String deployId, LocalDateTime startedAt,
               LocalDateTime completedAt, Integer totalDuration) {
    }

    @Test
    void onSqliteTheHostsEntityLoadsEveryRowWithDurationsThatMatch() throws Exception {
        Path db = dir.resolve("paas.db");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + db);
        try (Connection c = ds.getConnection()) {
            HostTable.create(c, false, LocalDateTime.ofInstant(now, HostTable.SEOUL), "5001");
        }
        // a NOT NULL host column without a value: refused at open, nothing adopted
        assertThatThrownBy(() -> adopted(JdbcHistoryStore.builder().sqlite(db), now).build())
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("user_id is NOT NULL without a default")
                .hasMessageContaining("deploytrack adopt --default user_id=VALUE")
                .hasMessageContaining("columnDefault(\"user_id\"");
        try (Connection c = ds.getConnection(); ResultSet rs = c.getMetaData().getTables(null, null,
                "deploytrack_schema_version", null)) {
            assertThat(rs.next()).as("the failed open rolled its adoption back").isFalse();
        }

        List<Long> added = adoptRepairAndDeploy(JdbcHistoryStore.builder().sqlite(db), now);
        // stored settings: a plain open reads the table the same way
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(db)) {
            assertThat(store.adoptionSettings().environmentColumn()).isEqualTo("namespace");
            assertThat(store.find(added.get(0)).orElseThrow().attributes()).containsEntry("ncp_history_id", "7001");
        }
        List<Row> rows = read(ds, SqliteHostDeployment.class, e -> new Row(e.id, e.userId, e.commitSha, e.namespace,
                e.deployId, e.startedAt, e.completedAt, e.totalDuration),
                Map.of("hibernate.dialect", "org.hibernate.community.dialect.SQLiteDialect"));
        checkRows(rows, added);
    }

    @Test
    void onPostgresqlTheHostsEntityLoadsEveryRowWithDurationsThatMatch() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (Connection c = pg.dataSource().getConnection()) {
            HostTable.create(c, true, LocalDateTime.ofInstant(now, HostTable.SEOUL), "5001");
        }
        assertThatThrownBy(() -> adopted(JdbcHistoryStore.builder().dataSource(pg.dataSource()), now).build())
                .isInstanceOf(StoreException.class).hasMessageContaining("user_id is NOT NULL without a default");
        List<Long> added = adoptRepairAndDeploy(JdbcHistoryStore.builder().dataSource(pg.dataSource()), now);
        List<Row> rows = read(pg.dataSource(), PostgresHostDeployment.class, e -> new Row(e.id, e.userId, e.commitSha,
                e.namespace, e.deployId, e.startedAt, e.completedAt, e.totalDuration), Map.of());
        checkRows(rows, added);
        Row first = rows.get(0);
        // the naive value is Seoul time: deploytrack reads it as the same instant
        try (JdbcHistoryStore store = JdbcHistoryStore.builder().dataSource(pg.dataSource()).build()) {
            assertThat(store.find(1).orElseThrow().startedAt()).isEqualTo(first.startedAt().atZone(HostTable.SEOUL).toInstant());
        }
    }

    private static <E> List<Row> read(DataSource ds, Class<E> entity, java.util.function.Function<E, Row> row,
                                      Map<String, Object> properties) {
        Map<String, Object> props = new java.util.HashMap<>(properties);
        props.put("hibernate.hbm2ddl.auto", "none");
        try (EntityManagerFactory emf = JpaUnit.open(ds, List.of(), List.of(entity), props)) {
            EntityManager em = emf.createEntityManager();
            try {
                return em.createQuery("SELECT e FROM " + entity.getAnnotation(Entity.class).name() + " e ORDER BY e.id",
                        entity).getResultList().stream().map(row).toList();
            } finally {
                em.close();
            }
        }
    }
}
