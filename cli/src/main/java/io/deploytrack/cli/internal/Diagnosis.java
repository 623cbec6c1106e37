package io.deploytrack.cli.internal;

import io.deploytrack.core.CheckRef;
import io.deploytrack.jdbc.internal.Dialect;
import io.deploytrack.jdbc.internal.LegacyAdoption;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What {@code doctor} finds, read straight from the tables (so that it works on rows the store's API would refuse:
 * unknown status words, unreadable times, rows a host's own code wrote). Not public API.
 */
final class Diagnosis {
    /** Rows of one project, environment, commit and rollback flag started this close together are duplicates. */
    static final Duration DUPLICATE_WINDOW = Duration.ofMinutes(2);
    /** The deadline of a running row with no check that says otherwise: the tracker's default rollout deadline. */
    static final Duration DEFAULT_DEADLINE = Duration.ofMinutes(5);
    static final Set<String> STATUSES = Set.of("running", "success", "failed", "cancelled", "timed_out");

    /** One row of {@code deployment_histories} as stored. */
    record Row(long id, String owner, String repo, String environment, String commitSha, boolean rollback,
               Long rollbackOf, String idempotencyKey, String status, Instant startedAt, Instant deployedAt,
               Instant completedAt, Long totalDuration, String leaseOwner, Instant leaseUntil) {

        String label() {
            return owner + "/" + repo + "@" + (commitSha != null && commitSha.length() > 7 ? commitSha.substring(0, 7)
                    : commitSha) + " (" + environment + (rollback ? ", rollback" : "") + ")";
        }

        /** The stored status, lower case and trimmed. */
        String normalStatus() {
            return status == null ? "" : status.strip().toLowerCase(Locale.ROOT);
        }
    }

    /** One row of {@code deployment_checks} as stored. */
    record Check(long id, long deploymentId, int position, String name, String sourceType, String sourceRef,
                 String status, Instant startedAt, Instant completedAt, Instant deadlineAt, String lastSourceStatus) {

        CheckRef ref() {
            return CheckRef.decode(sourceType, sourceRef);
        }
    }

    /**
     * One problem.
     *
     * @param kind   a stable word: {@code duplicate}, {@code stale_running}, {@code success_missing_deployed_at},
     *               {@code success_missing_total_duration}, {@code duration_mismatch}, {@code unknown_status},
     *               {@code unreadable_time}, {@code pending_constraint}
     * @param ids    the rows involved
     * @param detail what is wrong, for people
     */
    record Problem(String kind, List<Long> ids, String detail) {
    }

    final Instant now;
    final Map<Long, Row> rows = new LinkedHashMap<>();
    final Map<Long, List<Check>> checks = new HashMap<>();
    final Map<Long, Integer> eventCounts = new HashMap<>();
    final Map<Long, Instant> successEvents = new HashMap<>();
    final List<LegacyAdoption.PendingConstraint> pending;
    /** Duplicate groups, each sorted by id. */
    final List<List<Long>> duplicateGroups = new ArrayList<>();
    final Map<List<Long>, String> duplicateReasons = new HashMap<>();
    final List<Long> stale = new ArrayList<>();
    final List<Problem> problems = new ArrayList<>();
    private final Map<Long, List<String>> unreadable = new TreeMap<>();

    private Diagnosis(Instant now, List<LegacyAdoption.PendingConstraint> pending) {
        this.now = now;
        this.pending = pending;
    }

    /** Reads the tables and finds every problem. */
    static Diagnosis run(Connection c, Dialect dialect, Instant now) throws SQLException {
        Diagnosis d = new Diagnosis(now, LegacyAdoption.pending(c, dialect));
        d.read(c, dialect);
        d.analyse();
        return d;
    }

    boolean healthy() {
        return problems.isEmpty();
    }

    /** The deadline of a running row: its running checks' latest deadline, else started + 5 minutes. */
    Instant deadline(Row r) {
        Instant latest = null;
        for (Check k : checks.getOrDefault(r.id(), List.of())) {
            if ("running".equals(k.status()) && k.deadlineAt() != null && (latest == null || k.deadlineAt().isAfter(latest))) {
                latest = k.deadlineAt();
            }
        }
        if (latest != null) {
            return latest;
        }
        return r.startedAt() == null ? null : r.startedAt().plus(DEFAULT_DEADLINE);
    }

    /** When a success went live, from evidence only: its completion, its checks' completion, its completed event. */
    Evidence deployedEvidence(Row r) {
        if (r.completedAt() != null) {
            return new Evidence(r.completedAt(), "its completed_at");
        }
        Instant fromChecks = checksCompleted(r);
        if (fromChecks != null) {
            return new Evidence(fromChecks, "the completion of its last check");
        }
        Instant ev = successEvents.get(r.id());
        return ev == null ? null : new Evidence(ev, "its 'completed' event");
    }

    /** A time and where it came from. */
    record Evidence(Instant at, String source) {
    }

    private Instant checksCompleted(Row r) {
        List<Check> ks = checks.getOrDefault(r.id(), List.of());
        if (ks.isEmpty()) {
            return null;
        }
        Instant latest = null;
        for (Check k : ks) {
            if (!"success".equals(k.status()) || k.completedAt() == null) {
                return null;
            }
            latest = latest == null || k.completedAt().isAfter(latest) ? k.completedAt() : latest;
        }
        return latest;
    }

    // ---------------------------------------------------------------- reading

    private void read(Connection c, Dialect dialect) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id, github_owner, github_repo, "
                + "environment, github_commit_sha, is_rollback, rollback_of, idempotency_key, status, started_at, "
                + "deployed_at, completed_at, total_duration, lease_owner, lease_until FROM deployment_histories ORDER BY id")) {
            while (rs.next()) {
                long id = rs.getLong("id");
                long rb = rs.getLong("rollback_of");
                Long rollbackOf = rs.wasNull() ? null : rb;
                rows.put(id, new Row(id, rs.getString("github_owner"), rs.getString("github_repo"),
                        rs.getString("environment"), rs.getString("github_commit_sha"), rs.getBoolean("is_rollback"),
                        rollbackOf, rs.getString("idempotency_key"), rs.getString("status"),
                        time(dialect, rs, id, "started_at"), time(dialect, rs, id, "deployed_at"),
                        time(dialect, rs, id, "completed_at"), seconds(rs.getObject("total_duration")),
                        rs.getString("lease_owner"), time(dialect, rs, id, "lease_until")));
            }
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id, deployment_id, position, name, "
                + "source_type, source_ref, status, started_at, completed_at, deadline_at, last_source_status "
                + "FROM deployment_checks ORDER BY deployment_id, position, id")) {
            while (rs.next()) {
                long dep = rs.getLong("deployment_id");
                checks.computeIfAbsent(dep, k -> new ArrayList<>()).add(new Check(rs.getLong("id"), dep,
                        rs.getInt("position"), rs.getString("name"), rs.getString("source_type"),
                        rs.getString("source_ref"), rs.getString("status"), time(dialect, rs, dep, "started_at"),
                        time(dialect, rs, dep, "completed_at"), time(dialect, rs, dep, "deadline_at"),
                        rs.getString("last_source_status")));
            }
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT deployment_id, COUNT(*) FROM deployment_events GROUP BY deployment_id")) {
            while (rs.next()) {
                eventCounts.put(rs.getLong(1), rs.getInt(2));
            }
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT deployment_id, at FROM "
                + "deployment_events WHERE type = 'completed' AND to_status = 'success' ORDER BY id")) {
            while (rs.next()) {
                long dep = rs.getLong(1);
                Instant at = time(dialect, rs, dep, "at");
                if (at != null) {
                    successEvents.put(dep, at);
                }
            }
        }
    }

    private Instant time(Dialect dialect, ResultSet rs, long id, String column) throws SQLException {
        try {
            return dialect.getInstant(rs, column);
        } catch (RuntimeException e) {
            unreadable.computeIfAbsent(id, k -> new ArrayList<>()).add(column + "='" + rs.getString(column) + "'");
            return null;
        }
    }

    private static Long seconds(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof Number n) {
            return Math.round(n.doubleValue());
        }
        try {
            return Math.round(Double.parseDouble(v.toString().strip()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- analysis

    private void analyse() {
        findDuplicates();
        for (Row r : rows.values()) {
            String st = r.normalStatus();
            if (!STATUSES.contains(r.status())) {
                problems.add(new Problem("unknown_status", List.of(r.id()), r.label() + " has status '" + r.status()
                        + "': expected one of running, success, failed, cancelled, timed_out"
                        + (STATUSES.contains(st) ? " (written differently: '" + st + "')" : "")));
                if (!STATUSES.contains(st)) {
                    continue;
                }
            }
            if (st.equals("running")) {
                Instant deadline = deadline(r);
                boolean leaseLive = r.leaseOwner() != null && r.leaseUntil() != null && r.leaseUntil().isAfter(now);
                if ((deadline == null || deadline.isBefore(now)) && !leaseLive) {
                    stale.add(r.id());
                    problems.add(new Problem("stale_running", List.of(r.id()), r.label() + " is running past its deadline "
                            + (deadline == null ? "(no start time)" : Format.time(deadline)) + " with no live lease"
                            + (r.leaseOwner() == null ? "" : " (the lease of " + r.leaseOwner() + " expired "
                            + Format.time(r.leaseUntil()) + ")")));
                }
            }
            if (st.equals("success") && r.deployedAt() == null) {
                problems.add(new Problem("success_missing_deployed_at", List.of(r.id()), r.label()
                        + " succeeded but has no deployed_at"));
            }
            if (st.equals("success") && r.totalDuration() == null) {
                problems.add(new Problem("success_missing_total_duration", List.of(r.id()), r.label()
                        + " succeeded but has no total_duration"));
            }
            if (r.totalDuration() != null && r.startedAt() != null && r.completedAt() != null) {
                long actual = Math.round(Duration.between(r.startedAt(), r.completedAt()).toMillis() / 1000.0);
                if (actual < 0) {
                    problems.add(new Problem("duration_mismatch", List.of(r.id()), r.label() + " completed "
                            + Format.time(r.completedAt()) + " before it started " + Format.time(r.startedAt())));
                } else if (Math.abs(actual - r.totalDuration()) > 1) {
                    problems.add(new Problem("duration_mismatch", List.of(r.id()), r.label() + " has total_duration "
                            + r.totalDuration() + " s but its times say " + actual + " s"));
                }
            }
        }
        unreadable.forEach((id, cols) -> problems.add(new Problem("unreadable_time", List.of(id),
                "row " + id + " has times that are not times: " + String.join(", ", cols))));
        for (LegacyAdoption.PendingConstraint p : pending) {
            problems.add(new Problem("pending_constraint", List.of(), "unique index " + p.name()
                    + " is not enforced yet (existing rows break it: " + Format.cut(p.reason(), 160) + ")"));
        }
        problems.sort(Comparator.comparing((Problem p) -> order(p.kind())).thenComparing(p -> p.ids().isEmpty() ? 0 : p.ids().get(0)));
    }

    private static int order(String kind) {
        return List.of("duplicate", "stale_running", "success_missing_deployed_at", "success_missing_total_duration",
                "duration_mismatch", "unknown_status", "unreadable_time", "pending_constraint").indexOf(kind);
    }

    /**
     * Duplicates: the same idempotency key; or the same owner, repo, environment, commit and rollback flag started
     * within 2 minutes of each other, unless one had ended before the other started (a deliberate redeploy) or their
     * idempotency keys differ (two attempts the source told apart).
     */
    private void findDuplicates() {
        Map<Long, Long> parent = new HashMap<>();
        Map<Long, Set<String>> reasons = new HashMap<>();
        Map<String, List<Row>> byKey = new HashMap<>();
        Map<String, List<Row>> byIdentity = new HashMap<>();
        for (Row r : rows.values()) {
            if (r.idempotencyKey() != null) {
                byKey.computeIfAbsent(r.idempotencyKey(), k -> new ArrayList<>()).add(r);
            }
            if (r.startedAt() != null) {
                byIdentity.computeIfAbsent(String.join("\u0000", r.owner(), r.repo(), String.valueOf(r.environment()),
                        r.commitSha(), String.valueOf(r.rollback())), k -> new ArrayList<>()).add(r);
            }
        }
        byKey.forEach((key, list) -> {
            for (int i = 1; i < list.size(); i++) {
                union(parent, list.get(0).id(), list.get(i).id());
            }
            if (list.size() > 1) {
                list.forEach(r -> reasons.computeIfAbsent(r.id(), k -> new TreeSet<>()).add("the same idempotency key '" + key + "'"));
            }
        });
        for (List<Row> list : byIdentity.values()) {
            list.sort(Comparator.comparing(Row::startedAt).thenComparing(Row::id));
            for (int i = 0; i < list.size(); i++) {
                for (int j = i + 1; j < list.size(); j++) {
                    Row a = list.get(i);
                    Row b = list.get(j);
                    if (Duration.between(a.startedAt(), b.startedAt()).compareTo(DUPLICATE_WINDOW) > 0) {
                        break;
                    }
                    boolean redeploy = a.completedAt() != null && !a.completedAt().isAfter(b.startedAt());
                    boolean otherAttempt = a.idempotencyKey() != null && b.idempotencyKey() != null
                            && !a.idempotencyKey().equals(b.idempotencyKey());
                    if (!redeploy && !otherAttempt) {
                        union(parent, a.id(), b.id());
                        String why = "the same project, environment, commit and rollback flag, started within 2 minutes";
                        reasons.computeIfAbsent(a.id(), k -> new TreeSet<>()).add(why);
                        reasons.computeIfAbsent(b.id(), k -> new TreeSet<>()).add(why);
                    }
                }
            }
        }
        Map<Long, List<Long>> groups = new TreeMap<>();
        for (Long id : parent.keySet()) {
            groups.computeIfAbsent(find(parent, id), k -> new ArrayList<>()).add(id);
        }
        for (List<Long> g : groups.values()) {
            if (g.size() < 2) {
                continue;
            }
            g.sort(Long::compare);
            Set<String> why = new TreeSet<>();
            g.forEach(id -> why.addAll(reasons.getOrDefault(id, Set.of())));
            String reason = String.join("; ", why);
            duplicateGroups.add(List.copyOf(g));
            duplicateReasons.put(List.copyOf(g), reason);
            problems.add(new Problem("duplicate", List.copyOf(g), rows.get(g.get(0)).label() + " is recorded "
                    + g.size() + " times (" + reason + ")"));
        }
    }

    private static void union(Map<Long, Long> parent, long a, long b) {
        long ra = find(parent, a);
        long rb = find(parent, b);
        if (ra != rb) {
            parent.put(Math.max(ra, rb), Math.min(ra, rb));
        }
    }

    private static long find(Map<Long, Long> parent, long x) {
        parent.putIfAbsent(x, x);
        long r = x;
        while (parent.get(r) != r) {
            r = parent.get(r);
        }
        parent.put(x, r);
        return r;
    }
}
