package io.deploytrack.jdbc;

import io.deploytrack.jdbc.support.JdbcDialect;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.jdbc.internal.CheckRows;
import io.deploytrack.jdbc.internal.Dialect;
import io.deploytrack.jdbc.internal.HostMeaning;
import io.deploytrack.jdbc.internal.HostTimes;
import io.deploytrack.jdbc.internal.KeyValues;
import io.deploytrack.jdbc.internal.SqlRunner;
import io.deploytrack.jdbc.internal.SqlRunner.ParameterSetter;
import io.deploytrack.jdbc.internal.Times;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The history's rows and how they map to {@link Deployment}s: the columns a read selects (deploytrack's, then the host
 * columns of mapped attributes; a host's environment column, status words and rollback link read under deploytrack's
 * names), a row read into a deployment, and its checks read in one statement per chunk of rows. Also what the other
 * parts of the store share about the table: its dialect, the adoption settings and their meaning, the time encoding.
 */
final class HistoryRows {
    static final int CHUNK = 500;
    private static final String COLUMNS_AFTER_ENVIRONMENT = "github_commit_sha, is_rollback, "
            + "rollback_of, idempotency_key, status, started_at, deployed_at, completed_at, total_duration, error_stage, "
            + "error_message, attributes, lease_owner";

    private final Dialect dialect;
    private final AdoptionSettings settings;
    /** The host's words, stage columns and stage names: plain columns on deploytrack's own tables. */
    private final HostMeaning meaning;
    private final HostTimes times;
    /** The column that holds the environment (a host's own, when mapped). */
    private final String env;
    /** The history's columns a read selects: deploytrack's, then the host columns of mapped attributes. */
    private final String columns;

    HistoryRows(Dialect dialect, AdoptionSettings settings, HostTimes times) {
        this.dialect = dialect;
        this.settings = settings;
        this.meaning = HostMeaning.of(settings);
        this.times = times;
        this.env = settings.environmentColumnOrDefault();
        // the same statement text as ever on deploytrack's own tables (the benchmarks' baseline sends exactly it)
        StringBuilder cols = new StringBuilder("id, github_owner, github_repo, "
                + (env.equals(AdoptionSettings.ENVIRONMENT) ? env : env + " AS environment") + ", "
                + COLUMNS_AFTER_ENVIRONMENT);
        settings.attributeColumns().values().forEach(col -> cols.append(", ").append(col));
        this.columns = cols.toString().replace(" rollback_of,", " " + meaning.selectRollback("") + ",")
                .replace(" status,", " " + meaning.selectStatus("") + ",");
    }

    Dialect dialect() {
        return dialect;
    }

    AdoptionSettings settings() {
        return settings;
    }

    HostMeaning meaning() {
        return meaning;
    }

    HostTimes times() {
        return times;
    }

    /** The column that holds the environment (a host's own, when mapped). */
    String env() {
        return env;
    }

    /** A history row as read, with the lease owner it names. */
    record Row(Deployment deployment, String leaseOwner) {
    }

    /** The rows {@code whereAndOrder} selects, with the parameters {@code params} binds. */
    List<Row> selectRows(Connection c, String whereAndOrder, ParameterSetter params) throws SQLException {
        return SqlRunner.query(c, "SELECT " + columns + " FROM deployment_histories " + whereAndOrder, params,
                rs -> new Row(readDeployment(rs), rs.getString("lease_owner")));
    }

    /** Binds {@code ids} as the statement's parameters, from the first. */
    static ParameterSetter ids(List<Long> ids) {
        return ps -> {
            int i = 1;
            for (Long id : ids) {
                ps.setLong(i++, id);
            }
        };
    }

    private Deployment readDeployment(ResultSet rs) throws SQLException {
        Instant started = times.get(rs, "started_at");
        Instant completed = times.get(rs, "completed_at");
        long storedTotal = rs.getLong("total_duration");
        Duration total = started != null && completed != null ? Duration.between(started, completed)
                : rs.wasNull() ? null : Duration.ofSeconds(storedTotal);
        long rollbackOf = rs.getLong("rollback_of");
        Long rollbackOfValue = rs.wasNull() ? null : rollbackOf;
        return new Deployment(rs.getLong("id"), rs.getString("github_owner"), rs.getString("github_repo"),
                rs.getString("environment"), rs.getString("github_commit_sha"), rs.getBoolean("is_rollback"),
                rollbackOfValue, rs.getString("idempotency_key"), DeploymentStatus.fromWord(rs.getString("status")),
                started, times.get(rs, "deployed_at"), completed, total, meaning.checkName(rs.getString("error_stage")),
                rs.getString("error_message"), List.of(), attributes(rs));
    }

    /** The attributes column with the mapped host columns over it. */
    private Map<String, String> attributes(ResultSet rs) throws SQLException {
        Map<String, String> stored = KeyValues.decode(rs.getString("attributes"));
        if (settings.attributeColumns().isEmpty()) {
            return stored;
        }
        Map<String, String> out = new LinkedHashMap<>(stored);
        for (Map.Entry<String, String> e : settings.attributeColumns().entrySet()) {
            String v = rs.getString(e.getValue());
            if (v != null && !v.isBlank()) {
                out.put(e.getKey(), v.strip());
            }
        }
        return Map.copyOf(out);
    }

    /** The deployments of {@code rows}, each with its checks (read in chunks of {@value #CHUNK} rows). */
    List<Deployment> withChecks(Connection c, List<Row> rows) throws SQLException {
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<Long, List<DeploymentCheck>> checks = new HashMap<>();
        List<Long> ids = rows.stream().map(r -> r.deployment().id()).toList();
        for (List<Long> chunk : chunks(ids)) {
            SqlRunner.read(c, "SELECT " + CheckRows.COLUMNS + " FROM deployment_checks WHERE "
                    + "deployment_id IN (" + JdbcDialect.placeholders(chunk.size()) + ") ORDER BY deployment_id, position",
                    ids(chunk), rs -> {
                        while (rs.next()) {
                            checks.computeIfAbsent(rs.getLong("deployment_id"), k -> new ArrayList<>())
                                    .add(CheckRows.read(rs, dialect));
                        }
                        return null;
                    });
        }
        List<Deployment> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            out.add(r.deployment().withChecks(checks.getOrDefault(r.deployment().id(), List.of())));
        }
        return out;
    }

    /** The row {@link HistoryInserts} wrote for {@code d}, as SQLite text gives it back. */
    static Deployment asStored(Deployment d, long id) {
        List<DeploymentCheck> checks = new ArrayList<>(d.checks().size());
        for (DeploymentCheck ch : d.checks()) {
            checks.add(new DeploymentCheck(ch.name(), ch.ref(), ch.status(), Times.stored(ch.startedAt()),
                    Times.stored(ch.completedAt()), Times.stored(ch.deadlineAt()), ch.lastSourceStatus(),
                    ch.awaitingApproval(), ch.message(), Duration.ofMillis(ch.timeout().toMillis()),
                    Duration.ofMillis(ch.approvalTimeout().toMillis()), ch.stage()));
        }
        return new Deployment(id, d.owner(), d.repo(), d.environment(), d.commitSha(), d.rollback(), d.rollbackOf(),
                d.idempotencyKey(), DeploymentStatus.RUNNING, Times.stored(d.startedAt()), null, null, null, null, null,
                List.copyOf(checks), KeyValues.decode(KeyValues.encode(d.attributes())));
    }

    static DeploymentStatus status(String word) {
        return word == null ? null : DeploymentStatus.fromWord(word);
    }

    /** {@code ids} in chunks of at most {@value #CHUNK}, the most one {@code IN (...)} list binds. */
    static List<List<Long>> chunks(Collection<Long> ids) {
        List<Long> all = new ArrayList<>(ids);
        if (all.size() <= CHUNK) {
            return Collections.singletonList(all);
        }
        List<List<Long>> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += CHUNK) {
            out.add(all.subList(i, Math.min(all.size(), i + CHUNK)));
        }
        return out;
    }

    /** {@code s}, cut to {@code max} characters with {@code ...} when longer. */
    static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
