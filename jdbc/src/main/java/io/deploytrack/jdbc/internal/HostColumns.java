package io.deploytrack.jdbc.internal;

import io.deploytrack.jdbc.AdoptionSettings;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The host's own columns of {@code deployment_histories} that an insert by deploytrack would leave without a value
 * while the database requires one (NOT NULL, no default). Checked when a store opens, so that a deployment is never
 * started at a provider and then refused by the table. Not public API.
 */
public final class HostColumns {
    /** Columns every insert of deploytrack fills (besides the mapped environment column and the defaults). */
    private static final Set<String> WRITTEN = Set.of("id", "github_owner", "github_repo", "github_commit_sha",
            "is_rollback", "rollback_of", "idempotency_key", "status", "started_at", "attributes", "created_at",
            "updated_at", "lease_owner", "lease_until", "completion_notified");

    private HostColumns() {
    }

    /** The NOT NULL columns without a default that deploytrack has no value for, in table order. */
    public static List<String> missingValues(Connection c, Dialect dialect, AdoptionSettings s) throws SQLException {
        Set<String> filled = new LinkedHashSet<>(WRITTEN);
        filled.add(s.environmentColumnOrDefault());
        filled.add(s.rollbackOfColumnOrDefault());
        filled.addAll(s.columnDefaults().keySet());
        List<String> out = new ArrayList<>();
        if ("sqlite".equals(dialect.name())) {
            SqlRunner.readDirect(c, "PRAGMA table_info(deployment_histories)", rs -> {
                while (rs.next()) {
                    String name = rs.getString("name").toLowerCase(Locale.ROOT);
                    if (rs.getInt("notnull") == 1 && rs.getString("dflt_value") == null && rs.getInt("pk") == 0
                            && !filled.contains(name)) {
                        out.add(name);
                    }
                }
                return out;
            });
        } else {
            SqlRunner.readDirect(c, "SELECT column_name FROM information_schema.columns WHERE "
                    + "table_schema = current_schema() AND table_name = 'deployment_histories' AND is_nullable = 'NO' "
                    + "AND column_default IS NULL AND is_identity = 'NO' ORDER BY ordinal_position", rs -> {
                        while (rs.next()) {
                            String name = rs.getString(1).toLowerCase(Locale.ROOT);
                            if (!filled.contains(name)) {
                                out.add(name);
                            }
                        }
                        return out;
                    });
        }
        return out;
    }

    /** The message for columns without a value: which ones, and the two ways to give one. */
    public static String message(List<String> columns) {
        String first = columns.get(0);
        return "deploytrack cannot record deployments into deployment_histories: the host column"
                + (columns.size() == 1 ? " " + first + " is" : "s " + String.join(", ", columns) + " are")
                + " NOT NULL without a default, and deploytrack has no value for "
                + (columns.size() == 1 ? "it" : "them") + ". Give one: 'deploytrack adopt --default " + first
                + "=VALUE --apply' (kept in the database for every later command), or in Java "
                + "JdbcHistoryStore.builder()...columnDefault(\"" + first + "\", \"VALUE\"); a request attribute of "
                + "the same name (--attribute " + first + "=VALUE) wins over the default";
    }

    /** Whether {@code table} has {@code column}. */
    public static boolean hasColumn(Connection c, String table, String column) throws SQLException {
        return SchemaInfo.columns(c, table).contains(column.toLowerCase(Locale.ROOT));
    }
}
