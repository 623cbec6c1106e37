package io.deploytrack.jdbc.internal;

import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.jdbc.AdoptionSettings;
import io.deploytrack.jdbc.StatusWords;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The adoption settings as rows of {@code deploytrack_settings} (name, value). Not public API. */
public final class SettingsTable {
    static final String TABLE = "deploytrack_settings";
    private static final String ZONE = "zone";
    private static final String MAP = "map.";
    private static final String DEFAULT = "default.";
    private static final String STATUS = "status.";
    private static final String STAGE = "stage.";

    private SettingsTable() {
    }

    /** The stored settings; none when the table does not exist yet. */
    public static AdoptionSettings read(Connection c, Dialect dialect) throws SQLException {
        AdoptionSettings s = AdoptionSettings.none();
        if (!SchemaInfo.tableExists(c, dialect, TABLE)) {
            return s;
        }
        List<Map.Entry<String, String>> stored = SqlRunner.readDirect(c, "SELECT name, value FROM " + TABLE
                + " ORDER BY name", rs -> {
                    List<Map.Entry<String, String>> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(Map.entry(rs.getString(1), rs.getString(2))); // both NOT NULL
                    }
                    return out;
                });
        for (Map.Entry<String, String> setting : stored) {
            String name = setting.getKey();
            String value = setting.getValue();
            try {
                if (name.equals(ZONE)) {
                    s = s.withZone(AdoptionSettings.parseZone(value));
                } else if (name.startsWith(MAP)) {
                    s = s.withMapping(name.substring(MAP.length()), value);
                } else if (name.startsWith(DEFAULT)) {
                    s = s.withDefault(name.substring(DEFAULT.length()), value);
                } else if (name.startsWith(STATUS)) {
                    s = s.withStatusWord(name.substring(STATUS.length()), value);
                } else if (name.startsWith(STAGE)) {
                    s = s.withStageName(name.substring(STAGE.length()), value);
                }
            } catch (IllegalArgumentException e) {
                throw new SQLException("the stored adoption setting " + name + "='" + value + "' in " + TABLE
                        + " is not usable: " + e.getMessage() + "; run 'deploytrack adopt' again with a correct value", e);
            }
        }
        try {
            return s.requireComplete();
        } catch (IllegalArgumentException e) {
            throw new SQLException("the stored adoption settings in " + TABLE + " are not usable: " + e.getMessage()
                    + "; run 'deploytrack adopt' again with correct values", e);
        }
    }

    /** Replaces the stored settings with {@code s}, inside the caller's write transaction. */
    public static void write(Connection c, AdoptionSettings s) throws SQLException {
        SqlRunner.executeDirect(c, "CREATE TABLE IF NOT EXISTS " + TABLE + " (name VARCHAR(200) PRIMARY KEY, value TEXT NOT NULL)");
        SqlRunner.executeDirect(c, "DELETE FROM " + TABLE);
        if (s.zone() != null) {
            put(c, ZONE, s.zone().getId());
        }
        if (s.environmentColumn() != null) {
            put(c, MAP + AdoptionSettings.ENVIRONMENT, s.environmentColumn());
        }
        for (Map.Entry<String, String> e : s.attributeColumns().entrySet()) {
            put(c, MAP + AdoptionSettings.ATTRIBUTE_PREFIX + e.getKey(), e.getValue());
        }
        for (Map.Entry<String, String> e : s.columnDefaults().entrySet()) {
            put(c, DEFAULT + e.getKey(), e.getValue());
        }
        if (s.rollbackOfColumn() != null) {
            put(c, MAP + AdoptionSettings.ROLLBACK_OF, s.rollbackOfColumn());
        }
        for (Map.Entry<String, String> e : s.checkColumns().entrySet()) {
            put(c, MAP + AdoptionSettings.CHECK_PREFIX + e.getKey(), e.getValue());
        }
        for (Map.Entry<String, String> e : s.stageNames().entrySet()) {
            put(c, STAGE + e.getKey(), e.getValue());
        }
        words(c, "", s.statusWords());
        for (Map.Entry<String, StatusWords> e : s.columnStatusWords().entrySet()) {
            words(c, e.getKey() + ":", e.getValue());
        }
    }

    private static void words(Connection c, String prefix, StatusWords words) throws SQLException {
        for (Map.Entry<DeploymentStatus, String> e : words.hostWords().entrySet()) {
            put(c, STATUS + prefix + e.getKey().word(), e.getValue());
        }
    }

    private static void put(Connection c, String name, String value) throws SQLException {
        SqlRunner.update(c, "INSERT INTO " + TABLE + " (name, value) VALUES (?, ?)", ps -> {
            ps.setString(1, name);
            ps.setString(2, value);
        });
    }
}
