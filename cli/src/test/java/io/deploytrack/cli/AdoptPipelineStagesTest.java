package io.deploytrack.cli;

import io.deploytrack.jdbc.HostTable;
import io.deploytrack.ncp.emulator.NcpEmulator;
import io.deploytrack.ncp.emulator.NcpScript;
import io.deploytrack.ncp.emulator.PipelineTask;
import io.deploytrack.ncp.emulator.RequestKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.deploytrack.ncp.emulator.NcpScript.end;
import static io.deploytrack.ncp.emulator.NcpScript.step;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The host's table adopted with its stage columns ({@code --map check:sourcebuild.status=sourcebuild_status} and the
 * like), then {@code ncp pipeline} and {@code ncp run} through the real command against the emulator: every stage
 * fills its columns, and {@code build_id} / {@code pipeline_history_id} hold the NCP ids.
 */
@Timeout(120)
class AdoptPipelineStagesTest {
    static final long B = 14;
    static final long D = 12;
    static final long S = 34;
    static final long C = 56;
    static final long PL = 54;
    static final List<String> FLAGS = List.of("--zone", "Asia/Seoul",
            "--map", "environment=namespace",
            "--map", "attribute:ncp_build_project_id=sourcebuild_project_id",
            "--map", "attribute:ncp_build_id=build_id",
            "--map", "attribute:ncp_pipeline_history_id=pipeline_history_id",
            "--map", "check:sourcebuild.status=sourcebuild_status",
            "--map", "check:sourcebuild.duration=sourcebuild_duration",
            "--map", "check:sourcedeploy.status=sourcedeploy_status",
            "--map", "check:sourcedeploy.duration=sourcedeploy_duration",
            "--default", "user_id=deploytrack",
            "--status-map", "cancelled=failed",
            "--status-map", "timed_out=failed");

    @TempDir
    Path dir;
    NcpEmulator ncp;
    Path db;

    @BeforeEach
    void start() throws Exception {
        ncp = NcpEmulator.start();
        ncp.addBuildProject(B, "web-build", "acme.kr.ncr.ntruss.com", "web", "3f2c1a9");
        ncp.addScenario(D, S, C);
        ncp.addPipeline(PL, "web-pipeline", PipelineTask.build(1, "build", B), PipelineTask.deploy(2, "deploy", D, S, C));
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        db = dir.resolve("paas.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            HostTable.create(c, false, LocalDateTime.ofInstant(now, HostTable.SEOUL), "1");
            // The host's pipeline column (its table has pipeline_id and pipeline_history_id beside build_id).
            s.execute("ALTER TABLE deployment_histories ADD COLUMN pipeline_history_id VARCHAR(255)");
        }
        Cli.Result adopt = cli().clock(Clock.fixed(now, ZoneOffset.UTC)).run(args("adopt", FLAGS, "--apply"));
        assertThat(adopt.code()).as(adopt.toString()).isZero();
    }

    @AfterEach
    void stop() {
        ncp.close();
    }

    Cli cli() {
        return new Cli().env("NCP_ACCESS_KEY", ncp.accessKey()).env("NCP_SECRET_KEY", ncp.secretKey())
                .env("NCP_ENDPOINT", ncp.baseUri().toString())
                .env("NCP_SOURCEBUILD_ENDPOINT", ncp.sourceBuildUri().toString())
                .env("NCP_SOURCEPIPELINE_ENDPOINT", ncp.sourcePipelineUri().toString());
    }

    String[] args(String command, List<String> flags, String... more) {
        List<String> a = new ArrayList<>(List.of("--db", db.toString()));
        a.addAll(List.of(command.split(" ")));
        a.addAll(flags);
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    String[] track(String command, String sha, String... more) {
        List<String> a = new ArrayList<>(List.of("--project", "acme/web", "--commit", sha, "--env", "default",
                "--interval", "100ms", "--timeout", "30s"));
        a.addAll(List.of(more));
        return args(command, a);
    }

    @Test
    void aPipelineRunFillsBothStagesColumnsAndItsIds() throws Exception {
        ncp.onBuild(B, NcpScript.of(step("prepare", Duration.ofMillis(300)), end("success")), null);
        ncp.onDeploy(C, NcpScript.of(step("inprogress", Duration.ofMillis(300)), end("success")));
        String sha = "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432";
        Cli.Result r = cli().run(track("ncp pipeline", sha, "--pipeline-id", "" + PL));
        assertThat(r.code()).as(r.toString()).isZero();
        Map<String, String> row = host(sha);
        assertThat(row).containsEntry("status", "success").containsEntry("sourcebuild_status", "success")
                .containsEntry("sourcedeploy_status", "success").containsEntry("sourcebuild_project_id", "" + B)
                .containsEntry("pipeline_history_id", "" + ncp.requests(RequestKind.PIPELINE_RUN).get(0).historyId());
        assertThat(row.get("build_id")).matches("[0-9a-f-]{36}");
        assertThat(row.get("sourcebuild_duration")).isNotNull();
        assertThat(row.get("sourcedeploy_duration")).isNotNull();
        assertThat(row.get("error_stage")).isNull();
    }

    @Test
    void aRunWhoseBuildFailsNamesTheStageAndLeavesTheDeployUnfilled() throws Exception {
        ncp.onBuild(B, NcpScript.of(step("prepare", Duration.ofMillis(300)), end("fail")), "post-build");
        String sha = "8f8e7d6c5b4a39281706f5e4d3c2b1a098765432";
        Cli.Result r = cli().run(track("ncp run", sha, "--build-project-id", "" + B, "--project-id", "" + D,
                "--stage-id", "" + S, "--scenario-id", "" + C));
        assertThat(r.code()).as(r.toString()).isEqualTo(6);
        Map<String, String> row = host(sha);
        assertThat(row).containsEntry("status", "failed").containsEntry("sourcebuild_status", "failed")
                .containsEntry("error_stage", "sourcebuild");
        assertThat(row.get("error_message")).contains("post-build");
        assertThat(row.get("build_id")).matches("[0-9a-f-]{36}");
        assertThat(row.get("sourcebuild_duration")).isNotNull();
    }

    private Map<String, String> host(String sha) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT status, sourcebuild_status, sourcebuild_duration, sourcedeploy_status, "
                     + "sourcedeploy_duration, sourcebuild_project_id, build_id, pipeline_history_id, error_stage, "
                     + "error_message FROM deployment_histories WHERE github_commit_sha = '" + sha + "'")) {
            assertThat(rs.next()).as("the row of " + sha).isTrue();
            Map<String, String> out = new LinkedHashMap<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                out.put(rs.getMetaData().getColumnName(i), rs.getString(i));
            }
            return out;
        }
    }
}
