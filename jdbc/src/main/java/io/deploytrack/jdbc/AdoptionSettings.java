package io.deploytrack.jdbc;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How deploytrack reads and writes a host's own {@code deployment_histories} table: the zone of its naive timestamps,
 * the host columns that hold deploytrack's fields, and values for host columns deploytrack knows nothing about.
 * Recorded in the database ({@code deploytrack_settings}, by {@code deploytrack adopt --apply} or
 * {@link JdbcHistoryStore.Builder#recordAdoptionSettings()}), so every later store opened on it uses them.
 *
 * <p>A setting given to a {@link JdbcHistoryStore.Builder} overrides the stored one of the same name only; the
 * others stay as stored.
 *
 * @param zone              the zone of naive timestamps (the host writes local time without an offset); null when
 *                          not set: UTC, and ISO-8601 text in tables deploytrack made
 * @param environmentColumn the host column holding the environment, e.g. {@code namespace}; null when not set
 *                          (deploytrack's own {@code environment} column)
 * @param attributeColumns  request attribute to host column, e.g. {@code ncp_history_id -> deploy_id}: written on
 *                          insert, read back as attributes
 * @param columnDefaults    host column to the value written on rows deploytrack inserts, e.g.
 *                          {@code user_id -> deploytrack}; an attribute of the same name in the request wins
 */
public record AdoptionSettings(ZoneId zone, String environmentColumn, Map<String, String> attributeColumns,
                               Map<String, String> columnDefaults) {

    /** The field name of {@link #environmentColumn} in {@code --map FIELD=COLUMN}. */
    public static final String ENVIRONMENT = "environment";
    /** The prefix of an attribute field in {@code --map attribute:NAME=COLUMN}. */
    public static final String ATTRIBUTE_PREFIX = "attribute:";

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    /** Validates the names and copies the maps (in their order). */
    public AdoptionSettings {
        if (environmentColumn != null) {
            environmentColumn = column(environmentColumn, "the environment column");
        }
        attributeColumns = copy(attributeColumns, "attribute");
        columnDefaults = copy(columnDefaults, "default");
        for (String c : attributeColumns.values()) {
            if (c.equals(environmentColumn)) {
                throw new IllegalArgumentException("column '" + c + "' is mapped twice (environment and an attribute); "
                        + "map each host column to one field");
            }
        }
    }

    /** Nothing set: deploytrack's own columns, ISO-8601 times in UTC. */
    public static AdoptionSettings none() {
        return new AdoptionSettings(null, null, Map.of(), Map.of());
    }

    /** Whether nothing is set. */
    public boolean isEmpty() {
        return zone == null && environmentColumn == null && attributeColumns.isEmpty() && columnDefaults.isEmpty();
    }

    /** The column that holds the environment: the mapped one, else {@code environment}. */
    public String environmentColumnOrDefault() {
        return environmentColumn == null ? ENVIRONMENT : environmentColumn;
    }

    /** A copy with this zone. */
    public AdoptionSettings withZone(ZoneId zone) {
        return new AdoptionSettings(Objects.requireNonNull(zone, "zone"), environmentColumn, attributeColumns, columnDefaults);
    }

    /**
     * A copy with one field mapped to a host column: {@code environment}, or {@code attribute:NAME}.
     *
     * @throws IllegalArgumentException naming the field or column and what is expected
     */
    public AdoptionSettings withMapping(String field, String column) {
        Objects.requireNonNull(field, "field");
        String col = column(column, "the column of " + field);
        if (field.equals(ENVIRONMENT)) {
            return new AdoptionSettings(zone, col, attributeColumns, columnDefaults);
        }
        if (field.startsWith(ATTRIBUTE_PREFIX) && field.length() > ATTRIBUTE_PREFIX.length()) {
            Map<String, String> m = new LinkedHashMap<>(attributeColumns);
            m.put(field.substring(ATTRIBUTE_PREFIX.length()), col);
            return new AdoptionSettings(zone, environmentColumn, m, columnDefaults);
        }
        throw new IllegalArgumentException("'" + field + "' is not a field that can be mapped: expected 'environment' "
                + "or 'attribute:NAME' (e.g. attribute:ncp_history_id=deploy_id)");
    }

    /** A copy with a value for a host column on rows deploytrack inserts. */
    public AdoptionSettings withDefault(String column, String value) {
        Map<String, String> m = new LinkedHashMap<>(columnDefaults);
        m.put(column(column, "a default's column"), Objects.requireNonNull(value, "value"));
        return new AdoptionSettings(zone, environmentColumn, attributeColumns, m);
    }

    /** These settings with every setting of {@code explicit} put over them (a setting at a time). */
    public AdoptionSettings overriddenBy(AdoptionSettings explicit) {
        Map<String, String> attrs = new LinkedHashMap<>(attributeColumns);
        attrs.putAll(explicit.attributeColumns);
        Map<String, String> defaults = new LinkedHashMap<>(columnDefaults);
        defaults.putAll(explicit.columnDefaults);
        return new AdoptionSettings(explicit.zone != null ? explicit.zone : zone,
                explicit.environmentColumn != null ? explicit.environmentColumn : environmentColumn, attrs, defaults);
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

    private static String column(String column, String what) {
        if (column == null || !NAME.matcher(column.strip()).matches()) {
            throw new IllegalArgumentException(what + " '" + column + "' is not a column name: expected letters, "
                    + "digits and underscores, starting with a letter or underscore");
        }
        return column.strip().toLowerCase(java.util.Locale.ROOT);
    }

    private static Map<String, String> copy(Map<String, String> m, String what) {
        if (m == null || m.isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            if (k == null || k.isBlank() || v == null) {
                throw new IllegalArgumentException("a " + what + " needs a name and a value; got " + k + "=" + v);
            }
            out.put(what.equals("attribute") ? k.strip() : column(k, "a default's column"),
                    what.equals("attribute") ? column(v, "the column of attribute " + k) : v);
        });
        return Collections.unmodifiableMap(out);
    }

    @Override
    public String toString() {
        return "AdoptionSettings[zone=" + (zone == null ? "UTC (not set)" : zone) + ", environment="
                + environmentColumnOrDefault() + ", attributes=" + attributeColumns + ", defaults=" + columnDefaults + "]";
    }
}
