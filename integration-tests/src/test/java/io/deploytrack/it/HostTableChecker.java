package io.deploytrack.it;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads the host's {@code deployment_histories} the way the host's own code does (plain JDBC, naive
 * {@code LocalDateTime}s, its own column names, no deploytrack class) and checks what the host relies on. Each
 * check is its own method, so a test calls the ones that apply to what it adopted.
 */
final class HostTableChecker {

    /** One row as the host's model sees it. */
    record HostRow(long id, String sha, String namespace, String status, boolean rollback, LocalDateTime startedAt,
                   LocalDateTime completedAt, LocalDateTime deployedAt, Long totalDuration, String errorStage,
                   String deployId, String sourcedeployStatus, Long sourcedeployDuration) {
    }

    /** The words the host's list endpoint filters on and its model's {@code is_completed} knows. */
    static final Set<String> HOST_STATUS_WORDS = Set.of("running", "success", "failed");

    private final List<HostRow> rows;

    private HostTableChecker(List<HostRow> rows) {
        this.rows = List.copyOf(rows);
    }

    /** Reads every row; on SQLite the DATETIME text is parsed as the host's SQLAlchemy does. */
    static HostTableChecker read(Connection c, boolean postgres) throws SQLException {
        List<HostRow> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id, github_commit_sha, namespace, "
                + "status, is_rollback, started_at, completed_at, deployed_at, total_duration, error_stage, deploy_id, "
                + "sourcedeploy_status, sourcedeploy_duration FROM deployment_histories ORDER BY id")) {
            while (rs.next()) {
                out.add(new HostRow(rs.getLong("id"), rs.getString("github_commit_sha"), rs.getString("namespace"),
                        rs.getString("status"), rs.getBoolean("is_rollback"), time(rs, "started_at", postgres),
                        time(rs, "completed_at", postgres), time(rs, "deployed_at", postgres),
                        longOrNull(rs, "total_duration"), rs.getString("error_stage"), rs.getString("deploy_id"),
                        rs.getString("sourcedeploy_status"), longOrNull(rs, "sourcedeploy_duration")));
            }
        }
        return new HostTableChecker(out);
    }

    /** Rows the host's own entity loaded ({@link HostPaasEntity}), checked by its model's rules too. */
    static HostTableChecker ofEntities(List<HostPaasEntity.Base> entities) {
        for (HostPaasEntity.Base e : entities) {
            // is_completed is the host's notion of "ended": every row deploytrack ended must be completed to it
            assertThat(e.isCompleted() || "running".equals(e.status)).as("row %d is_completed (status %s)", e.id,
                    e.status).isTrue();
        }
        return new HostTableChecker(entities.stream().map(HostPaasEntity.Base::row).toList());
    }

    List<HostRow> rows() {
        return rows;
    }

    HostRow row(long id) {
        return rows.stream().filter(r -> r.id() == id).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + id + " in " + rows));
    }

    /** No completion, and no go-live, before the row's own start; every duration what its times say. */
    HostTableChecker noCompletionBeforeStart() {
        for (HostRow r : rows) {
            if (r.completedAt() != null) {
                assertThat(r.completedAt()).as("row %d completed_at", r.id()).isAfterOrEqualTo(r.startedAt());
            }
            if (r.deployedAt() != null) {
                assertThat(r.deployedAt()).as("row %d deployed_at", r.id()).isAfterOrEqualTo(r.startedAt());
            }
            if (r.completedAt() != null && r.totalDuration() != null) {
                long seconds = Math.round(Duration.between(r.startedAt(), r.completedAt()).toMillis() / 1000.0);
                assertThat(r.totalDuration()).as("row %d total_duration", r.id()).isBetween(seconds - 1, seconds + 1);
            }
        }
        return this;
    }

    /**
     * No push recorded twice: no two rows of one namespace and rollback flag whose SHAs are equal or one a prefix of
     * the other, started within two minutes of each other.
     */
    HostTableChecker noDuplicates() {
        for (HostRow a : rows) {
            for (HostRow b : rows) {
                if (a.id() >= b.id() || !a.namespace().equals(b.namespace()) || a.rollback() != b.rollback()) {
                    continue;
                }
                String x = a.sha().toLowerCase(Locale.ROOT);
                String y = b.sha().toLowerCase(Locale.ROOT);
                boolean sameCommit = x.startsWith(y) || y.startsWith(x);
                boolean close = Duration.between(a.startedAt(), b.startedAt()).abs().compareTo(Duration.ofMinutes(2)) <= 0;
                assertThat(sameCommit && close).as("rows %d and %d record one push", a.id(), b.id()).isFalse();
            }
        }
        return this;
    }

    /** An ended row that names its NCP deployment has its times: completed_at and total_duration, a success deployed_at. */
    HostTableChecker providerTimesFilled() {
        for (HostRow r : rows) {
            if (r.deployId() == null || r.status().equals("running")) {
                continue;
            }
            assertThat(r.completedAt()).as("row %d completed_at", r.id()).isNotNull();
            assertThat(r.totalDuration()).as("row %d total_duration", r.id()).isNotNull();
            if (r.status().equals("success")) {
                assertThat(r.deployedAt()).as("row %d deployed_at", r.id()).isNotNull();
            }
        }
        return this;
    }

    /** Only the status words the host knows ({@code running}, {@code success}, {@code failed}). */
    HostTableChecker onlyHostStatusWords() {
        for (HostRow r : rows) {
            assertThat(HOST_STATUS_WORDS).as("row %d status", r.id()).contains(r.status());
        }
        return this;
    }

    /**
     * The SourceDeploy stage columns agree with the row: an ended row's stage is not left {@code started}, a failed
     * row's {@code error_stage} is a host stage name, and the stage's duration is whole seconds no longer than the row's.
     */
    HostTableChecker stageColumnsAgreeWithRows() {
        Set<String> stages = Set.of("sourcecommit", "sourcebuild", "sourcedeploy");
        for (HostRow r : rows) {
            if (!r.status().equals("running")) {
                assertThat(r.sourcedeployStatus()).as("row %d sourcedeploy_status", r.id()).isNotEqualTo("started");
            }
            if (r.status().equals("failed")) {
                assertThat(stages).as("row %d error_stage", r.id()).contains(r.errorStage());
            }
            if (r.sourcedeployDuration() != null && r.totalDuration() != null) {
                assertThat(r.sourcedeployDuration()).as("row %d sourcedeploy_duration", r.id())
                        .isLessThanOrEqualTo(r.totalDuration());
            }
        }
        return this;
    }

    private static LocalDateTime time(ResultSet rs, String column, boolean postgres) throws SQLException {
        if (postgres) {
            return rs.getObject(column, LocalDateTime.class);
        }
        String v = rs.getString(column);
        return v == null ? null : LocalDateTime.parse(v.strip().replace(' ', 'T'));
    }

    private static Long longOrNull(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }
}
