package io.deploytrack.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the time columns of {@code deployment_histories} are read and written, so that a host's table keeps one format.
 * On SQLite with a zone set: naive text in that zone, in the format its rows already have (SQLAlchemy's
 * {@code yyyy-MM-dd HH:mm:ss.ffffff} when it is empty). On PostgreSQL: {@code timestamp without time zone} columns
 * take local times in the zone (UTC when none is set). Otherwise the dialect's own encoding. Not public API.
 */
public final class HostTimes {
    private static final Pattern NAIVE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}([ T])\\d{2}:\\d{2}:\\d{2}(?:\\.(\\d{1,9}))?");

    private final Dialect dialect;
    private final ZoneId zone;
    private final DateTimeFormatter text;
    private final boolean localTimestamp;
    private final String description;

    private HostTimes(Dialect dialect, ZoneId zone, DateTimeFormatter text, boolean localTimestamp, String description) {
        this.dialect = dialect;
        this.zone = zone;
        this.text = text;
        this.localTimestamp = localTimestamp;
        this.description = description;
    }

    /** The dialect's own encoding: deploytrack's tables. */
    public static HostTimes plain(Dialect dialect) {
        return new HostTimes(dialect, ZoneOffset.UTC, null, false, "ISO-8601 in UTC");
    }

    /** Looks at the table (its column type, or the text of a stored start time) to choose the encoding. */
    public static HostTimes detect(Connection c, Dialect dialect, ZoneId zone) throws SQLException {
        if (!"sqlite".equals(dialect.name())) {
            String type = SqlRunner.readDirect(c, "SELECT data_type FROM information_schema.columns WHERE "
                    + "table_schema = current_schema() AND table_name = 'deployment_histories' AND column_name = 'started_at'",
                    rs -> rs.next() ? rs.getString(1) : null);
            if (type != null && type.startsWith("timestamp without")) {
                ZoneId z = zone == null ? ZoneOffset.UTC : zone;
                return new HostTimes(dialect, z, null, true, "timestamp without time zone, local time in " + z.getId());
            }
            return plain(dialect);
        }
        if (zone == null) {
            return plain(dialect);
        }
        String sample = SqlRunner.readDirect(c, "SELECT started_at FROM deployment_histories "
                + "WHERE started_at IS NOT NULL ORDER BY id LIMIT 1", rs -> rs.next() ? rs.getString(1) : null);
        String pattern = "yyyy-MM-dd HH:mm:ss.SSSSSS";
        if (sample != null) {
            Matcher m = NAIVE.matcher(sample.strip());
            if (!m.matches()) {
                return new HostTimes(dialect, zone, null, false, "ISO-8601 in UTC (naive values read in " + zone.getId() + ")");
            }
            String sep = m.group(1).equals("T") ? "'T'" : " ";
            pattern = "yyyy-MM-dd" + sep + "HH:mm:ss" + (m.group(2) == null ? "" : "." + "S".repeat(m.group(2).length()));
        }
        return new HostTimes(dialect, zone, DateTimeFormatter.ofPattern(pattern), false,
                "naive '" + pattern.replace("'", "") + "' in " + zone.getId());
    }

    /** Binds a time (null allowed). */
    public void set(PreparedStatement ps, int index, Instant value) throws SQLException {
        if (value == null || (text == null && !localTimestamp)) {
            dialect.setInstant(ps, index, value);
        } else if (localTimestamp) {
            ps.setObject(index, LocalDateTime.ofInstant(value.truncatedTo(ChronoUnit.MICROS), zone));
        } else {
            ps.setString(index, text.format(LocalDateTime.ofInstant(value, zone)));
        }
    }

    /** Reads a time (null allowed); naive text is read in the zone. */
    public Instant get(ResultSet rs, String column) throws SQLException {
        if (localTimestamp) {
            LocalDateTime t = rs.getObject(column, LocalDateTime.class);
            return t == null ? null : t.atZone(zone).toInstant();
        }
        if ("sqlite".equals(dialect.name())) {
            return Times.parse(rs.getString(column), zone);
        }
        return dialect.getInstant(rs, column);
    }

    /** Whether times are the dialect's own encoding ({@link #plain}), not a host's format. */
    public boolean isPlain() {
        return text == null && !localTimestamp;
    }

    /** The zone naive values are read in. */
    public ZoneId zone() {
        return zone;
    }

    @Override
    public String toString() {
        return description;
    }
}
