package io.deploytrack.jdbc.internal;

import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.jdbc.AdoptionSettings;
import io.deploytrack.jdbc.StatusWords;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The host's meaning of its {@code deployment_histories} columns, as SQL: its words in {@code status} (deploytrack's
 * precise status then kept in {@value AdoptionSettings#PRECISE_STATUS_COLUMN}), its per-stage status and duration
 * columns, its stage names in {@code error_stage}, its rollback link's column. On deploytrack's own tables (nothing
 * set) every fragment is the plain column, so the statements are the same text as ever. Not public API.
 *
 * <p>Reading: the precise status of a row is {@code COALESCE(deploytrack_status, <the host word in reverse>)}, so a
 * row only the host wrote reads through the map in reverse. "Running" is {@code status = <host word for running>}:
 * that word belongs to running alone ({@link StatusWords} refuses a map that shares it), so the test is exact and the
 * partial indexes on {@code status} keep serving it.
 */
public final class HostMeaning {
    private static final String PRECISE = AdoptionSettings.PRECISE_STATUS_COLUMN;

    /** A check's state, as a stage column shows it. */
    public record StageState(String check, DeploymentStatus status, Instant startedAt, Instant completedAt) {
        /** The state of a stored check. */
        public static StageState of(DeploymentCheck ch) {
            return new StageState(ch.name(), ch.status(), ch.startedAt(), ch.completedAt());
        }
    }

    private final AdoptionSettings settings;
    private final boolean precise;

    private HostMeaning(AdoptionSettings settings) {
        this.settings = settings;
        this.precise = !settings.statusWords().isEmpty();
    }

    /** The meaning these settings give the table. */
    public static HostMeaning of(AdoptionSettings settings) {
        return new HostMeaning(settings);
    }

    /** Whether the host's {@code status} has words of its own, so deploytrack keeps its precise status beside it. */
    public boolean keepsPreciseStatus() {
        return precise;
    }

    /** Whether an update writes nothing but deploytrack's own columns (so the grouped multi-row writes may do it). */
    public boolean isPlain() {
        return !precise && settings.checkColumns().isEmpty() && settings.stageNames().isEmpty();
    }

    /** The precise status of the row as an SQL expression; {@code q} qualifies the columns ({@code ""} or {@code "h."}). */
    public String status(String q) {
        if (!precise) {
            return q + "status";
        }
        List<String> reversed = hostWords();
        if (reversed.isEmpty()) {
            // every host word reads as itself (failed stays failed): no CASE, which SQL requires a WHEN for
            return "COALESCE(" + q + PRECISE + ", " + q + "status)";
        }
        StringBuilder s = new StringBuilder("COALESCE(").append(q).append(PRECISE).append(", CASE ").append(q).append("status");
        StatusWords w = settings.statusWords();
        for (String host : reversed) {
            s.append(" WHEN '").append(host).append("' THEN '").append(w.precise(host)).append('\'');
        }
        return s.append(" ELSE ").append(q).append("status END)").toString();
    }

    /** What a read selects for the status: the precise one, named {@code status}. */
    public String selectStatus(String q) {
        return precise ? status(q) + " AS status" : q + "status";
    }

    /** The SQL test "the row's precise status is {@code s}". */
    public String is(String q, DeploymentStatus s) {
        if (s == DeploymentStatus.RUNNING || !precise) {
            return q + "status = '" + hostWord(s) + "'";
        }
        return status(q) + " = '" + s.word() + "'";
    }

    /** The SQL test "the row's precise status is not {@code s}". */
    public String isNot(String q, DeploymentStatus s) {
        return s == DeploymentStatus.RUNNING || !precise ? q + "status <> '" + hostWord(s) + "'"
                : status(q) + " <> '" + s.word() + "'";
    }

    /** The host's word for a status in its {@code status} column. */
    public String hostWord(DeploymentStatus s) {
        return settings.statusWords().hostWord(s);
    }

    /** The columns an insert names for the status ({@code status}, and the precise one when kept). */
    public String insertStatusColumns() {
        return precise ? "status, " + PRECISE : "status";
    }

    /** The values of {@link #insertStatusColumns} for a new, running row. */
    public String insertRunningValues() {
        return precise ? "'" + hostWord(DeploymentStatus.RUNNING) + "', 'running'" : "'running'";
    }

    /** The assignments of a new status: {@code status = ?} and, when kept, the precise column; bind with {@link #bindStatus}. */
    public List<String> statusAssignments() {
        return precise ? List.of("status = ?", PRECISE + " = ?") : List.of("status = ?");
    }

    /** Binds the values of {@link #statusAssignments} from {@code index}; returns the next index. */
    public int bindStatus(PreparedStatement ps, int index, DeploymentStatus s) throws SQLException {
        ps.setString(index++, hostWord(s));
        if (precise) {
            ps.setString(index++, s.word());
        }
        return index;
    }

    /**
     * The assignments of status {@code s} as SQL literals: {@code status = 'running'} on plain tables, else
     * {@code status = 'failed', deploytrack_status = 'timed_out'} (the words are checked: no quote in them).
     */
    public String setStatus(DeploymentStatus s) {
        return "status = '" + hostWord(s) + "'" + (precise ? ", " + PRECISE + " = '" + s.word() + "'" : "");
    }

    /** The column that keeps the rollback link. */
    public String rollbackColumn() {
        return settings.rollbackOfColumnOrDefault();
    }

    /** What a read selects for the rollback link: its column, named {@code rollback_of}. */
    public String selectRollback(String q) {
        String col = rollbackColumn();
        return col.equals(AdoptionSettings.ROLLBACK_OF) ? q + col : q + col + " AS " + AdoptionSettings.ROLLBACK_OF;
    }

    /** A check's name as the host calls the stage, for {@code error_stage}. */
    public String stageName(String check) {
        return check == null ? null : settings.stageNames().getOrDefault(check, check);
    }

    /** The check's name a stored stage name stands for (the stage names in reverse), for reads. */
    public String checkName(String stage) {
        if (stage == null || settings.stageNames().isEmpty()) {
            return stage;
        }
        for (Map.Entry<String, String> e : settings.stageNames().entrySet()) {
            if (e.getValue().equals(stage)) {
                return e.getKey();
            }
        }
        return stage;
    }

    /**
     * The stage columns the checks' states write: column to value (the status in the column's words, a duration in
     * whole seconds, null while the check runs), in the order of the checks.
     */
    public Map<String, Object> stageValues(Collection<StageState> checks) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (settings.checkColumns().isEmpty()) {
            return out;
        }
        for (StageState ch : checks) {
            String statusColumn = settings.checkColumns().get(ch.check() + ".status");
            if (statusColumn != null && ch.status() != null) {
                out.put(statusColumn, settings.statusWordsOf(statusColumn).hostWord(ch.status()));
            }
            String durationColumn = settings.checkColumns().get(ch.check() + ".duration");
            if (durationColumn != null) {
                out.put(durationColumn, ch.startedAt() == null || ch.completedAt() == null ? null
                        : Math.max(0, Math.round(Duration.between(ch.startedAt(), ch.completedAt()).toMillis() / 1000.0)));
            }
        }
        return out;
    }

    /** {@link #stageValues} of stored checks. */
    public Map<String, Object> stageValuesOf(Collection<DeploymentCheck> checks) {
        List<StageState> states = new ArrayList<>(checks.size());
        checks.forEach(ch -> states.add(StageState.of(ch)));
        return stageValues(states);
    }

    /** Binds a stage column's value (text, whole seconds, or null). */
    public static void bindValue(PreparedStatement ps, int index, Object value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else if (value instanceof Long l) {
            ps.setLong(index, l);
        } else {
            ps.setString(index, value.toString());
        }
    }

    /**
     * Writes the host's meaning of one row, inside the caller's transaction, after deploytrack set its status, stage
     * and checks by its own words (e.g. {@code repair}): the host's word in {@code status} and the precise one beside
     * it, the error stage in the host's stage names, and the stage columns of {@code stages}. Does nothing on a table
     * with no such setting.
     *
     * @param errorStage the name of the check that failed (deploytrack's), or null to leave {@code error_stage}
     * @return the rows changed (0 when nothing was to be written or the row is gone)
     */
    public int writeRow(Connection c, long id, DeploymentStatus status, String errorStage,
                        Collection<StageState> stages) throws SQLException {
        List<String> sets = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        if (status != null && precise) {
            sets.add("status = ?");
            values.add(hostWord(status));
            sets.add(PRECISE + " = ?");
            values.add(status.word());
        }
        if (errorStage != null && !settings.stageNames().isEmpty()) {
            sets.add("error_stage = ?");
            values.add(stageName(errorStage));
        }
        stageValues(stages).forEach((col, v) -> {
            sets.add(col + " = ?");
            values.add(v);
        });
        if (sets.isEmpty()) {
            return 0;
        }
        return SqlRunner.update(c, "UPDATE deployment_histories SET " + String.join(", ", sets)
                + " WHERE id = ?", ps -> {
                    int i = 1;
                    for (Object v : values) {
                        bindValue(ps, i++, v);
                    }
                    ps.setLong(i, id);
                });
    }

    /** The host words that read as another status (e.g. {@code started} for running), each once. */
    private List<String> hostWords() {
        List<String> out = new ArrayList<>();
        for (DeploymentStatus s : DeploymentStatus.values()) {
            String w = hostWord(s);
            if (!out.contains(w) && !w.equals(settings.statusWords().precise(w))) {
                out.add(w);
            }
        }
        return out;
    }
}
