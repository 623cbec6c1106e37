package io.deploytrack.it;

import io.deploytrack.jdbc.JpaUnit;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.Table;
import org.sqlite.SQLiteDataSource;

import javax.sql.DataSource;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The host PaaS's own JPA entity for its {@code deployment_histories} (its own class: {@code LocalDateTime} fields,
 * naive local times, its column names, its {@code is_completed}), read through Hibernate, so the host's model, not a
 * deploytrack class, judges the adopted table. On SQLite, where DATETIME is text, the host maps its times with a
 * converter; on PostgreSQL, {@code timestamp} maps to {@code LocalDateTime} natively.
 */
final class HostPaasEntity {
    private static final DateTimeFormatter NAIVE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSS]");

    private HostPaasEntity() {
    }

    /** The host's model's {@code is_completed}: only these two words end a deployment for it. */
    static final Set<String> COMPLETED = Set.of("success", "failed");

    /** How the host maps its SQLite DATETIME text: naive local time, microseconds. */
    public static final class NaiveText implements AttributeConverter<LocalDateTime, String> {
        @Override
        public String convertToDatabaseColumn(LocalDateTime t) {
            return t == null ? null : t.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS"));
        }

        @Override
        public LocalDateTime convertToEntityAttribute(String s) {
            return s == null ? null : LocalDateTime.parse(s.strip(), NAIVE);
        }
    }

    /** The columns the host's code reads, besides the times. */
    @MappedSuperclass
    public abstract static class Base {
        @Id
        Long id;
        @Column(name = "user_id")
        String userId;
        @Column(name = "github_commit_sha")
        String commitSha;
        String status;
        String namespace;
        @Column(name = "is_rollback")
        Boolean isRollback;
        @Column(name = "total_duration")
        Long totalDuration;
        @Column(name = "error_stage")
        String errorStage;
        @Column(name = "deploy_id")
        String deployId;
        @Column(name = "sourcedeploy_status")
        String sourcedeployStatus;
        @Column(name = "sourcedeploy_duration")
        Long sourcedeployDuration;

        abstract LocalDateTime startedAt();

        abstract LocalDateTime completedAt();

        abstract LocalDateTime deployedAt();

        /** As the host's model says it. */
        boolean isCompleted() {
            return COMPLETED.contains(status);
        }

        HostTableChecker.HostRow row() {
            return new HostTableChecker.HostRow(id, commitSha, namespace, status, Boolean.TRUE.equals(isRollback),
                    startedAt(), completedAt(), deployedAt(), totalDuration, errorStage, deployId, sourcedeployStatus,
                    sourcedeployDuration);
        }
    }

    /** The host's entity on SQLite. */
    @Entity(name = "SqliteHostPaasDeployment")
    @Table(name = "deployment_histories")
    public static class OnSqlite extends Base {
        @Convert(converter = NaiveText.class)
        @Column(name = "started_at")
        LocalDateTime startedAt;
        @Convert(converter = NaiveText.class)
        @Column(name = "completed_at")
        LocalDateTime completedAt;
        @Convert(converter = NaiveText.class)
        @Column(name = "deployed_at")
        LocalDateTime deployedAt;

        @Override
        LocalDateTime startedAt() {
            return startedAt;
        }

        @Override
        LocalDateTime completedAt() {
            return completedAt;
        }

        @Override
        LocalDateTime deployedAt() {
            return deployedAt;
        }
    }

    /** The host's entity on PostgreSQL. */
    @Entity(name = "PostgresHostPaasDeployment")
    @Table(name = "deployment_histories")
    public static class OnPostgres extends Base {
        @Column(name = "started_at")
        LocalDateTime startedAt;
        @Column(name = "completed_at")
        LocalDateTime completedAt;
        @Column(name = "deployed_at")
        LocalDateTime deployedAt;

        @Override
        LocalDateTime startedAt() {
            return startedAt;
        }

        @Override
        LocalDateTime completedAt() {
            return completedAt;
        }

        @Override
        LocalDateTime deployedAt() {
            return deployedAt;
        }
    }

    /** Every row, as the host's entity loads it ({@code db}: a SQLite file, or a PostgreSQL JDBC URL). */
    static List<Base> load(String db, DataSource postgres) {
        boolean pg = db.startsWith("jdbc:postgresql:");
        DataSource ds = pg ? postgres : sqlite(db);
        Class<? extends Base> entity = pg ? OnPostgres.class : OnSqlite.class;
        Map<String, Object> props = new HashMap<>();
        props.put("hibernate.hbm2ddl.auto", "none");
        if (!pg) {
            props.put("hibernate.dialect", "org.hibernate.community.dialect.SQLiteDialect");
        }
        try (EntityManagerFactory emf = JpaUnit.open(ds, List.of(), List.of(entity), props)) {
            EntityManager em = emf.createEntityManager();
            try {
                return List.copyOf(em.createQuery("SELECT e FROM " + entity.getAnnotation(Entity.class).name()
                        + " e ORDER BY e.id", Base.class).getResultList());
            } finally {
                em.close();
            }
        }
    }

    private static DataSource sqlite(String file) {
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + file);
        return ds;
    }
}
