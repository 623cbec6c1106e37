package io.deploytrack.jdbc;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * A host's own {@code deployment_histories} table (no deploytrack columns, naive times, as
 * {@link LegacyAdoptionTest#legacyTable} makes it) full of the damage repair exists for: {@code pairs} deployments
 * recorded twice (a {@code success} row and, 30 s later, a {@code running} row of the same commit: duplicates to merge)
 * and {@code stuck} rows left {@code running} for months (no checks, long past the default deadline: resolved
 * {@code timed_out}). Used by the repair tests and by the fault suite in integration-tests.
 */
public final class DamagedHostTable {
    private static final DateTimeFormatter NAIVE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final LocalDateTime FIRST = LocalDateTime.of(2025, 6, 1, 9, 0);

    private DamagedHostTable() {
    }

    /** Writes the table into a new SQLite file {@code db}; rows 1..2*pairs are the pairs, the stuck ones follow. */
    public static void write(Path db, int pairs, int stuck) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE deployment_histories (id INTEGER PRIMARY KEY AUTOINCREMENT, github_owner TEXT "
                        + "NOT NULL, github_repo TEXT NOT NULL, github_commit_sha TEXT NOT NULL, is_rollback BOOLEAN "
                        + "DEFAULT 0, status TEXT NOT NULL, started_at TEXT, deployed_at TEXT, completed_at TEXT, "
                        + "total_duration INTEGER, error_stage TEXT, error_message TEXT)");
            }
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO deployment_histories (github_owner, github_repo, "
                    + "github_commit_sha, status, started_at, completed_at, total_duration) VALUES ('acme', ?, ?, ?, ?, ?, ?)")) {
                for (int i = 0; i < pairs; i++) {
                    // one repo per 100 deployments, ten minutes apart: only the two rows of a pair are duplicates
                    LocalDateTime start = FIRST.plusMinutes(10L * i);
                    String repo = "svc-" + (i % 100);
                    String sha = String.format("%07x", 0x1000000 + i);
                    row(ps, repo, sha, "success", start, start.plusSeconds(60), 60);
                    row(ps, repo, sha, "running", start.plusSeconds(30), null, null);
                }
                for (int i = 0; i < stuck; i++) {
                    LocalDateTime start = FIRST.plusMinutes(10L * i);
                    row(ps, "stuck-" + (i % 100), String.format("%07x", 0x8000000 + i), "running", start, null, null);
                }
                ps.executeBatch();
            }
            c.commit();
        }
    }

    private static void row(PreparedStatement ps, String repo, String sha, String status, LocalDateTime start,
                            LocalDateTime end, Integer seconds) throws SQLException {
        ps.setString(1, repo);
        ps.setString(2, sha);
        ps.setString(3, status);
        ps.setString(4, NAIVE.format(start));
        ps.setString(5, end == null ? null : NAIVE.format(end));
        if (seconds == null) {
            ps.setNull(6, java.sql.Types.INTEGER);
        } else {
            ps.setInt(6, seconds);
        }
        ps.addBatch();
    }
}
