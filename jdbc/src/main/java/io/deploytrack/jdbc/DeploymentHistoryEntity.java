package io.deploytrack.jdbc;

import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.jdbc.internal.KeyValues;
import io.deploytrack.jdbc.internal.jpa.DeploymentStatusConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code deployment_histories} table as a JPA entity, for hosts that read the history through their own JPA
 * setup (reports, admin pages, joins with their own tables). It maps every column; the schema itself is made and
 * upgraded by deploytrack's migrations when a {@link JdbcHistoryStore} opens, never by the JPA provider (use
 * {@code hibernate.hbm2ddl.auto=validate} or {@code none}).
 *
 * <p><b>Read-mostly:</b> the entity has getters only. Every write goes through deploytrack ({@code DeploymentTracker},
 * {@code DeploymentHistory.mark}), which keeps the rules a plain {@code UPDATE} would break: status changes are
 * compare-and-set, a terminal status never changes, each change is logged in {@code deployment_events}, leases and
 * the completion notice stay consistent. {@code jakarta.persistence-api} is an optional dependency of
 * {@code deploytrack-jdbc}: the host brings its own JPA provider.
 *
 * <p><b>PostgreSQL:</b> list this class in the persistence unit; {@code Instant} maps to {@code timestamptz},
 * {@code boolean} to {@code boolean}, {@code Long} to {@code bigint}, natively.
 *
 * <p><b>SQLite:</b> also list the mapping file {@link #SQLITE_MAPPING_FILE}. SQLite stores these times as ISO-8601
 * text and its integers as 64-bit {@code INTEGER}; the mapping file says so (an {@code AttributeConverter} for each
 * time, {@code integer} for each {@code Long}) without changing the Java types, so the same entity class, with the same
 * {@code Instant} fields, reads both databases and passes schema validation on both.
 *
 * <pre>{@code
 * <persistence-unit name="history">
 *   <mapping-file>io/deploytrack/jdbc/deployment-history-sqlite.orm.xml</mapping-file>  <!-- SQLite only -->
 *   <class>io.deploytrack.jdbc.DeploymentHistoryEntity</class>
 * </persistence-unit>
 * }</pre>
 *
 * <p>The two partial indexes of the table ({@code ux_deployment_histories_one_running}, unique over running rows, and
 * the {@code WHERE} clauses of {@code ix_deployment_histories_success} and {@code ix_deployment_histories_needs_instance})
 * cannot be expressed in JPA; the migrations create them. The indexes below are declared for documentation and for
 * tools that read {@code @Table}.
 */
@Entity
@Table(name = "deployment_histories",
        uniqueConstraints = @UniqueConstraint(name = "ux_deployment_histories_idempotency_key",
                columnNames = "idempotency_key"),
        indexes = {
                @Index(name = "ix_deployment_histories_project",
                        columnList = "github_owner, github_repo, environment, started_at"),
                @Index(name = "ix_deployment_histories_started", columnList = "started_at"),
                @Index(name = "ix_deployment_histories_success",
                        columnList = "github_owner, github_repo, environment, deployed_at, id"),
                @Index(name = "ix_deployment_histories_needs_instance", columnList = "lease_until")
        })
public class DeploymentHistoryEntity {

    /**
     * The JPA mapping file to add to a persistence unit on SQLite (a classpath resource of deploytrack-jdbc); see the
     * class comment.
     */
    public static final String SQLITE_MAPPING_FILE = "io/deploytrack/jdbc/deployment-history-sqlite.orm.xml";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id", nullable = false)
    private Long id;

    @Column(name = "github_owner", nullable = false)
    private String githubOwner;

    @Column(name = "github_repo", nullable = false)
    private String githubRepo;

    @Column(name = "environment", nullable = false)
    private String environment;

    @Column(name = "github_commit_sha", nullable = false)
    private String githubCommitSha;

    @Column(name = "is_rollback", nullable = false)
    private boolean rollback;

    @Column(name = "rollback_of")
    private Long rollbackOf;

    @Column(name = "idempotency_key")
    private String idempotencyKey;

    @Convert(converter = DeploymentStatusConverter.class)
    @Column(name = "status", nullable = false)
    private DeploymentStatus status;

    @Column(name = "started_at", nullable = false)
    private Instant startedAt;

    @Column(name = "deployed_at")
    private Instant deployedAt;

    @Column(name = "completed_at")
    private Instant completedAt;

    @Column(name = "total_duration")
    private Long totalDuration;

    @Column(name = "error_stage")
    private String errorStage;

    @Column(name = "error_message")
    private String errorMessage;

    @Column(name = "attributes")
    private String attributes;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Column(name = "lease_owner")
    private String leaseOwner;

    @Column(name = "lease_until")
    private Instant leaseUntil;

    @Column(name = "completion_notified", nullable = false)
    private boolean completionNotified;

    /** For the JPA provider; rows are made by deploytrack. */
    protected DeploymentHistoryEntity() {
    }

    /** The deployment's id (the same as {@code Deployment.id()}). */
    public Long getId() {
        return id;
    }

    /** The repository owner ({@code github_owner}). */
    public String getGithubOwner() {
        return githubOwner;
    }

    /** The repository name ({@code github_repo}). */
    public String getGithubRepo() {
        return githubRepo;
    }

    /** The environment, {@code production} unless the host named another. */
    public String getEnvironment() {
        return environment;
    }

    /** The deployed commit ({@code github_commit_sha}). */
    public String getGithubCommitSha() {
        return githubCommitSha;
    }

    /** Whether this deployment rolled back to an earlier version ({@code is_rollback}). */
    public boolean isRollback() {
        return rollback;
    }

    /** The id of the deployment this rollback replaced, or null. */
    public Long getRollbackOf() {
        return rollbackOf;
    }

    /** The idempotency key (the caller's, or derived from the source reference), or null. */
    public String getIdempotencyKey() {
        return idempotencyKey;
    }

    /** The status; stored as its lowercase word ({@code running}, {@code success}, ...). */
    public DeploymentStatus getStatus() {
        return status;
    }

    /** When the deployment started (the source's own time where it reported one). */
    public Instant getStartedAt() {
        return startedAt;
    }

    /** When the new version went live, or null. */
    public Instant getDeployedAt() {
        return deployedAt;
    }

    /** When the deployment ended, or null while it runs. */
    public Instant getCompletedAt() {
        return completedAt;
    }

    /** {@code completed_at - started_at} in whole seconds ({@code total_duration}), or null while it runs. */
    public Long getTotalDuration() {
        return totalDuration;
    }

    /** {@link #getTotalDuration()} as a duration, or null. */
    public Duration totalDuration() {
        return totalDuration == null ? null : Duration.ofSeconds(totalDuration);
    }

    /** The name of the check that failed or timed out, or null. */
    public String getErrorStage() {
        return errorStage;
    }

    /** What went wrong, or null. */
    public String getErrorMessage() {
        return errorMessage;
    }

    /** The attributes as stored: URL-encoded {@code key=value} pairs joined by {@code &}; see {@link #attributeMap()}. */
    public String getAttributes() {
        return attributes;
    }

    /** The attributes (image, NCP ids, requesting user, ...), decoded. */
    public Map<String, String> attributeMap() {
        return KeyValues.decode(attributes);
    }

    /** When deploytrack recorded the row. */
    public Instant getCreatedAt() {
        return createdAt;
    }

    /** When deploytrack last changed the row. */
    public Instant getUpdatedAt() {
        return updatedAt;
    }

    /** The instance that follows this deployment now, or null. */
    public String getLeaseOwner() {
        return leaseOwner;
    }

    /** Until when {@link #getLeaseOwner()} holds the lease unless it renews it, or null. */
    public Instant getLeaseUntil() {
        return leaseUntil;
    }

    /** Whether {@code onCompleted} ran for this (terminal) deployment. */
    public boolean isCompletionNotified() {
        return completionNotified;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeploymentHistoryEntity other && id != null && id.equals(other.id);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(id);
    }

    @Override
    public String toString() {
        return "DeploymentHistoryEntity[id=" + id + ", " + githubOwner + "/" + githubRepo + "@" + environment + ", "
                + githubCommitSha + ", " + (status == null ? null : status.word()) + "]";
    }
}
