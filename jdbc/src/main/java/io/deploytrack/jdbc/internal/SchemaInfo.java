package io.deploytrack.jdbc.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * What the database's schema holds right now: whether a table or an index exists, a table's columns. Asked by
 * adoption, the settings table and the mapping checks, inside the caller's transaction, while migrations may be changing
 * the schema (so the columns come from a plain, never cached statement). Not public API.
 */
public final class SchemaInfo {

    private SchemaInfo() {
    }

    /** Whether {@code table} exists (in PostgreSQL's current schema). */
    public static boolean tableExists(Connection c, Dialect dialect, String table) throws SQLException {
        String sql = "sqlite".equals(dialect.name())
                ? "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
                : "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?";
        return SqlRunner.read(c, sql, ps -> ps.setString(1, table), ResultSet::next);
    }

    /** Whether {@code table} has an index named {@code index} (any case), from the driver's metadata. */
    public static boolean indexExists(Connection c, String table, String index) throws SQLException {
        try (ResultSet rs = c.getMetaData().getIndexInfo(null, null, table, false, false)) {
            while (rs.next()) {
                if (index.equalsIgnoreCase(rs.getString("INDEX_NAME"))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The columns of {@code table}, lower case, in table order. */
    public static Set<String> columns(Connection c, String table) throws SQLException {
        return SqlRunner.readDirect(c, "SELECT * FROM " + table + " WHERE 1 = 0", rs -> {
            Set<String> out = new LinkedHashSet<>();
            ResultSetMetaData md = rs.getMetaData();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                out.add(md.getColumnName(i).toLowerCase(Locale.ROOT));
            }
            return out;
        });
    }
}
