package io.deploytrack.jdbc;

import io.deploytrack.core.CheckRef;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.jdbc.internal.DiagnosisTables;
import io.deploytrack.jdbc.internal.Dialect;
import io.deploytrack.jdbc.internal.DuplicateFinder;
import io.deploytrack.jdbc.internal.HostTimes;
import io.deploytrack.jdbc.internal.LegacyAdoption;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What {@link StoreMaintenance#diagnose()} found, read straight from the tables (so that it covers rows the store's
 * API would refuse: unknown status words, unreadable times, rows a host's own code wrote). Fixed once read: every
 * accessor returns an unmodifiable view.
 */
public final class Diagnosis {
    /** Rows of one project, environment, commit and rollback flag started this close together are duplicates. */
    public static final Duration DUPLICATE_WINDOW = Duration.ofMinutes(2);
    /** The deadline of a running row with no check that says otherwise: the tracker's default timeout. */
    public static final Duration DEFAULT_DEADLINE = Duration.ofMinutes(5);
    /** The status words deploytrack knows. */
    public static final Set<String> STATUSES = Set.of("running", "success", "failed", "cancelled", "timed_out");

    /**
     * One row of {@code deployment_histories} as stored.
     *
     * @param attributes its attributes, with those kept in mapped host columns
     */
    public record Row(long id, String owner, String repo, String environment, String commitSha, boolean rollback,
                      Long rollbackOf, String idempotencyKey, String status, Instant startedAt, Instant deployedAt,
                      Instant completedAt, Long totalDuration, String leaseOwner, Instant leaseUntil,
                      Map<String, String> attributes) {

        /** Copies the attributes. */
        public Row {
            attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        }

        /** {@code owner/repo@sha7 (environment[, rollback])}. */
        public String label() {
            return owner + "/" + repo + "@" + (commitSha != null && commitSha.length() > 7 ? commitSha.substring(0, 7)
                    : commitSha) + " (" + environment + (rollback ? ", rollback" : "") + ")";
        }

        /** The stored status, lower case and trimmed. */
        public String normalStatus() {
            return status == null ? "" : status.strip().toLowerCase(Locale.ROOT);
        }

        /** Whether its lease is held by an instance at {@code now}. */
        public boolean leaseLive(Instant now) {
            return leaseOwner != null && leaseUntil != null && leaseUntil.isAfter(now);
        }
    }

    /** One row of {@code deployment_checks} as stored. */
    public record Check(long id, long deploymentId, int position, String name, String sourceType, String sourceRef,
                        String status, Instant startedAt, Instant completedAt, Instant deadlineAt, String lastSourceStatus) {

        /** Its reference, for its source. */
        public CheckRef ref() {
            return CheckRef.decode(sourceType, sourceRef);
        }
    }

    /**
     * A time and where it came from.
     *
     * @param at     the time
     * @param source where it came from, for people
     */
    public record Evidence(Instant at, String source) {
    }

    /**
     * Rows that record one deployment.
     *
     * @param ids    the rows, by id
     * @param reason why they are one deployment
     */
    public record DuplicateGroup(List<Long> ids, String reason) {
        /** Copies the ids. */
        public DuplicateGroup {
            ids = List.copyOf(ids);
        }
    }

    /**
     * A unique index that existing rows keep from being created.
     *
     * @param name   the index
     * @param reason the database's refusal
     */
    public record PendingIndex(String name, String reason) {
    }

    /**
     * A time that is UTC in a table of naive local times: off from its row's start by exactly the zone's offset
     * (a host's {@code datetime.utcnow()} beside its {@code datetime.now()}).
     *
     * @param id     the row
     * @param column {@code completed_at} or {@code deployed_at}
     * @param stored the value read in the table's zone, as every other time of the table
     * @param utc    the same value read as UTC: the time it stands for
     * @param offset the zone's offset at that time
     * @param zone   the table's zone
     */
    public record MixedClock(long id, String column, Instant stored, Instant utc, ZoneOffset offset, ZoneId zone) {

        /** For people: what it reads as, why it is UTC, and the duration it implies. */
        public String explain(Instant startedAt) {
            Duration asStored = Duration.between(startedAt, stored);
            return column + " reads " + Texts.duration(asStored.abs()) + (asStored.isNegative() ? " before" : " after")
                    + " its start: exactly the " + offset.getId() + " offset of " + zone.getId() + " off, a UTC time "
                    + "(e.g. datetime.utcnow()) in a table of local times; read as UTC it is " + Texts.time(utc)
                    + ", a duration of " + Texts.duration(Duration.between(startedAt, utc));
        }
    }

    /**
     * A host stage status column that still says its stage runs on a row that ended.
     *
     * @param id     the row
     * @param check  the check the column keeps ({@code --map check:NAME.status=COLUMN})
     * @param column the host's column
     * @param stored what it says, in the host's words ({@code started})
     * @param word   the host's word for how the stage ended: with its row
     * @param ended  the row's status, deploytrack's precise one
     */
    public record StageLeftRunning(long id, String check, String column, String stored, String word,
                                   DeploymentStatus ended) {
    }

    private final Instant now;
    private final Map<Long, List<MixedClock>> mixed = new HashMap<>();
    private final Map<Long, Map<String, String>> stageColumns = new HashMap<>();
    private final Map<Long, List<StageLeftRunning>> stagesLeftRunning = new HashMap<>();
    private AdoptionSettings settings = AdoptionSettings.none();
    private ZoneId naiveZone;
    private final Map<Long, Row> rows = new LinkedHashMap<>();
    private final Map<Long, List<Check>> checks = new HashMap<>();
    private final Map<Long, Integer> eventCounts = new HashMap<>();
    private final Map<Long, Instant> successEvents = new HashMap<>();
    private Set<Long> endedByPush = Set.of();
    private final List<PendingIndex> pending = new ArrayList<>();
    private final List<DuplicateGroup> duplicateGroups = new ArrayList<>();
    private final List<Long> stale = new ArrayList<>();
    private final List<Problem> problems = new ArrayList<>();
    private final Map<Long, List<String>> unreadable = new TreeMap<>();

    private Diagnosis(Instant now) {
        this.now = now;
    }

    /** Reads the tables (in the caller's transaction) and finds every problem. */
    static Diagnosis read(Connection c, Dialect dialect, AdoptionSettings settings, HostTimes times, Instant now)
            throws SQLException {
        Diagnosis d = new Diagnosis(now);
        d.naiveZone = times.isPlain() ? null : times.zone();
        d.settings = settings;
        DiagnosisTables t = DiagnosisTables.read(c, dialect, settings, StageColumns.statusColumns(settings), times);
        for (LegacyAdoption.PendingConstraint p : t.pending()) {
            d.pending.add(new PendingIndex(p.name(), p.reason()));
        }
        d.rows.putAll(t.rows());
        d.checks.putAll(t.checks());
        d.eventCounts.putAll(t.eventCounts());
        d.successEvents.putAll(t.successEvents());
        d.endedByPush = Set.copyOf(t.endedByPush());
        d.stageColumns.putAll(t.stageColumns());
        d.unreadable.putAll(t.unreadable());
        d.analyse();
        return d;
    }

    /** When it was diagnosed. */
    public Instant now() {
        return now;
    }

    /** Every row, by id. */
    public Map<Long, Row> rows() {
        return Collections.unmodifiableMap(rows);
    }

    /** The checks of a row, in their order. */
    public List<Check> checks(long id) {
        return Collections.unmodifiableList(checks.getOrDefault(id, List.of()));
    }

    /** How many events a row has. */
    public int eventCount(long id) {
        return eventCounts.getOrDefault(id, 0);
    }

    /** The groups of rows that record one deployment. */
    public List<DuplicateGroup> duplicateGroups() {
        return Collections.unmodifiableList(duplicateGroups);
    }

    /** The running rows past their deadline with no live lease. */
    public List<Long> stale() {
        return Collections.unmodifiableList(stale);
    }

    /** The unique indexes still pending. */
    public List<PendingIndex> pending() {
        return Collections.unmodifiableList(pending);
    }

    /** Every problem, duplicates first. */
    public List<Problem> problems() {
        return Collections.unmodifiableList(problems);
    }

    /** Whether no problem was found. */
    public boolean healthy() {
        return problems.isEmpty();
    }

    /** The host stage columns of an ended row that still say the stage runs (none in most rows). */
    public List<StageLeftRunning> stagesLeftRunning(long id) {
        return stagesLeftRunning.getOrDefault(id, List.of());
    }

    /** The times of a row that are UTC in a local-time table (none in most rows). */
    public List<MixedClock> mixedClocks(long id) {
        return Collections.unmodifiableList(mixed.getOrDefault(id, List.of()));
    }

    /** The row's value of {@code column} that is UTC in a local-time table, if it is one. */
    public java.util.Optional<MixedClock> mixedClock(long id, String column) {
        return mixed.getOrDefault(id, List.of()).stream().filter(m -> m.column().equals(column)).findFirst();
    }

    /**
     * When a row completed, as far as its times can be trusted: its {@code completed_at}, or that value read as UTC
     * when it is a {@link MixedClock}; null when it has none or it is before its start with nothing to explain it.
     */
    public Instant trustedCompletion(Row r) {
        var m = mixedClock(r.id(), "completed_at");
        if (m.isPresent()) {
            return m.get().utc();
        }
        return DuplicateFinder.possibleCompletion(r);
    }

    /** Whether the row's completion is before its start and no zone offset explains it. */
    public boolean completionImpossible(Row r) {
        return r.completedAt() != null && trustedCompletion(r) == null;
    }

    /** The deadline of a running row: its running checks' latest deadline, else started + 5 minutes. */
    public Instant deadline(Row r) {
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
    public Evidence deployedEvidence(Row r) {
        Instant completed = trustedCompletion(r);
        if (completed != null) {
            return new Evidence(completed, mixedClock(r.id(), "completed_at").isPresent()
                    ? "its completed_at, read as UTC" : "its completed_at");
        }
        Instant fromChecks = checksCompleted(r);
        if (fromChecks != null) {
            return new Evidence(fromChecks, "the completion of its last check");
        }
        Instant ev = successEvents.get(r.id());
        return ev == null ? null : new Evidence(ev, "its 'completed' event");
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

    // ---------------------------------------------------------------- analysis

    private void analyse() {
        for (Row r : rows.values()) {
            List<MixedClock> m = MixedClocks.of(r, naiveZone);
            if (!m.isEmpty()) {
                mixed.put(r.id(), m);
            }
        }
        for (DuplicateGroup g : DuplicateFinder.find(rows)) {
            duplicateGroups.add(g);
            problems.add(new Problem(Problem.Kind.DUPLICATE, g.ids(), rows.get(g.ids().get(0)).label() + " is recorded "
                    + g.ids().size() + " times (" + g.reason() + ")"));
        }
        for (Row r : rows.values()) {
            String st = r.normalStatus();
            if (!STATUSES.contains(r.status())) {
                problems.add(new Problem(Problem.Kind.UNKNOWN_STATUS, List.of(r.id()), r.label() + " has status '"
                        + r.status() + "': expected one of running, success, failed, cancelled, timed_out"
                        + (STATUSES.contains(st) ? " (written differently: '" + st + "')" : "")));
                if (!STATUSES.contains(st)) {
                    continue;
                }
            }
            if (st.equals("running")) {
                Instant deadline = deadline(r);
                if ((deadline == null || deadline.isBefore(now)) && !r.leaseLive(now)) {
                    stale.add(r.id());
                    problems.add(new Problem(Problem.Kind.STALE_RUNNING, List.of(r.id()), r.label()
                            + " is running past its deadline " + (deadline == null ? "(no start time)"
                            : Texts.time(deadline)) + " with no live lease" + (r.leaseOwner() == null ? ""
                            : " (the lease of " + r.leaseOwner() + " expired " + Texts.time(r.leaseUntil()) + ")")));
                }
            }
            List<StageLeftRunning> left = StageColumns.leftRunning(r, stageColumns.getOrDefault(r.id(), Map.of()), settings);
            if (!left.isEmpty()) {
                stagesLeftRunning.put(r.id(), left);
                for (StageLeftRunning l : left) {
                    problems.add(new Problem(Problem.Kind.STAGE_LEFT_RUNNING, List.of(r.id()), r.label() + " ended "
                            + st + " but its stage column " + l.column() + " still says '" + l.stored() + "'"));
                }
            }
            if (st.equals("success") && r.deployedAt() == null) {
                problems.add(new Problem(Problem.Kind.SUCCESS_MISSING_DEPLOYED_AT, List.of(r.id()), r.label()
                        + " succeeded but has no deployed_at"));
            }
            if (st.equals("success") && r.totalDuration() == null) {
                problems.add(new Problem(Problem.Kind.SUCCESS_MISSING_TOTAL_DURATION, List.of(r.id()), r.label()
                        + " succeeded but has no total_duration"));
            }
            for (MixedClock m : mixed.getOrDefault(r.id(), List.of())) {
                problems.add(new Problem(Problem.Kind.MIXED_CLOCK, List.of(r.id()), r.label() + ": "
                        + m.explain(r.startedAt())));
            }
            if (completionImpossible(r)) {
                problems.add(new Problem(Problem.Kind.COMPLETED_BEFORE_START, List.of(r.id()), r.label() + " completed "
                        + Texts.time(r.completedAt()) + ", " + Texts.duration(Duration.between(r.completedAt(), r.startedAt()))
                        + " before it started " + Texts.time(r.startedAt()) + ", and no zone offset explains it"));
            }
            if (r.deployedAt() != null && r.startedAt() != null && r.deployedAt().isBefore(r.startedAt())
                    && mixedClock(r.id(), "deployed_at").isEmpty()) {
                problems.add(new Problem(Problem.Kind.COMPLETED_BEFORE_START, List.of(r.id()), r.label() + " went live "
                        + Texts.time(r.deployedAt()) + " (deployed_at), before it started " + Texts.time(r.startedAt())
                        + ", and no zone offset explains it"));
            }
            Instant completed = trustedCompletion(r);
            if (r.totalDuration() != null && r.startedAt() != null && completed != null) {
                long actual = Math.round(Duration.between(r.startedAt(), completed).toMillis() / 1000.0);
                if (Math.abs(actual - r.totalDuration()) > MixedClocks.TOLERANCE_SECONDS) {
                    problems.add(new Problem(Problem.Kind.DURATION_MISMATCH, List.of(r.id()), r.label()
                            + " has total_duration " + r.totalDuration() + " s but its times say " + actual + " s"
                            + (completed.equals(r.completedAt()) ? "" : " (completed_at read as UTC)")));
                }
            }
        }
        problems.addAll(CheckTimes.endedBeforeStart(rows, checks, endedByPush));
        unreadable.forEach((id, cols) -> problems.add(new Problem(Problem.Kind.UNREADABLE_TIME, List.of(id),
                "row " + id + " has times that are not times: " + String.join(", ", cols))));
        for (PendingIndex p : pending) {
            problems.add(new Problem(Problem.Kind.PENDING_CONSTRAINT, List.of(), "unique index " + p.name()
                    + " is not enforced yet (existing rows break it: " + Texts.cut(p.reason(), 160) + ")"));
        }
        problems.sort(Comparator.comparing(Problem::kind).thenComparing(p -> p.ids().isEmpty() ? 0 : p.ids().get(0)));
    }
}
