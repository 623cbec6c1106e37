package io.deploytrack.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A host's own {@code deployment_histories} (the schema a FastAPI/SQLAlchemy PaaS backend creates), with the rows its
 * code leaves: naive Korean local times, duplicates (equal SHAs, a full SHA and its short prefix), stale running rows
 * old and recent, successes without deployed_at/total_duration, a negative duration, a rollback, failures with their
 * stage, and rows that look alike but are not duplicates.
 */
public final class HostTable {
    public static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");
    public static final DateTimeFormatter NAIVE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
    public static final String A = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";
    public static final String B = "b1b2c3d4e5f60718293a4b5c6d7e8f9012345678";
    public static final String C = "c1b2c3d4e5f60718293a4b5c6d7e8f9012345678";
    public static final String D = "d1b2c3d4e5f60718293a4b5c6d7e8f9012345678";
    public static final String E = "e1b2c3d4e5f60718293a4b5c6d7e8f9012345678";
    public static final String F = "f1b2c3d4e5f60718293a4b5c6d7e8f9012345678";
    public static final String G = "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567";
    public static final String H = "1a1b2c3d4e5f60718293a4b5c6d7e8f901234567";
    public static final String NCP_PROJECT = "12";

    public static final String SQLITE_DDL = """
            CREATE TABLE deployment_histories (
             id INTEGER NOT NULL, user_id VARCHAR(255) NOT NULL,
             github_owner VARCHAR(255) NOT NULL, github_repo VARCHAR(255) NOT NULL,
             github_commit_sha VARCHAR(255), github_commit_message TEXT,
             github_commit_author VARCHAR(255), github_commit_url VARCHAR(500),
             sourcecommit_project_id VARCHAR(255), sourcecommit_repo_name VARCHAR(255),
             sourcebuild_project_id VARCHAR(255), sourcedeploy_project_id VARCHAR(255),
             build_id VARCHAR(255), deploy_id VARCHAR(255), status VARCHAR(50) NOT NULL,
             sourcecommit_status VARCHAR(50), sourcebuild_status VARCHAR(50), sourcedeploy_status VARCHAR(50),
             image_name VARCHAR(500), image_tag VARCHAR(100), image_url VARCHAR(500),
             cluster_id VARCHAR(255), cluster_name VARCHAR(255), namespace VARCHAR(255),
             started_at DATETIME NOT NULL, completed_at DATETIME, deployed_at DATETIME,
             created_at DATETIME, updated_at DATETIME, total_duration INTEGER,
             sourcecommit_duration INTEGER, sourcebuild_duration INTEGER, sourcedeploy_duration INTEGER,
             error_message TEXT, error_stage VARCHAR(50), webhook_payload TEXT,
             auto_deploy_enabled BOOLEAN, is_rollback BOOLEAN NOT NULL, rollback_from_id INTEGER,
             PRIMARY KEY (id));
            CREATE INDEX ix_deployment_histories_user_id ON deployment_histories (user_id);
            CREATE INDEX ix_deployment_histories_id ON deployment_histories (id)""";

    /** The same table as SQLAlchemy creates it on PostgreSQL. */
    public static final String POSTGRES_DDL = SQLITE_DDL.replace("id INTEGER NOT NULL,", "id SERIAL NOT NULL,")
            .replace("DATETIME", "TIMESTAMP WITHOUT TIME ZONE");

    /** One row as the host writes it. */
    public record Row(long id, String sha, String namespace, String status, boolean rollback, LocalDateTime started,
               Long completedAfter, boolean deployed, Long totalDuration, String errorStage, String deployId) {
    }

    /** The rows, relative to {@code now} in Seoul. */
    public static List<Row> rows(LocalDateTime now) {
        LocalDateTime d3 = now.minusDays(3).withHour(10).withMinute(0).withSecond(0).withNano(0);
        LocalDateTime d2 = now.minusDays(2).withHour(9).withMinute(0).withSecond(0).withNano(0);
        LocalDateTime d1 = now.minusDays(1).withNano(0);
        return List.of(
                // 1 + 2: the same push recorded twice with equal SHAs (1 complete, 2 left running)
                new Row(1, A, "default", "success", false, d3, 60L, true, 60L, null, null),
                new Row(2, A, "default", "running", false, d3.plusSeconds(20), null, false, null, null, null),
                // 3 + 4: the pipeline wrote the short SHA and ended it, the webhook the full SHA and left it running
                new Row(3, B.substring(0, 7), "default", "success", false, d2, 45L, true, 45L, null, null),
                new Row(4, B, "default", "running", false, d2.plusSeconds(10), null, false, null, null, null),
                // 5: stale running without a check or ids; 6: stale running whose columns name an NCP deployment
                new Row(5, C, "default", "running", false, d1, null, false, null, null, null),
                new Row(6, D, "default", "running", false, d1.plusMinutes(10), null, false, null, null, "ASSIGNED"),
                // 7: recent running: not stale yet
                new Row(7, E, "default", "running", false, now.minusMinutes(1).withNano(0), null, false, null, null, null),
                // 8: a success without deployed_at and total_duration; 9: a negative duration (UTC and local mixed)
                new Row(8, F, "default", "success", false, now.minusHours(20).withNano(0), 90L, false, null, null, null),
                new Row(9, G, "default", "success", false, now.minusHours(19).withNano(0), 30L, true, 30L - 9 * 3600, null, null),
                // 10 + 11: a deployment and, a minute later, the rollback to it sharing its SHA: not duplicates
                new Row(10, H, "default", "success", false, now.minusHours(10).withNano(0), 40L, true, 40L, null, null),
                new Row(11, H, "default", "success", true, now.minusHours(10).plusMinutes(1).withNano(0), 35L, true, 35L, null, null),
                // 12 + 13: a failure in the build stage, then a retry of the same commit a minute later
                new Row(12, C, "default", "failed", false, now.minusHours(8).withNano(0), 20L, false, 20L, "sourcebuild", null),
                new Row(13, C, "default", "success", false, now.minusHours(8).plusMinutes(1).withNano(0), 50L, true, 50L, null, null),
                // 14 + 15: the same commit deployed to two namespaces at once
                new Row(14, E, "default", "success", false, now.minusHours(6).withNano(0), 70L, true, 70L, null, null),
                new Row(15, E, "staging", "success", false, now.minusHours(6).plusSeconds(10).withNano(0), 65L, true, 65L, null, null),
                // 16: healthy
                new Row(16, A, "default", "success", false, now.minusHours(2).withNano(0), 80L, true, 80L, null, null));
    }

    /** Creates the table and writes the rows as the host's code does (naive local times, microseconds). */
    public static void create(Connection c, boolean postgres, LocalDateTime now, String deployIdOfRow6) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String ddl : (postgres ? POSTGRES_DDL : SQLITE_DDL).split(";")) {
                s.execute(ddl);
            }
        }
        for (Row r : rows(now)) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO deployment_histories (id, user_id, github_owner, "
                    + "github_repo, github_commit_sha, status, namespace, started_at, completed_at, deployed_at, created_at, "
                    + "updated_at, total_duration, error_stage, error_message, is_rollback, sourcedeploy_project_id, "
                    + "deploy_id) VALUES (?, 'u-1', 'acme', 'web', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                LocalDateTime completed = r.completedAfter() == null ? null : r.started().plusSeconds(r.completedAfter());
                ps.setLong(1, r.id());
                ps.setString(2, r.sha());
                ps.setString(3, r.status());
                ps.setString(4, r.namespace());
                time(ps, 5, r.started(), postgres);
                time(ps, 6, completed, postgres);
                time(ps, 7, r.deployed() ? completed : null, postgres);
                time(ps, 8, r.started(), postgres);
                time(ps, 9, completed != null ? completed : r.started(), postgres);
                if (r.totalDuration() == null) {
                    ps.setNull(10, java.sql.Types.INTEGER);
                } else {
                    ps.setLong(10, r.totalDuration());
                }
                ps.setString(11, r.errorStage());
                ps.setString(12, r.errorStage() == null ? null : "the image build failed");
                if (postgres) {
                    ps.setBoolean(13, r.rollback());
                } else {
                    ps.setInt(13, r.rollback() ? 1 : 0);
                }
                boolean ncp = "ASSIGNED".equals(r.deployId());
                ps.setString(14, ncp ? NCP_PROJECT : null);
                ps.setString(15, ncp ? deployIdOfRow6 : null);
                ps.executeUpdate();
            }
        }
        if (postgres) {
            try (Statement s = c.createStatement()) {
                s.execute("SELECT setval('deployment_histories_id_seq', 100)");
            }
        }
    }

    private static void time(PreparedStatement ps, int i, LocalDateTime t, boolean postgres) throws SQLException {
        if (t == null) {
            ps.setNull(i, postgres ? java.sql.Types.TIMESTAMP : java.sql.Types.VARCHAR);
        } else if (postgres) {
            ps.setObject(i, t);
        } else {
            ps.setString(i, NAIVE.format(t));
        }
    }

    /** Every row as the host's code reads it: column to text (times as stored). */
    public static Map<Long, Map<String, String>> read(Connection c) throws SQLException {
        Map<Long, Map<String, String>> out = new LinkedHashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id, user_id, github_commit_sha, "
                + "status, namespace, started_at, completed_at, deployed_at, created_at, updated_at, total_duration, "
                + "error_stage, is_rollback, sourcedeploy_project_id, deploy_id FROM deployment_histories ORDER BY id")) {
            var md = rs.getMetaData();
            while (rs.next()) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 2; i <= md.getColumnCount(); i++) {
                    row.put(md.getColumnName(i).toLowerCase(java.util.Locale.ROOT), rs.getString(i));
                }
                out.put(rs.getLong(1), row);
            }
        }
        return out;
    }

    /** A stored naive time (SQLite text or PostgreSQL timestamp text) as local time. */
    public static LocalDateTime local(String stored) {
        String v = stored.replace('T', ' ');
        int dot = v.indexOf('.');
        String base = dot < 0 ? v : v.substring(0, dot);
        String frac = dot < 0 ? "" : v.substring(dot + 1);
        LocalDateTime t = LocalDateTime.parse(base.replace(' ', 'T'));
        return frac.isEmpty() ? t : t.plusNanos(Long.parseLong((frac + "000000000").substring(0, 9)));
    }

    /** Seconds between two stored naive times. */
    public static long seconds(String from, String to) {
        return Math.round(Duration.between(local(from), local(to)).toMillis() / 1000.0);
    }

    /** The instant of a naive Seoul time. */
    public static Instant instant(String stored) {
        return local(stored).atZone(SEOUL).toInstant();
    }

    public static List<String> timeColumns() {
        return new ArrayList<>(List.of("started_at", "completed_at", "deployed_at", "created_at", "updated_at"));
    }

    private HostTable() {
    }
}
