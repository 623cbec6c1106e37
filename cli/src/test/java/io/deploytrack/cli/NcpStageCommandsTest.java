package io.deploytrack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.DeploymentHandle;
import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.HistoryQuery;
import io.deploytrack.ncp.NcpBuildPollingSource;
import io.deploytrack.ncp.NcpBuilds;
import io.deploytrack.ncp.NcpClient;
import io.deploytrack.ncp.NcpCredentials;
import io.deploytrack.ncp.NcpEndpoint;
import io.deploytrack.ncp.NcpPipelinePollingSource;
import io.deploytrack.ncp.NcpPipelines;
import io.deploytrack.ncp.NcpPollingSource;
import io.deploytrack.jdbc.JdbcHistoryStore;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static io.deploytrack.ncp.emulator.NcpScript.end;
import static io.deploytrack.ncp.emulator.NcpScript.step;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * ncp build, run, pipeline and track-pipeline through the real command against the emulator's three services, each on
 * its own port, given as the three base URLs of the environment (NCP_ENDPOINT, NCP_SOURCEBUILD_ENDPOINT,
 * NCP_SOURCEPIPELINE_ENDPOINT).
 */
@Timeout(60)
class NcpStageCommandsTest {
    static final long B = 14;
    static final long D = 12;
    static final long S = 34;
    static final long C = 56;
    static final long PL = 54;

    @TempDir
    Path dir;
    NcpEmulator ncp;

    @BeforeEach
    void start() {
        ncp = NcpEmulator.start();
        ncp.addBuildProject(B, "web-build", "acme.kr.ncr.ntruss.com", "web", "3f2c1a9");
        ncp.addScenario(D, S, C);
        ncp.addPipeline(PL, "web-pipeline", PipelineTask.build(1, "build", B), PipelineTask.deploy(2, "deploy", D, S, C));
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

    String[] args(String command, String... more) {
        List<String> a = new ArrayList<>(List.of("--db", dir.resolve("history.db").toString(), "ncp", command,
                "--project", "acme/web", "--commit", "3f2c1a9", "--interval", "100ms"));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    String[] run(String... more) {
        List<String> a = new ArrayList<>(List.of("--build-project-id", "" + B, "--project-id", "" + D, "--stage-id",
                "" + S, "--scenario-id", "" + C));
        a.addAll(List.of(more));
        return args("run", a.toArray(String[]::new));
    }

    Deployment stored() {
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(dir.resolve("history.db"))) {
            List<Deployment> all = store.list(HistoryQuery.all(10));
            assertThat(all).hasSize(1);
            return all.get(0);
        }
    }

    static Instant at(JsonNode n) {
        return Instant.parse(n.asText());
    }

    @Test
    void runBuildsThenDeploysAsTwoStagesAndShowListsThemInOrder() throws Exception {
        ncp.onBuild(B, NcpScript.of(step("prepare", Duration.ofMillis(400)), step("upload", Duration.ofMillis(200)),
                end("success")), null);
        ncp.onDeploy(C, NcpScript.of(step("inprogress", Duration.ofMillis(400)), end("success")));
        Cli.Result r = cli().run(run("--json", "--timeout", "20s"));
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out() + r.err()).doesNotContain(ncp.secretKey());
        assertThat(r.err()).contains("sourcebuild prepare").contains("sourcedeploy inprogress");
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("status").asText()).isEqualTo("success");
        JsonNode stages = json.get("stages");
        assertThat(stages).hasSize(2);
        assertThat(stages.get(0).get("name").asText()).isEqualTo("sourcebuild");
        assertThat(stages.get(1).get("name").asText()).isEqualTo("sourcedeploy");
        assertThat(stages.get(0).get("status").asText()).isEqualTo("success");
        assertThat(stages.get(1).get("status").asText()).isEqualTo("success");
        assertThat(at(stages.get(1).get("startedAt"))).as("the deploy starts after the build ended")
                .isAfterOrEqualTo(at(stages.get(0).get("completedAt")));
        assertThat(stages.get(0).get("durationSeconds").asDouble()).isBetween(0.5, 5.0);
        assertThat(ncp.requests(RequestKind.DEPLOY)).hasSize(1);

        Cli.Result show = cli().run("--db", dir.resolve("history.db").toString(), "show", json.get("id").asText(), "--json");
        JsonNode shown = new ObjectMapper().readTree(show.out()).get("stages");
        assertThat(shown).hasSize(2);
        assertThat(shown.get(0).get("name").asText()).isEqualTo("sourcebuild");
        assertThat(shown.get(0).get("startedAt").asText()).isEqualTo(stages.get(0).get("startedAt").asText());
        assertThat(shown.get(1).get("completedAt").asText()).isEqualTo(stages.get(1).get("completedAt").asText());
        assertThat(stored().attributes()).containsEntry("ncp_build_image", "acme.kr.ncr.ntruss.com/web:3f2c1a9");
    }

    @Test
    void aFailedBuildExits6AtStageSourcebuildWithItsPhaseAndNothingIsDeployed() {
        ncp.onBuild(B, NcpScript.of(step("prepare", Duration.ofMillis(300)), end("fail")), "post-build");
        Cli.Result r = cli().run(run("--timeout", "20s"));
        assertThat(r.code()).as(r.toString()).isEqualTo(6);
        Deployment d = stored();
        assertThat(d.status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(d.errorStage()).isEqualTo("sourcebuild");
        assertThat(d.errorMessage()).contains("failed in post-build");
        assertThat(r.out()).contains("sourcebuild: ").contains("post-build");
        assertThat(ncp.requests(RequestKind.DEPLOY)).isEmpty();
    }

    @Test
    void aFailedDeployExits6AtStageSourcedeploy() {
        ncp.onBuild(B, NcpScript.of(step("prepare", Duration.ofMillis(200)), end("success")), null);
        ncp.onDeploy(C, NcpScript.of(step("inprogress", Duration.ofMillis(200)), end("fail")));
        Cli.Result r = cli().run(run("--timeout", "20s"));
        assertThat(r.code()).as(r.toString()).isEqualTo(6);
        Deployment d = stored();
        assertThat(d.errorStage()).isEqualTo("sourcedeploy");
        assertThat(d.stages().get(0).status()).isEqualTo(DeploymentStatus.SUCCESS);
    }

    @Test
    void buildTracksOneBuildToItsEnd() {
        ncp.onBuild(B, NcpScript.of(step("prepare", Duration.ofMillis(300)), end("success")), null);
        Cli.Result r = cli().run(args("build", "--build-project-id", "" + B, "--timeout", "20s"));
        assertThat(r.code()).as(r.toString()).isZero();
        Deployment d = stored();
        assertThat(d.stages()).extracting(c -> c.name()).containsExactly("sourcebuild");
        assertThat(d.attributes()).containsKey("ncp_build_id");
    }

    @Test
    void pipelineTracksARunWhoseStagesAreItsTasks() throws Exception {
        ncp.onBuild(B, NcpScript.of(step("prepare", Duration.ofMillis(300)), end("success")), null);
        ncp.onDeploy(C, NcpScript.of(step("inprogress", Duration.ofMillis(300)), end("success")));
        Cli.Result r = cli().run(args("pipeline", "--pipeline-id", "" + PL, "--json", "--timeout", "20s"));
        assertThat(r.code()).as(r.toString()).isZero();
        JsonNode stages = new ObjectMapper().readTree(r.out()).get("stages");
        assertThat(stages).extracting(s -> s.get("name").asText()).containsExactly("sourcebuild", "sourcedeploy");
        assertThat(stages).allSatisfy(s -> assertThat(s.get("status").asText()).isEqualTo("success"));
        assertThat(r.err()).contains("sourcebuild prepare").contains("sourcedeploy inprogress");
        Deployment d = stored();
        assertThat(d.attributes()).containsEntry("ncp_pipeline_id", "" + PL)
                .containsEntry("ncp_pipeline_history_id", "" + ncp.requests(RequestKind.PIPELINE_RUN).get(0).historyId());
        assertThat(ncp.requests(RequestKind.DEPLOY)).as("the pipeline deploys, not deploytrack").isEmpty();
    }

    @Test
    void aPipelineWhoseDeployFailsExits6AtStageSourcedeploy() {
        ncp.onBuild(B, NcpScript.of(step("prepare", Duration.ofMillis(200)), end("success")), null);
        ncp.onDeploy(C, NcpScript.of(step("inprogress", Duration.ofMillis(200)), end("fail")));
        Cli.Result r = cli().run(args("pipeline", "--pipeline-id", "" + PL, "--timeout", "20s"));
        assertThat(r.code()).as(r.toString()).isEqualTo(6);
        assertThat(stored().errorStage()).isEqualTo("sourcedeploy");
    }

    @Test
    void trackPipelineFollowsARunStartedElsewhere() throws Exception {
        ncp.onBuild(B, NcpScript.of(step("prepare", Duration.ofMillis(200)), end("fail")), "build");
        // A run started by another command (and another database): track-pipeline picks it up by its ids.
        Cli.Result started = cli().run(args("pipeline", "--pipeline-id", "" + PL, "--timeout", "20s"));
        assertThat(started.code()).isEqualTo(6);
        long run = ncp.requests(RequestKind.PIPELINE_RUN).get(0).historyId();
        Path other = dir.resolve("other.db");
        Cli.Result r = cli().run("--db", other.toString(), "ncp", "track-pipeline", "--pipeline-id", "" + PL,
                "--history-id", "" + run, "--project", "acme/web", "--commit", "3f2c1a9", "--interval", "100ms",
                "--json");
        assertThat(r.code()).as(r.toString()).isEqualTo(6);
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("errorStage").asText()).isEqualTo("sourcebuild");
        assertThat(json.get("errorMessage").asText()).contains("failed in build");
    }

    @Test
    void resumeFollowsARunLeftInTheMiddleFromTheStageItWasIn() {
        ncp.onBuild(B, NcpScript.of(step("prepare", Duration.ofMillis(200)), end("success")), null);
        ncp.onDeploy(C, NcpScript.of(step("inprogress", Duration.ofSeconds(2)), end("success")));
        Path db = dir.resolve("history.db");
        NcpClient client = NcpClient.builder().endpoint(NcpEndpoint.of(ncp.baseUri().toString(),
                ncp.sourceBuildUri().toString(), ncp.sourcePipelineUri().toString()))
                .credentials(NcpCredentials.of(ncp.accessKey(), ncp.secretKey())).build();
        NcpPipelinePollingSource pipelines = NcpPipelinePollingSource.builder(client)
                .pollInterval(Duration.ofMillis(100)).build();
        long id;
        // A process that ran the pipeline and stopped while the deploy ran.
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(db);
             DeploymentTracker first = DeploymentTracker.builder(store).discoverSources(false)
                     .source(NcpPollingSource.of(client)).source(pipelines).pollInterval(Duration.ofMillis(100))
                     .leaseDuration(Duration.ofSeconds(1)).build().start()) {
            DeploymentHandle h = NcpPipelines.of(pipelines, first).runAndTrack(
                    DeploymentRequest.builder("acme", "web", "3f2c1a9").build(), PL, Duration.ofSeconds(30)).join();
            id = h.id();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!Objects.equals("inprogress", first.history().find(id).flatMap(d -> d.check("sourcedeploy"))
                    .map(c -> c.lastSourceStatus()).orElse(null))) {
                assertThat(System.nanoTime()).as("the deploy stage seen running").isLessThan(deadline);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
        }
        Cli.Result r = cli().run("--db", db.toString(), "resume", "--until-idle", "--interval", "100ms");
        assertThat(r.code()).as(r.toString()).isZero();
        Deployment d = stored();
        assertThat(d.id()).isEqualTo(id);
        assertThat(d.status()).isEqualTo(DeploymentStatus.SUCCESS);
        assertThat(d.stages()).extracting(c -> c.status()).containsOnly(DeploymentStatus.SUCCESS);
    }

    @Test
    void resumeStartsTheDeployOfARunLeftWhileItsBuildRan() {
        ncp.onBuild(B, NcpScript.of(step("prepare", Duration.ofSeconds(2)), end("success")), null);
        ncp.onDeploy(C, NcpScript.of(step("inprogress", Duration.ofMillis(300)), end("success")));
        Path db = dir.resolve("history.db");
        NcpClient client = NcpClient.builder().endpoint(NcpEndpoint.of(ncp.baseUri().toString(),
                ncp.sourceBuildUri().toString(), ncp.sourcePipelineUri().toString()))
                .credentials(NcpCredentials.of(ncp.accessKey(), ncp.secretKey())).build();
        long id;
        // A process that started the build (ncp run) and stopped while it ran: nobody is left to start the deploy.
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(db);
             DeploymentTracker first = DeploymentTracker.builder(store).discoverSources(false)
                     .source(NcpPollingSource.of(client)).source(NcpBuildPollingSource.of(client))
                     .pollInterval(Duration.ofMillis(100)).leaseDuration(Duration.ofSeconds(1)).build().start()) {
            id = NcpBuilds.of(client, first).buildThenDeploy(DeploymentRequest.builder("acme", "web", "3f2c1a9").build(),
                    B, D, S, C, Duration.ofSeconds(30), Duration.ofSeconds(30)).join().id();
        }
        assertThat(ncp.requests(RequestKind.DEPLOY)).isEmpty();
        Cli.Result r = cli().run("--db", db.toString(), "resume", "--until-idle", "--interval", "100ms");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("starts scenario " + C + " of project " + D + " once its build succeeded");
        Deployment d = stored();
        assertThat(d.id()).isEqualTo(id);
        assertThat(d.status()).isEqualTo(DeploymentStatus.SUCCESS);
        assertThat(d.stages()).extracting(c -> c.status()).containsExactly(DeploymentStatus.SUCCESS,
                DeploymentStatus.SUCCESS);
        assertThat(ncp.requests(RequestKind.DEPLOY)).hasSize(1);
    }
}
