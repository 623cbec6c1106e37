package io.deploytrack.jdbc.internal;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Picks the dialect of a database. Not public API. */
public final class Dialects {
    private static final String POSTGRES_DRIVER = "org.postgresql.Driver";

    private Dialects() {
    }

    /**
     * The dialect of the database behind {@code ds}, from its product name.
     *
     * @param serverTime whether leases are measured by the database server's clock, where it has one
     */
    public static Dialect detect(DataSource ds, boolean serverTime) throws SQLException {
        try (Connection c = ds.getConnection()) {
            return forProduct(c.getMetaData().getDatabaseProductName(), serverTime);
        }
    }

    /** The dialect for a JDBC product name ({@code SQLite}, {@code PostgreSQL}). */
    public static Dialect forProduct(String product, boolean serverTime) throws SQLException {
        String p = product == null ? "" : product.toLowerCase(Locale.ROOT);
        if (p.contains("sqlite")) {
            return new SqliteDialect();
        }
        if (p.equals("postgresql")) {
            return new PostgresDialect(serverTime);
        }
        throw new SQLException("database '" + product + "' is not supported: deploytrack stores history in SQLite or PostgreSQL");
    }

    /**
     * Connections for a non-SQLite JDBC URL: a new connection per transaction through {@link UrlDataSource}. Only
     * {@code jdbc:postgresql:} URLs are accepted; the driver must be on the classpath.
     */
    public static Connections forUrl(String url, boolean serverTime) throws SQLException {
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new SQLException("JDBC URL " + redact(url) + " is not supported: expected jdbc:sqlite:... or jdbc:postgresql://...");
        }
        try {
            Class.forName(POSTGRES_DRIVER);
        } catch (ClassNotFoundException e) {
            throw new SQLException("the PostgreSQL JDBC driver is not on the classpath: add org.postgresql:postgresql "
                    + "(deploytrack-jdbc declares it optional) to use " + redact(url), e);
        }
        UrlDataSource ds = new UrlDataSource(url);
        return new PooledConnections(ds, detect(ds, serverTime), null);
    }

    /** A URL without its password, for messages and logs. */
    public static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("//([^:/@]+):[^@/]*@", "//$1:***@");
    }

    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)password=([^&;]*)");
    private static final Pattern USER_INFO = Pattern.compile("//[^:/@]+:([^@/]*)@");

    /**
     * {@code text} with the URL redacted and every password the URL carries replaced by {@code ***}: a driver may
     * repeat part of a URL it could not parse (a host name that swallowed {@code user:password@}).
     */
    public static String scrub(String text, String url) {
        if (text == null) {
            return null;
        }
        String out = text.replace(url, redact(url));
        for (Pattern p : List.of(PASSWORD_PARAMETER, USER_INFO)) {
            Matcher m = p.matcher(url);
            while (m.find()) {
                if (!m.group(1).isEmpty()) {
                    out = out.replace(m.group(1), "***");
                }
            }
        }
        return out;
    }
}
