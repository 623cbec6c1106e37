package io.deploytrack.jdbc.internal;

import io.deploytrack.core.DeliveryFacts;
import io.deploytrack.core.Insights;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * The insights queries: {@link DeliveryFacts} of one project and environment, worked out in the database with window
 * functions (SQLite 3.25+ and PostgreSQL alike), so that only the window's successes come back, already classified.
 * The rules are DeliveryFacts'; core's {@code DeliveryFactsOfRows} is the same in Java. Both queries stay inside the
 * target's rows through the existing indexes: the partial index of successes (owner, repo, environment, deployed_at,
 * id) and the project index (owner, repo, environment, started_at). Not public API.
 */
public final class DeliveryQueries {

    private final Dialect dialect;
    private final HostTimes times;
    private final String facts;
    private final String failed;

    /**
     * @param env the column that holds the environment (a host's own, when mapped)
     */
    public DeliveryQueries(Dialect dialect, HostTimes times, String env) {
        this.dialect = dialect;
        this.times = times;
        String target = "github_owner = ? AND github_repo = ? AND " + env + " = ?";
        // s: the target's successes before `to`, numbered; k: each with the commit before it and the number of the
        // newest earlier success of its own commit; c: rollbacks by flag or by the commit rule; f: the change failure
        // each rollback answers (the first non-rollback after the version it restored); w: neighbours
        this.facts = "WITH s AS (SELECT id, github_commit_sha AS sha, started_at, deployed_at, "
                + "CASE WHEN is_rollback = ? THEN 1 ELSE 0 END AS flagged, "
                + "CASE WHEN attributes = ? OR attributes LIKE ? OR attributes LIKE ? OR attributes LIKE ? THEN 1 ELSE 0 END AS fix, "
                + "ROW_NUMBER() OVER (ORDER BY deployed_at, id) AS seq "
                + "FROM deployment_histories WHERE " + target + " AND status = 'success' AND deployed_at IS NOT NULL "
                + "AND deployed_at < ?), "
                + "k AS (SELECT s.*, LAG(sha) OVER (ORDER BY seq) AS prev_sha, "
                + "LAG(seq) OVER (PARTITION BY sha ORDER BY seq) AS restored_seq FROM s), "
                + "c AS (SELECT k.*, CASE WHEN flagged = 1 OR (restored_seq IS NOT NULL AND prev_sha <> sha) THEN 1 ELSE 0 END AS rb FROM k), "
                + "f AS (SELECT (SELECT MIN(d.seq) FROM c d WHERE d.rb = 0 AND d.seq > r.restored_seq AND d.seq < r.seq) AS failed_seq, "
                + "r.deployed_at AS recovered_at FROM c r WHERE r.rb = 1 AND r.restored_seq IS NOT NULL), "
                + "w AS (SELECT c.*, LAG(deployed_at) OVER (ORDER BY seq) AS prev_deployed_at, "
                + "LAG(rb) OVER (ORDER BY seq) AS prev_rb, LEAD(deployed_at) OVER (ORDER BY seq) AS next_deployed_at, "
                + "LEAD(CASE WHEN fix = 1 AND rb = 0 THEN 1 ELSE 0 END) OVER (ORDER BY seq) AS next_fix FROM c) "
                + "SELECT w.id, w.sha, w.rb, w.fix, w.started_at, w.deployed_at, w.prev_sha, w.prev_deployed_at, "
                + "w.prev_rb, w.next_deployed_at, w.next_fix, "
                + "(SELECT MIN(f.recovered_at) FROM f WHERE f.failed_seq = w.seq) AS rolled_back_at "
                + "FROM w WHERE w.deployed_at >= ? ORDER BY w.seq";
        this.failed = "SELECT COUNT(*) FROM deployment_histories WHERE " + target
                + " AND status IN ('failed', 'cancelled', 'timed_out') AND started_at >= ? AND started_at < ?";
    }

    /** The facts of (owner, repo, environment) over {@code [from, to)}, read on {@code c}. */
    public DeliveryFacts facts(Connection c, String owner, String repo, String environment, Instant from, Instant to)
            throws SQLException {
        List<DeliveryFacts.Shipped> shipped = SqlRunner.query(c, facts, ps -> {
            int i = 1;
            dialect.setBoolean(ps, i++, true);
            // attributes are k=v pairs joined by '&' (KeyValues): the pair alone, first, last or in the middle
            String pair = Insights.FIX_ATTRIBUTE + "=true";
            ps.setString(i++, pair);
            ps.setString(i++, pair + "&%");
            ps.setString(i++, "%&" + pair);
            ps.setString(i++, "%&" + pair + "&%");
            i = target(ps, i, owner, repo, environment);
            times.set(ps, i++, to);
            times.set(ps, i, from);
        }, rs -> new DeliveryFacts.Shipped(rs.getLong("id"), rs.getString("sha"), rs.getInt("rb") == 1,
                rs.getInt("fix") == 1, times.get(rs, "started_at"), times.get(rs, "deployed_at"),
                rs.getString("prev_sha"), times.get(rs, "prev_deployed_at"), rs.getInt("prev_rb") == 1,
                times.get(rs, "next_deployed_at"), rs.getInt("next_fix") == 1,
                times.get(rs, "rolled_back_at")));
        int failedAttempts = SqlRunner.queryOne(c, failed, ps -> {
            int i = target(ps, 1, owner, repo, environment);
            times.set(ps, i++, from);
            times.set(ps, i, to);
        }, rs -> rs.getInt(1)).orElseThrow();
        return new DeliveryFacts(from, to, shipped, failedAttempts);
    }

    private static int target(PreparedStatement ps, int at, String owner, String repo, String environment)
            throws SQLException {
        ps.setString(at, owner);
        ps.setString(at + 1, repo);
        ps.setString(at + 2, environment);
        return at + 3;
    }
}
