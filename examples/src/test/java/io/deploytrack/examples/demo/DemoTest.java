package io.deploytrack.examples.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's demo command runs this; the test keeps it honest. */
class DemoTest {
    @TempDir
    Path dir;

    @Test
    void theDemoEndsEveryDeploymentAsScriptedAndLeavesACompleteHistory() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Path db = dir.resolve("demo.db");
        int code = Demo.run(db, new PrintStream(buf, true, StandardCharsets.UTF_8));
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(code).as(out).isZero();
        assertThat(out).contains("0 ended differently than scripted").contains("runs b2c3d4e (#4); roll back to a1b2c3d (#1")
                .contains("skipped #3 c3d4e5f: rollback #4 to b2c3d4e went back past it");
        // Followed over HTTP: every deployment started with a deploy call, and polled with list and detail calls.
        Matcher calls = Pattern.compile("NCP SourceDeploy calls over HTTP: (\\d+) deploy, (\\d+) approve, (\\d+) list, "
                + "(\\d+) detail").matcher(out);
        assertThat(calls.find()).as(out).isTrue();
        assertThat(Integer.parseInt(calls.group(1))).isEqualTo(20);
        assertThat(Integer.parseInt(calls.group(2))).isEqualTo(1);
        assertThat(Integer.parseInt(calls.group(3))).as("list calls").isPositive();
        // At least one detail call per deployment: the end time of a finished one comes from it.
        assertThat(Integer.parseInt(calls.group(4))).as("detail calls").isGreaterThanOrEqualTo(19);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*), SUM(status = 'running'), "
                    + "SUM(status = 'success' AND (deployed_at IS NULL OR total_duration IS NULL)), "
                    + "SUM(status = 'timed_out'), SUM(is_rollback) FROM deployment_histories")) {
                rs.next();
                assertThat(rs.getInt(1)).as("20 SourceDeploy deployments, a pipeline run and a build").isEqualTo(22);
                assertThat(rs.getInt(2)).as("running rows").isZero();
                assertThat(rs.getInt(3)).as("success rows without deployed_at or total_duration").isZero();
                assertThat(rs.getInt(4)).isEqualTo(1);
                assertThat(rs.getInt(5)).isEqualTo(1);
            }
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM deployment_histories h JOIN deployment_checks c "
                    + "ON c.deployment_id = h.id WHERE c.source_type = 'ncp' AND h.idempotency_key LIKE 'ncp:%' "
                    + "AND h.attributes LIKE '%ncp_history_id=%'")) {
                rs.next();
                assertThat(rs.getInt(1)).as("rows tracked through the NCP source, with their NCP ids").isEqualTo(20);
            }
            // The pipeline run: two stages, both succeeded; the build that failed: at sourcebuild, nothing deployed.
            try (ResultSet rs = s.executeQuery("SELECT h.status, h.error_stage, COUNT(c.name), "
                    + "SUM(c.status = 'success'), SUM(c.source_type = 'sourcepipeline') FROM deployment_histories h "
                    + "JOIN deployment_checks c ON c.deployment_id = h.id WHERE h.github_repo IN ('shop', 'pay') "
                    + "GROUP BY h.id ORDER BY h.github_repo DESC")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("success");
                assertThat(rs.getInt(3)).isEqualTo(2);
                assertThat(rs.getInt(4)).isEqualTo(2);
                assertThat(rs.getInt(5)).isEqualTo(2);
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("failed");
                assertThat(rs.getString(2)).isEqualTo("sourcebuild");
                assertThat(rs.getInt(4)).isZero();
            }
        }
        assertThat(out).contains("sourcebuild prepare").contains("pipeline run ").contains("failed in post-build");
    }
}
