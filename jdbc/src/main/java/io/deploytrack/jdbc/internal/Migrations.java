package io.deploytrack.jdbc.internal;

import io.deploytrack.jdbc.AdoptionSettings;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Versioned, additive migrations: {@code V<n>__<what>.sql} files in the dialect's folder, applied in order inside one
 * write transaction at open, each recorded in {@code deploytrack_schema_version}. Never destructive. Not public API.
 */
public final class Migrations {
    /** The migrations this version of deploytrack ships, by dialect folder: version to file name. */
    private static final String[] FILES = {
            "V1__history_checks_events.sql",
            "V2__leases_and_notification.sql",
            "V3__adoption_settings.sql",
            "V4__notifications.sql",
            "V5__pushed_observations.sql",
            "V6__precise_status.sql",
            "V7__check_stages.sql",
            "V11__rollback_of_index.sql",
    };

    private Migrations() {
    }

    /** The newest schema version this build knows. */
    public static int latestVersion() {
        int latest = 0;
        for (String f : FILES) {
            latest = Math.max(latest, version(f));
        }
        return latest;
    }

    private static int version(String file) {
        return Integer.parseInt(file.substring(1, file.indexOf("__")));
    }

    /**
     * What opening did.
     *
     * @param version  the schema version reached
     * @param settings the adoption settings in effect (stored, with the explicit ones over them)
     * @param adopted  what adopting a host's table did, when it was adopted now
     * @param times    how the history's time columns are read and written
     */
    public record Outcome(int version, AdoptionSettings settings, Optional<LegacyAdoption.Result> adopted,
                          HostTimes times) {
    }

    /** Applies every migration newer than the database's version, up to {@code target}; returns the version reached. */
    public static int apply(Connections connections, Clock clock, int target) throws SQLException {
        return connections.write(c -> migrate(c, connections.dialect(), clock, target, AdoptionSettings.none(), false, false))
                .version();
    }

    /**
     * Inside the caller's write transaction: reads the stored adoption settings, puts {@code explicit} over them,
     * adopts a host's table when needed, applies the migrations up to {@code target}, records the settings when
     * {@code record}, and (when {@code checkInsertable}) refuses a table deploytrack could not insert into, so that
     * the transaction rolls back and nothing was changed.
     */
    public static Outcome migrate(Connection c, Dialect dialect, Clock clock, int target, AdoptionSettings explicit,
                                  boolean record, boolean checkInsertable) throws SQLException {
        TreeMap<Integer, String> scripts = new TreeMap<>();
        for (String f : FILES) {
            int v = version(f);
            if (v <= target) {
                scripts.put(v, f);
            }
        }
        {
            // Before anything is read: a second instance starting now waits here, then sees the version this one wrote.
            dialect.lockForMigration(c);
            AdoptionSettings settings = SettingsTable.read(c, dialect).overriddenBy(explicit);
            // A deployment_histories table with no version table (an early version, a host's own code) is adopted first.
            Optional<LegacyAdoption.Result> adopted = LegacyAdoption.adoptIfNeeded(c, dialect, clock, scripts,
                    settings.environmentColumnOrDefault(), settings.rollbackOfColumnOrDefault());
            SqlRunner.executeDirect(c, "CREATE TABLE IF NOT EXISTS deploytrack_schema_version (version INTEGER PRIMARY KEY, "
                    + "description VARCHAR(200) NOT NULL, applied_at VARCHAR(40) NOT NULL)");
            int current = currentVersion(c);
            java.util.Set<Integer> applied = appliedVersions(c);
            if (current > latestVersion()) {
                throw new SQLException("the database's schema is version " + current + ", newer than this deploytrack ("
                        + latestVersion() + "): upgrade deploytrack, never downgrade a database");
            }
            for (var e : scripts.entrySet()) {
                // By number, not by "newer than the newest": a version merged after a later one still applies once.
                if (applied.contains(e.getKey())) {
                    continue;
                }
                // ${rollback_of}: the column that keeps the rollback link, the host's own where adopt mapped it
                String script = read(dialect.migrationsFolder() + "/" + e.getValue())
                        .replace("${rollback_of}", settings.rollbackOfColumnOrDefault());
                for (String sql : statements(script)) {
                    try {
                        SqlRunner.executeDirect(c, sql);
                    } catch (SQLException ex) {
                        throw new SQLException("migration " + e.getValue() + " failed at: " + firstLine(sql) + ": "
                                + ex.getMessage(), ex);
                    }
                }
                SqlRunner.update(c,
                        "INSERT INTO deploytrack_schema_version (version, description, applied_at) VALUES (?, ?, ?)", ps -> {
                            ps.setInt(1, e.getKey());
                            ps.setString(2, e.getValue());
                            ps.setString(3, Times.format(clock.instant()));
                        });
                current = Math.max(current, e.getKey());
            }
            if (record) {
                SettingsTable.write(c, settings);
            }
            if (checkInsertable) {
                checkInsertable(c, dialect, settings);
            }
            return new Outcome(current, settings, adopted, HostTimes.detect(c, dialect, settings.zone()));
        }
    }

    /** Refuses mapped columns that do not exist and NOT NULL columns deploytrack has no value for. */
    public static void checkInsertable(Connection c, Dialect dialect, AdoptionSettings settings) throws SQLException {
        List<String> mapped = new ArrayList<>();
        mapped.add(settings.environmentColumnOrDefault());
        mapped.addAll(settings.attributeColumns().values());
        mapped.addAll(settings.columnDefaults().keySet());
        mapped.add(settings.rollbackOfColumnOrDefault());
        mapped.addAll(settings.checkColumns().values());
        for (String column : mapped) {
            if (!HostColumns.hasColumn(c, "deployment_histories", column)) {
                throw new SQLException("the adoption settings name the column '" + column + "', which deployment_histories "
                        + "does not have; fix the mapping or default ('deploytrack adopt' shows the table's columns)");
            }
        }
        List<String> missing = HostColumns.missingValues(c, dialect, settings);
        if (!missing.isEmpty()) {
            throw new SQLException(HostColumns.message(missing));
        }
    }

    private static java.util.Set<Integer> appliedVersions(Connection c) throws SQLException {
        return SqlRunner.readDirect(c, "SELECT version FROM deploytrack_schema_version", rs -> {
            java.util.Set<Integer> out = new java.util.HashSet<>();
            while (rs.next()) {
                out.add(rs.getInt(1));
            }
            return out;
        });
    }

    /** The version recorded in the database (0 when none). */
    public static int currentVersion(Connection c) throws SQLException {
        return SqlRunner.readDirect(c, "SELECT COALESCE(MAX(version), 0) FROM deploytrack_schema_version",
                rs -> rs.next() ? rs.getInt(1) : 0);
    }

    private static String read(String resource) throws SQLException {
        try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new SQLException("migration " + resource + " is missing from the deploytrack-jdbc jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SQLException("cannot read migration " + resource, e);
        }
    }

    /** Splits a script at semicolons that end a line; comment lines are dropped. */
    static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : script.split("\n")) {
            String t = line.strip();
            if (t.startsWith("--") || t.isEmpty()) {
                continue;
            }
            cur.append(line).append('\n');
            if (t.endsWith(";")) {
                String sql = cur.toString().strip();
                out.add(sql.substring(0, sql.length() - 1));
                cur.setLength(0);
            }
        }
        if (!cur.toString().isBlank()) {
            out.add(cur.toString().strip());
        }
        return out;
    }

    private static String firstLine(String sql) {
        int nl = sql.indexOf('\n');
        return nl < 0 ? sql : sql.substring(0, nl);
    }
}
