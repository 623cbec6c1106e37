package io.deploytrack.jdbc;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * How deploytrack reads and writes a host's own {@code deployment_histories} table: the zone of its naive timestamps,
 * the host columns that hold deploytrack's fields, values for host columns deploytrack knows nothing about, and the
 * host's meaning: its status words, its per-stage columns and stage names. Recorded in the database
 * ({@code deploytrack_settings}, by {@code deploytrack adopt --apply} or
 * {@link JdbcHistoryStore.Builder#recordAdoptionSettings()}), so every later store opened on it uses them.
 *
 * <p>A setting given to a {@link JdbcHistoryStore.Builder} overrides the stored one of the same name only; the
 * others stay as stored. No setting may name a column deploytrack owns or reads (its id, status, times, leases...),
 * nor a column another setting already uses: such a setting is refused, naming the column and why.
 *
 * @param zone              the zone of naive timestamps (the host writes local time without an offset); null when
 *                          not set: UTC, and ISO-8601 text in tables deploytrack made
 * @param environmentColumn the host column holding the environment, e.g. {@code namespace}; null when not set
 *                          (deploytrack's own {@code environment} column)
 * @param attributeColumns  request attribute to host column, e.g. {@code ncp_history_id -> deploy_id}: written on
 *                          insert, read back as attributes
 * @param columnDefaults    host column to the value written on rows deploytrack inserts, e.g.
 *                          {@code user_id -> deploytrack}; an attribute of the same name in the request wins
 * @param statusWords       the host's words in its {@code status} column ({@code cancelled -> failed}); when any
 *                          differs, deploytrack keeps its precise status in {@value #PRECISE_STATUS_COLUMN}
 * @param columnStatusWords a stage status column to its words ({@code sourcedeploy_status -> running=started}), over
 *                          {@code statusWords}
 * @param checkColumns      {@code NAME.status} or {@code NAME.duration} to the host column that keeps that check's
 *                          status (in the column's words) or duration (whole seconds)
 * @param stageNames        a check's name to the host's name of the stage, written where deploytrack writes a stage
 *                          ({@code error_stage}), e.g. {@code ncp -> sourcedeploy}
 * @param rollbackOfColumn  the host column that keeps the rollback link (e.g. {@code rollback_from_id}); null:
 *                          deploytrack's own {@code rollback_of}
 */
public record AdoptionSettings(ZoneId zone, String environmentColumn, Map<String, String> attributeColumns,
                               Map<String, String> columnDefaults, StatusWords statusWords,
                               Map<String, StatusWords> columnStatusWords, Map<String, String> checkColumns,
                               Map<String, String> stageNames, String rollbackOfColumn) {

    /** The field name of {@link #environmentColumn} in {@code --map FIELD=COLUMN}. */
    public static final String ENVIRONMENT = "environment";
    /** The prefix of an attribute field in {@code --map attribute:NAME=COLUMN}. */
    public static final String ATTRIBUTE_PREFIX = "attribute:";
    /** The prefix of a check's field in {@code --map check:NAME.status=COLUMN} or {@code check:NAME.duration=COLUMN}. */
    public static final String CHECK_PREFIX = "check:";
    /** The field name of {@link #rollbackOfColumn} in {@code --map rollback_of=COLUMN}. */
    public static final String ROLLBACK_OF = "rollback_of";
    /** The column deploytrack adds to keep its precise status when the host's {@code status} has other words. */
    public static final String PRECISE_STATUS_COLUMN = "deploytrack_status";

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    private static final Pattern CHECK_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern CHECK_FIELD = Pattern.compile("([A-Za-z0-9_-]{1,64})\\.(status|duration)");
    /** The columns deploytrack owns or reads in every table, and why; a setting naming one is refused. */
    private static final Map<String, String> OWNED = owned();

    /** Validates the names, copies the maps (in their order) and refuses a column used twice or owned. */
    public AdoptionSettings {
        if (environmentColumn != null) {
            environmentColumn = column(environmentColumn, "the environment column");
        }
        if (rollbackOfColumn != null) {
            rollbackOfColumn = column(rollbackOfColumn, "the rollback link's column");
        }
        attributeColumns = copy(attributeColumns, (k, v) -> { }, "attribute", false);
        columnDefaults = copy(columnDefaults, (k, v) -> { }, "default", true);
        checkColumns = copy(checkColumns, (k, v) -> {
            if (!CHECK_FIELD.matcher(k).matches()) {
                throw new IllegalArgumentException("'check:" + k + "' is not a check's field: expected check:NAME.status "
                        + "or check:NAME.duration (e.g. check:ncp.status=sourcedeploy_status)");
            }
        }, "check column", false);
        stageNames = copy(stageNames, (k, v) -> {
            if (!CHECK_NAME.matcher(k).matches() || v.isBlank() || v.length() > 64 || v.contains("'")) {
                throw new IllegalArgumentException("--stage-name " + k + "=" + v + " is not usable: expected "
                        + "CHECK=HOSTSTAGE, e.g. ncp=sourcedeploy");
            }
        }, "stage name", false);
        statusWords = statusWords == null ? StatusWords.none() : statusWords;
        Map<String, StatusWords> words = new LinkedHashMap<>();
        if (columnStatusWords != null) {
            columnStatusWords.forEach((k, v) -> words.put(column(k, "a status map's column"), Objects.requireNonNull(v)));
        }
        columnStatusWords = Collections.unmodifiableMap(words);
        requireOwnColumns(environmentColumn, attributeColumns, columnDefaults, checkColumns, rollbackOfColumn);
    }

    /** The settings of the first adoption (zone, mappings, defaults), without the host's meaning. */
    public AdoptionSettings(ZoneId zone, String environmentColumn, Map<String, String> attributeColumns,
                            Map<String, String> columnDefaults) {
        this(zone, environmentColumn, attributeColumns, columnDefaults, StatusWords.none(), Map.of(), Map.of(), Map.of(),
                null);
    }

    /** Nothing set: deploytrack's own columns, ISO-8601 times in UTC. */
    public static AdoptionSettings none() {
        return new AdoptionSettings(null, null, Map.of(), Map.of());
    }

    /** Whether nothing is set. */
    public boolean isEmpty() {
        return zone == null && environmentColumn == null && attributeColumns.isEmpty() && columnDefaults.isEmpty()
                && statusWords.hostWords().isEmpty() && columnStatusWords.isEmpty() && checkColumns.isEmpty()
                && stageNames.isEmpty() && rollbackOfColumn == null;
    }

    /** The column that holds the environment: the mapped one, else {@code environment}. */
    public String environmentColumnOrDefault() {
        return environmentColumn == null ? ENVIRONMENT : environmentColumn;
    }

    /** The column that keeps the rollback link: the mapped one, else {@code rollback_of}. */
    public String rollbackOfColumnOrDefault() {
        return rollbackOfColumn == null ? ROLLBACK_OF : rollbackOfColumn;
    }

    /** The words of a stage status column: its own map over {@link #statusWords}. */
    public StatusWords statusWordsOf(String column) {
        StatusWords own = columnStatusWords.get(column);
        return own == null ? statusWords : statusWords.overriddenBy(own);
    }

    /** A copy with this zone. */
    public AdoptionSettings withZone(ZoneId zone) {
        return new AdoptionSettings(Objects.requireNonNull(zone, "zone"), environmentColumn, attributeColumns,
                columnDefaults, statusWords, columnStatusWords, checkColumns, stageNames, rollbackOfColumn);
    }

    /**
     * A copy with one field mapped to a host column: {@code environment}, {@code attribute:NAME},
     * {@code check:NAME.status}, {@code check:NAME.duration} or {@code rollback_of}.
     *
     * @throws IllegalArgumentException naming the field or column and what is expected
     */
    public AdoptionSettings withMapping(String field, String column) {
        Objects.requireNonNull(field, "field");
        String col = column(column, "the column of " + field);
        if (field.equals(ENVIRONMENT)) {
            return new AdoptionSettings(zone, col, attributeColumns, columnDefaults, statusWords, columnStatusWords,
                    checkColumns, stageNames, rollbackOfColumn);
        }
        if (field.equals(ROLLBACK_OF)) {
            return new AdoptionSettings(zone, environmentColumn, attributeColumns, columnDefaults, statusWords,
                    columnStatusWords, checkColumns, stageNames, col);
        }
        if (field.startsWith(ATTRIBUTE_PREFIX) && field.length() > ATTRIBUTE_PREFIX.length()) {
            return new AdoptionSettings(zone, environmentColumn, put(attributeColumns,
                    field.substring(ATTRIBUTE_PREFIX.length()), col), columnDefaults, statusWords, columnStatusWords,
                    checkColumns, stageNames, rollbackOfColumn);
        }
        if (field.startsWith(CHECK_PREFIX)) {
            return new AdoptionSettings(zone, environmentColumn, attributeColumns, columnDefaults, statusWords,
                    columnStatusWords, put(checkColumns, field.substring(CHECK_PREFIX.length()), col), stageNames,
                    rollbackOfColumn);
        }
        throw new IllegalArgumentException("'" + field + "' is not a field that can be mapped: expected 'environment', "
                + "'attribute:NAME' (e.g. attribute:ncp_history_id=deploy_id), 'check:NAME.status', "
                + "'check:NAME.duration' or 'rollback_of'");
    }

    /** A copy with a value for a host column on rows deploytrack inserts. */
    public AdoptionSettings withDefault(String column, String value) {
        return new AdoptionSettings(zone, environmentColumn, attributeColumns,
                put(columnDefaults, column(column, "a default's column"), Objects.requireNonNull(value, "value")),
                statusWords, columnStatusWords, checkColumns, stageNames, rollbackOfColumn);
    }

    /**
     * A copy with one host word: {@code WORD} (a deploytrack status, e.g. {@code cancelled}) for the {@code status}
     * column, or {@code COLUMN:WORD} for a stage status column mapped with {@code check:NAME.status}.
     *
     * @throws IllegalArgumentException naming the word, column or map that is not usable
     */
    public AdoptionSettings withStatusWord(String word, String hostWord) {
        Objects.requireNonNull(word, "word");
        int colon = word.indexOf(':');
        if (colon < 0) {
            return new AdoptionSettings(zone, environmentColumn, attributeColumns, columnDefaults,
                    statusWords.with(word, hostWord), columnStatusWords, checkColumns, stageNames, rollbackOfColumn);
        }
        String col = column(word.substring(0, colon), "the column of status map " + word);
        Map<String, StatusWords> m = new LinkedHashMap<>(columnStatusWords);
        m.put(col, m.getOrDefault(col, StatusWords.none()).with(word.substring(colon + 1), hostWord));
        // the column's words over the main ones must be usable too (running unambiguous)
        statusWords.overriddenBy(m.get(col));
        return new AdoptionSettings(zone, environmentColumn, attributeColumns, columnDefaults, statusWords, m,
                checkColumns, stageNames, rollbackOfColumn);
    }

    /** A copy where check {@code check} is called {@code hostStage} in the host's table. */
    public AdoptionSettings withStageName(String check, String hostStage) {
        return new AdoptionSettings(zone, environmentColumn, attributeColumns, columnDefaults, statusWords,
                columnStatusWords, checkColumns, put(stageNames, check == null ? "" : check.strip(),
                hostStage == null ? "" : hostStage.strip()), rollbackOfColumn);
    }

    /** These settings with every setting of {@code explicit} put over them (a setting at a time). */
    public AdoptionSettings overriddenBy(AdoptionSettings explicit) {
        Map<String, StatusWords> words = new LinkedHashMap<>(columnStatusWords);
        explicit.columnStatusWords.forEach((col, w) -> words.merge(col, w, StatusWords::overriddenBy));
        return new AdoptionSettings(explicit.zone != null ? explicit.zone : zone,
                explicit.environmentColumn != null ? explicit.environmentColumn : environmentColumn,
                merged(attributeColumns, explicit.attributeColumns), merged(columnDefaults, explicit.columnDefaults),
                statusWords.overriddenBy(explicit.statusWords), words, merged(checkColumns, explicit.checkColumns),
                merged(stageNames, explicit.stageNames),
                explicit.rollbackOfColumn != null ? explicit.rollbackOfColumn : rollbackOfColumn);
    }

    /**
     * Checks what only the whole settings can tell: a status map for a column names a stage status column mapped with
     * {@code check:NAME.status}.
     *
     * @throws IllegalArgumentException naming the column and what is expected
     */
    public AdoptionSettings requireComplete() {
        for (String col : columnStatusWords.keySet()) {
            statusWordsOf(col);
            boolean stage = checkColumns.entrySet().stream()
                    .anyMatch(e -> e.getKey().endsWith(".status") && e.getValue().equals(col));
            if (!stage) {
                throw new IllegalArgumentException("--status-map " + col + ":... names the column '" + col + "', which "
                        + "no check's status is mapped to: add --map check:NAME.status=" + col + ", or map the words "
                        + "of the status column without a column (--status-map WORD=HOSTWORD)");
            }
        }
        return this;
    }

    /** Parses a zone id, naming the bad value and what is expected. */
    public static ZoneId parseZone(String zone) {
        try {
            return ZoneId.of(zone.strip());
        } catch (DateTimeException | NullPointerException e) {
            throw new IllegalArgumentException("zone '" + zone + "' is not a time zone: expected a region such as "
                    + "Asia/Seoul or an offset such as +09:00");
        }
    }

    /** Refuses a column deploytrack owns, and a host column that two settings write. */
    private static void requireOwnColumns(String environmentColumn, Map<String, String> attributes,
                                          Map<String, String> defaults, Map<String, String> checks, String rollbackOf) {
        // deploytrack's own environment and rollback_of columns, unless the host's columns stand for them
        Map<String, String> owned = new LinkedHashMap<>(OWNED);
        if (environmentColumn == null) {
            owned.put(ENVIRONMENT, "it holds the environment; --map environment=COLUMN names another");
        }
        if (rollbackOf == null) {
            owned.put(ROLLBACK_OF, "it holds the rollback link; --map rollback_of=COLUMN names another");
        }
        Map<String, String> uses = new LinkedHashMap<>();
        if (environmentColumn != null) {
            uses.put(environmentColumn, "the environment's column");
        }
        if (rollbackOf != null) {
            requireNotOwned(rollbackOf, "the rollback link's column", OWNED);
            String other = uses.putIfAbsent(rollbackOf, "the rollback link's column");
            if (other != null) {
                throw twice(rollbackOf, other, "the rollback link's column");
            }
        }
        if (environmentColumn != null) {
            requireNotOwned(environmentColumn, "the environment's column", OWNED);
        }
        BiConsumer<String, String> use = (column, what) -> {
            requireNotOwned(column, what, owned);
            String other = uses.putIfAbsent(column, what);
            if (other != null) {
                throw twice(column, other, what);
            }
        };
        attributes.forEach((a, col) -> use.accept(col, "the column of attribute " + a));
        checks.forEach((f, col) -> use.accept(col, "the column of check:" + f));
        defaults.keySet().forEach(col -> use.accept(col, "a default's column"));
    }

    private static void requireNotOwned(String column, String what, Map<String, String> owned) {
        String why = owned.get(column);
        if (why != null) {
            throw new IllegalArgumentException("column '" + column + "' cannot be " + what + ": deploytrack owns it ("
                    + why + "); choose another column");
        }
    }

    private static IllegalArgumentException twice(String column, String first, String second) {
        return new IllegalArgumentException("column '" + column + "' is mapped twice (" + first + " and " + second
                + "); map each host column to one field");
    }

    private static Map<String, String> owned() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("id", "the row's id");
        for (String c : new String[] {"github_owner", "github_repo", "github_commit_sha", "is_rollback"}) {
            m.put(c, "it is part of the deployment's identity");
        }
        m.put("idempotency_key", "it keeps a deployment from being recorded twice");
        m.put("status", "it holds the deployment's status, in the host's words with --status-map");
        m.put(PRECISE_STATUS_COLUMN, "it holds deploytrack's precise status");
        for (String c : new String[] {"started_at", "deployed_at", "completed_at", "total_duration"}) {
            m.put(c, "deploytrack writes the deployment's times in it");
        }
        m.put("error_stage", "it holds the stage that failed, named with --stage-name");
        m.put("error_message", "it holds why the deployment failed");
        m.put("attributes", "it holds the request's attributes");
        m.put("created_at", "deploytrack stamps it");
        m.put("updated_at", "deploytrack stamps it");
        m.put("lease_owner", "it says which instance follows a running row");
        m.put("lease_until", "it says until when an instance follows a running row");
        m.put("completion_notified", "it says whether the end was announced");
        return Collections.unmodifiableMap(m);
    }

    private static String column(String column, String what) {
        if (column == null || !NAME.matcher(column.strip()).matches()) {
            throw new IllegalArgumentException(what + " '" + column + "' is not a column name: expected letters, "
                    + "digits and underscores, starting with a letter or underscore");
        }
        return column.strip().toLowerCase(Locale.ROOT);
    }

    /** Copies {@code m}: the keys stripped (columns when {@code keysAreColumns}), the values columns unless defaults. */
    private static Map<String, String> copy(Map<String, String> m, BiConsumer<String, String> check, String what,
                                            boolean keysAreColumns) {
        if (m == null || m.isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            if (k == null || k.isBlank() || v == null) {
                throw new IllegalArgumentException("a " + what + " needs a name and a value; got " + k + "=" + v);
            }
            String key = keysAreColumns ? column(k, "a default's column") : k.strip();
            String value = keysAreColumns || what.equals("stage name") ? v : column(v, "the column of " + what + " " + k);
            check.accept(key, value);
            out.put(key, what.equals("stage name") ? value.strip() : value);
        });
        return Collections.unmodifiableMap(out);
    }

    private static Map<String, String> put(Map<String, String> m, String key, String value) {
        Map<String, String> out = new LinkedHashMap<>(m);
        out.put(key, value);
        return out;
    }

    private static Map<String, String> merged(Map<String, String> base, Map<String, String> over) {
        Map<String, String> out = new LinkedHashMap<>(base);
        out.putAll(over);
        return out;
    }

    @Override
    public String toString() {
        return "AdoptionSettings[zone=" + (zone == null ? "UTC (not set)" : zone) + ", environment="
                + environmentColumnOrDefault() + ", attributes=" + attributeColumns + ", defaults=" + columnDefaults
                + ", statusWords={" + statusWords + "}, columnStatusWords=" + columnStatusWords + ", checkColumns="
                + checkColumns + ", stageNames=" + stageNames + ", rollbackOf=" + rollbackOfColumnOrDefault() + "]";
    }
}
