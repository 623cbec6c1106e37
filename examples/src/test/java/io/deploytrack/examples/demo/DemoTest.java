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
        assertThat(out).contains("0 ended differently than scripted").contains("roll back to b2c3d4e");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*), SUM(status = 'running'), "
                    + "SUM(status = 'success' AND (deployed_at IS NULL OR total_duration IS NULL)), "
                    + "SUM(status = 'timed_out'), SUM(is_rollback) FROM deployment_histories")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(20);
                assertThat(rs.getInt(2)).as("running rows").isZero();
                assertThat(rs.getInt(3)).as("success rows without deployed_at or total_duration").isZero();
                assertThat(rs.getInt(4)).isEqualTo(1);
                assertThat(rs.getInt(5)).isEqualTo(1);
            }
        }
    }
}
