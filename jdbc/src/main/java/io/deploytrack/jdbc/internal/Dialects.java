package io.deploytrack.jdbc.internal;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/** Picks the dialect of a database. Not public API. */
public final class Dialects {
    private Dialects() {
    }

    /** The dialect of the database behind {@code ds}, from its product name. */
    public static Dialect detect(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection()) {
            return forProduct(c.getMetaData().getDatabaseProductName());
        }
    }

    /** The dialect for a JDBC product name. */
    public static Dialect forProduct(String product) throws SQLException {
        String p = product == null ? "" : product.toLowerCase(java.util.Locale.ROOT);
        if (p.contains("sqlite")) {
            return new SqliteDialect();
        }
        throw new SQLException("database '" + product + "' is not supported: deploytrack stores history in SQLite or PostgreSQL");
    }

    /** Connections for a non-SQLite JDBC URL. */
    public static Connections forUrl(String url) throws SQLException {
        throw new SQLException("JDBC URL " + redact(url) + " is not supported: expected jdbc:sqlite:... or jdbc:postgresql://...");
    }

    /** A URL without its password, for messages and logs. */
    public static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("//([^:/@]+):[^@/]*@", "//$1:***@");
    }
}
