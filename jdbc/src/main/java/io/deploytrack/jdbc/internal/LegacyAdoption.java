package io.deploytrack.jdbc.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Adopts a {@code deployment_histories} table that deploytrack's migrations did not create: one written by an early
 * version that had no version table, or by a host's own code. Not public API.
 *
 * <p>It runs at the start of the migration transaction, only when {@code deployment_histories} exists and
 * {@code deploytrack_schema_version} does not. It never deletes or rewrites a row: it adds the missing columns (with
 * safe defaults), creates the other tables and the plain indexes of the baseline migrations, and tries each unique
 * index. When rows already in the table make a unique index impossible (duplicates created before the constraint
 * existed), the index is recorded in {@value #PENDING_TABLE} instead, the schema is recorded as adopted, and a warning
 * names {@code deploytrack doctor} and {@code deploytrack repair --apply}: repair merges the duplicates and then
 * creates the pending indexes through {@link #createPending}.
 */
public final class LegacyAdoption {
    /** Unique indexes that adoption could not create yet, with the reason. */
    public static final String PENDING_TABLE = "deploytrack_pending_constraints";
    /** The newest migration an adopted table is brought to; later migrations then run as usual. */
    static final int BASELINE = 2;

    private static final Logger LOG = LoggerFactory.getLogger(LegacyAdoption.class);
    private static final String HISTORY = "deployment_histories";
    private static final String ENVIRONMENT = "environment";
    private static final String ROLLBACK_OF = "rollback_of";
    private static final Pattern INDEX_ON_HISTORY =
            Pattern.compile("(?is)^CREATE\\s+(UNIQUE\\s+)?INDEX\\s.*\\bON\\s+\"?deployment_histories\\b");
    private static final Pattern CREATE_TABLE =
            Pattern.compile("(?is)^CREATE\\s+TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?\"?(\\w+)\"?\\s*\\((.*)\\)\\s*$");
    private static final Pattern ADD_COLUMN =
            Pattern.compile("(?is)^ALTER\\s+TABLE\\s+\"?(\\w+)\"?\\s+ADD\\s+(?:COLUMN\\s+)?(?:IF\\s+NOT\\s+EXISTS\\s+)?\"?(\\w+)\"?.*$");
    private static final Pattern CREATE_UNIQUE_INDEX =
            Pattern.compile("(?is)^CREATE\\s+UNIQUE\\s+INDEX\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?\"?(\\w+)\"?.*$");
    private static final Pattern CREATE_INDEX =
            Pattern.compile("(?is)^CREATE\\s+INDEX\\s+(IF\\s+NOT\\s+EXISTS\\s+)?\"?(\\w+)\"?(.*)$");
    private static final Set<String> TABLE_CONSTRAINTS = Set.of("CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN");
    /** Columns that every row of a host's table must already have: nothing could be filled in for them. */
    private static final Set<String> STAMPS = Set.of("created_at", "updated_at");

    /**
     * A unique index that could not be created yet.
     *
     * @param name       the index name
     * @param definition the {@code CREATE UNIQUE INDEX} statement
     * @param reason     the database's refusal, e.g. {@code UNIQUE constraint failed: ...}
     */
    public record PendingConstraint(String name, String definition, String reason) {
    }

    /**
     * What an adoption did.
     *
     * @param version      the schema version recorded
     * @param addedColumns the columns added to {@code deployment_histories}
     * @param pending      the unique indexes left for {@code repair --apply}
     * @param indexes      the indexes created (unique ones included)
     */
    public record Result(int version, List<String> addedColumns, List<PendingConstraint> pending, List<String> indexes) {
    }

    private LegacyAdoption() {
    }

    /**
     * Adopts the table when it needs it; does nothing otherwise. Called inside the migration's write transaction,
     * before anything else.
     *
     * @param scripts the migrations that may be applied: version to file name in the dialect's folder
     * @return what was done, or empty when there was nothing to adopt
     */
    public static Optional<Result> adoptIfNeeded(Connection c, Dialect dialect, Clock clock,
                                                 SortedMap<Integer, String> scripts, String environmentColumn,
                                                 String rollbackColumn) throws SQLException {
        if (!SchemaInfo.tableExists(c, dialect, HISTORY)
                || SchemaInfo.tableExists(c, dialect, "deploytrack_schema_version")) {
            return Optional.empty();
        }
        Set<String> columns = SchemaInfo.columns(c, HISTORY);
        if (!ENVIRONMENT.equals(environmentColumn)) {
            if (!columns.contains(environmentColumn)) {
                throw new SQLException("cannot adopt the existing " + HISTORY + " table: the environment is mapped to "
                        + "its column '" + environmentColumn + "', which it does not have; map an existing column");
            }
            // The mapped column stands for deploytrack's environment: no column of that name is added.
            columns.add(ENVIRONMENT);
        }
        if (!ROLLBACK_OF.equals(rollbackColumn)) {
            if (!columns.contains(rollbackColumn)) {
                throw new SQLException("cannot adopt the existing " + HISTORY + " table: the rollback link is mapped to "
                        + "its column '" + rollbackColumn + "', which it does not have; map an existing column");
            }
            // The host's column (e.g. rollback_from_id) keeps the link: no rollback_of column is added beside it.
            columns.add(ROLLBACK_OF);
        }
        List<String> added = new ArrayList<>();
        List<String> stamped = new ArrayList<>();
        List<PendingConstraint> pending = new ArrayList<>();
        List<String> indexes = new ArrayList<>();
        int version = 0;
        for (Map.Entry<Integer, String> e : scripts.entrySet()) {
            if (e.getKey() > BASELINE) {
                break;
            }
            String file = e.getValue();
            for (String sql : Migrations.statements(read(dialect.migrationsFolder() + "/" + file))) {
                if (!ENVIRONMENT.equals(environmentColumn) && INDEX_ON_HISTORY.matcher(sql).find()) {
                    sql = sql.replaceAll("\\b" + ENVIRONMENT + "\\b", environmentColumn);
                }
                adoptStatement(c, sql, file, columns, added, stamped, pending, indexes);
            }
            version = e.getKey();
        }
        if (version == 0) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        for (String column : stamped) {
            SqlRunner.update(c, "UPDATE " + HISTORY + " SET " + column + " = ? WHERE "
                    + column + " IS NULL", ps -> dialect.setInstant(ps, 1, now));
        }
        execute(c, "CREATE TABLE IF NOT EXISTS deploytrack_schema_version (version INTEGER PRIMARY KEY, "
                + "description VARCHAR(200) NOT NULL, applied_at VARCHAR(40) NOT NULL)");
        for (Map.Entry<Integer, String> e : scripts.headMap(version + 1).entrySet()) {
            SqlRunner.update(c,
                    "INSERT INTO deploytrack_schema_version (version, description, applied_at) VALUES (?, ?, ?)", ps -> {
                        ps.setInt(1, e.getKey());
                        ps.setString(2, e.getValue() + " (adopted an existing table)");
                        ps.setString(3, Times.format(now));
                    });
        }
        if (!pending.isEmpty()) {
            execute(c, "CREATE TABLE IF NOT EXISTS " + PENDING_TABLE + " (name VARCHAR(200) PRIMARY KEY, "
                    + "definition TEXT NOT NULL, reason TEXT, recorded_at VARCHAR(40) NOT NULL)");
            for (PendingConstraint p : pending) {
                SqlRunner.update(c, "INSERT INTO " + PENDING_TABLE
                        + " (name, definition, reason, recorded_at) VALUES (?, ?, ?, ?)", ps -> {
                            ps.setString(1, p.name());
                            ps.setString(2, p.definition());
                            ps.setString(3, p.reason());
                            ps.setString(4, Times.format(now));
                        });
            }
            LOG.warn("deploytrack_legacy_adopted table={} schema_version={} added_columns={} pending_constraints={}: "
                            + "rows already in the table break these unique constraints (duplicates recorded before "
                            + "they existed), so they are not enforced yet; nothing was deleted. Run 'deploytrack doctor' "
                            + "to list the rows, then 'deploytrack repair --apply' to merge them and create the indexes",
                    HISTORY, version, added, pending.stream().map(PendingConstraint::name).toList());
        } else {
            LOG.info("deploytrack_legacy_adopted table={} schema_version={} added_columns={} pending_constraints=[]",
                    HISTORY, version, added);
        }
        return Optional.of(new Result(version, List.copyOf(added), List.copyOf(pending), List.copyOf(indexes)));
    }

    /** The unique indexes still pending (none when the database was never adopted or repair created them). */
    public static List<PendingConstraint> pending(Connection c, Dialect dialect) throws SQLException {
        if (!SchemaInfo.tableExists(c, dialect, PENDING_TABLE)) {
            return new ArrayList<>();
        }
        return SqlRunner.readDirect(c, "SELECT name, definition, reason FROM " + PENDING_TABLE + " ORDER BY name", rs -> {
            List<PendingConstraint> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new PendingConstraint(rs.getString(1), rs.getString(2), rs.getString(3)));
            }
            return out;
        });
    }

    /**
     * Tries to create every pending unique index, inside the caller's write transaction. Each one created leaves the
     * pending list; the others stay, with the database's new reason.
     *
     * @return the indexes still pending
     */
    public static List<PendingConstraint> createPending(Connection c, Dialect dialect) throws SQLException {
        List<PendingConstraint> still = new ArrayList<>();
        for (PendingConstraint p : pending(c, dialect)) {
            String failure = tryExecute(c, p.definition());
            if (failure == null) {
                SqlRunner.update(c, "DELETE FROM " + PENDING_TABLE + " WHERE name = ?", ps -> ps.setString(1, p.name()));
                LOG.info("deploytrack_pending_constraint_created name={}", p.name());
            } else {
                SqlRunner.update(c, "UPDATE " + PENDING_TABLE + " SET reason = ? WHERE name = ?", ps -> {
                    ps.setString(1, failure);
                    ps.setString(2, p.name());
                });
                still.add(new PendingConstraint(p.name(), p.definition(), failure));
            }
        }
        return still;
    }

    // ---------------------------------------------------------------- one statement of a baseline migration

    private static void adoptStatement(Connection c, String sql, String file, Set<String> columns, List<String> added,
                                       List<String> stamped, List<PendingConstraint> pending, List<String> indexes)
            throws SQLException {
        Matcher m;
        if ((m = CREATE_TABLE.matcher(sql)).matches()) {
            String table = m.group(1).toLowerCase(Locale.ROOT);
            if (table.equals(HISTORY)) {
                for (String def : splitTopLevel(m.group(2))) {
                    addColumnIfMissing(c, def, file, columns, added, stamped);
                }
            } else {
                execute(c, sql.strip().replaceFirst("(?i)^CREATE\\s+TABLE\\s+(IF\\s+NOT\\s+EXISTS\\s+)?",
                        "CREATE TABLE IF NOT EXISTS "));
            }
        } else if ((m = ADD_COLUMN.matcher(sql)).matches()) {
            String column = m.group(2).toLowerCase(Locale.ROOT);
            if (!m.group(1).equalsIgnoreCase(HISTORY) || columns.add(column)) {
                execute(c, sql);
                if (m.group(1).equalsIgnoreCase(HISTORY)) {
                    added.add(column);
                }
            }
        } else if ((m = CREATE_UNIQUE_INDEX.matcher(sql)).matches()) {
            String name = m.group(1);
            if (!SchemaInfo.indexExists(c, HISTORY, name)) {
                String failure = tryExecute(c, sql);
                if (failure != null) {
                    pending.add(new PendingConstraint(name, sql, failure));
                } else {
                    indexes.add(name);
                }
            }
        } else if ((m = CREATE_INDEX.matcher(sql)).matches()) {
            if (!SchemaInfo.indexExists(c, HISTORY, m.group(2))) {
                indexes.add(m.group(2));
            }
            execute(c, m.group(1) != null ? sql : "CREATE INDEX IF NOT EXISTS " + m.group(2) + m.group(3));
        } else {
            try {
                execute(c, sql);
            } catch (SQLException e) {
                throw new SQLException("cannot adopt the existing " + HISTORY + " table: " + file + " failed at '"
                        + firstLine(sql) + "': " + e.getMessage(), e);
            }
        }
    }

    private static void addColumnIfMissing(Connection c, String definition, String file, Set<String> columns,
                                           List<String> added, List<String> stamped) throws SQLException {
        String def = definition.strip();
        String first = def.split("\\s+", 2)[0];
        if (TABLE_CONSTRAINTS.contains(first.toUpperCase(Locale.ROOT))) {
            return;
        }
        String column = first.replace("\"", "").toLowerCase(Locale.ROOT);
        if (columns.contains(column)) {
            return;
        }
        String upper = def.toUpperCase(Locale.ROOT);
        boolean notNull = upper.contains("NOT NULL");
        boolean hasDefault = Pattern.compile("\\bDEFAULT\\b").matcher(upper).find();
        if (upper.contains("PRIMARY KEY") || (notNull && !hasDefault && !STAMPS.contains(column))) {
            throw new SQLException("cannot adopt the existing " + HISTORY + " table: it has no column '" + column
                    + "', which deploytrack needs and cannot fill in (" + file + " defines it as: " + def
                    + "); add or rename that column, or point deploytrack at another database");
        }
        String addable = removeParenthesised(def, "CHECK");
        addable = addable.replaceAll("(?i)\\bUNIQUE\\b", "");
        if (notNull && !hasDefault) {
            addable = addable.replaceAll("(?i)\\bNOT\\s+NULL\\b", "");
            stamped.add(column);
        }
        execute(c, "ALTER TABLE " + HISTORY + " ADD COLUMN " + addable.strip().replaceAll("\\s+", " "));
        columns.add(column);
        added.add(column);
    }

    // ---------------------------------------------------------------- helpers

    private static String tryExecute(Connection c, String sql) throws SQLException {
        execute(c, "SAVEPOINT deploytrack_adopt");
        try {
            execute(c, sql);
            execute(c, "RELEASE SAVEPOINT deploytrack_adopt");
            return null;
        } catch (SQLException e) {
            execute(c, "ROLLBACK TO SAVEPOINT deploytrack_adopt");
            execute(c, "RELEASE SAVEPOINT deploytrack_adopt");
            String reason = String.valueOf(e.getMessage()).replaceAll("\\s+", " ").strip();
            return reason.length() > 500 ? reason.substring(0, 497) + "..." : reason;
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        SqlRunner.executeDirect(c, sql);
    }

    /** Splits a column list at commas outside parentheses. */
    private static List<String> splitTopLevel(String body) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        StringBuilder cur = new StringBuilder();
        for (char ch : body.toCharArray()) {
            if (ch == '(') {
                depth++;
            } else if (ch == ')') {
                depth--;
            }
            if (ch == ',' && depth == 0) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        if (!cur.toString().isBlank()) {
            out.add(cur.toString());
        }
        return out;
    }

    /** Removes {@code KEYWORD (...)} with balanced parentheses, e.g. a CHECK clause. */
    private static String removeParenthesised(String def, String keyword) {
        Matcher m = Pattern.compile("(?i)\\b" + keyword + "\\s*\\(").matcher(def);
        if (!m.find()) {
            return def;
        }
        int depth = 1;
        int i = m.end();
        while (i < def.length() && depth > 0) {
            char ch = def.charAt(i++);
            if (ch == '(') {
                depth++;
            } else if (ch == ')') {
                depth--;
            }
        }
        return def.substring(0, m.start()) + def.substring(i);
    }

    private static String read(String resource) throws SQLException {
        try (InputStream in = LegacyAdoption.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new SQLException("migration " + resource + " is missing from the deploytrack-jdbc jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SQLException("cannot read migration " + resource, e);
        }
    }

    private static String firstLine(String sql) {
        int nl = sql.indexOf('\n');
        return nl < 0 ? sql : sql.substring(0, nl);
    }
}
