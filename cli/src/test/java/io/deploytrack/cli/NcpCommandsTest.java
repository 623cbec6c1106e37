package io.deploytrack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.HistoryQuery;
import io.deploytrack.jdbc.JdbcHistoryStore;
import io.deploytrack.ncp.emulator.NcpEmulator;
import io.deploytrack.ncp.emulator.NcpScript;
import io.deploytrack.ncp.emulator.RequestKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static io.deploytrack.ncp.emulator.NcpScript.end;
import static io.deploytrack.ncp.emulator.NcpScript.step;
import static org.assertj.core.api.Assertions.assertThat;

/** ncp deploy and ncp track against the in-process SourceDeploy emulator (real HTTP, signatures checked). */
@Timeout(60)
class NcpCommandsTest {
    static final long P = 12;
    static final long STAGE = 34;
    static final long SCENARIO = 56;

    @TempDir
    Path dir;
    NcpEmulator ncp;

    @BeforeEach
    void start() {
        ncp = NcpEmulator.start();
        ncp.addScenario(P, STAGE, SCENARIO);
    }

    @AfterEach
    void stop() {
        ncp.close();
    }

    Cli cli() {
        return new Cli().env("NCP_ACCESS_KEY", ncp.accessKey()).env("NCP_SECRET_KEY", ncp.secretKey());
    }

    String[] deploy(String... more) {
        List<String> args = new ArrayList<>(List.of("--db", dir.resolve("history.db").toString(), "ncp", "deploy",
                "--project-id", String.valueOf(P), "--stage-id", String.valueOf(STAGE), "--scenario-id",
                String.valueOf(SCENARIO), "--project", "acme/web", "--commit", "3f2c1a9", "--endpoint",
                ncp.baseUri().toString(), "--interval", "100ms"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    Deployment stored() {
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(dir.resolve("history.db"))) {
            List<Deployment> all = store.list(HistoryQuery.all(10));
            assertThat(all).hasSize(1);
            return all.get(0);
        }
    }

    void secretNeverShown(Cli.Result r) {
        assertThat(r.out() + r.err()).doesNotContain(ncp.secretKey());
    }

    @Test
    void aSuccessfulDeploymentExits0AndIsStoredWithNcpTimes() throws Exception {
        ncp.onDeploy(SCENARIO, NcpScript.of(step("waiting", Duration.ofMillis(100)),
                step("inprogress", Duration.ofMillis(400)), end("success")));
        Cli.Result r = cli().run(deploy("--json", "--timeout", "20s"));
        assertThat(r.code()).as(r.toString()).isZero();
        secretNeverShown(r);
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("status").asText()).isEqualTo("success");
        assertThat(json.get("repo").asText()).isEqualTo("web");
        assertThat(json.get("totalDurationSeconds").asLong()).isBetween(0L, 2L);
        assertThat(r.err()).contains("#" + json.get("id").asLong(), "acme/web@3f2c1a9 (production): success");

        Deployment d = stored();
        long historyId = ncp.requests(RequestKind.DEPLOY).get(0).historyId();
        assertThat(d.status()).isEqualTo(DeploymentStatus.SUCCESS);
        assertThat(d.idempotencyKey()).isEqualTo("ncp:" + P + ":" + historyId);
        assertThat(d.attributes()).containsEntry("ncp_history_id", String.valueOf(historyId))
                .containsEntry("ncp_scenario_id", String.valueOf(SCENARIO));
        assertThat(d.deployedAt()).isEqualTo(d.completedAt());
        assertThat(d.checks().get(0).lastSourceStatus()).isEqualTo("success");
    }

    @Test
    void aFailedDeploymentExits6WithTheStageAndTheReason() {
        ncp.onDeploy(SCENARIO, NcpScript.of(step("inprogress", Duration.ofMillis(300)), end("fail")));
        Cli.Result r = cli().run(deploy());
        assertThat(r.code()).as(r.toString()).isEqualTo(6);
        assertThat(r.out()).contains("failed", "ncp:");
        Deployment d = stored();
        assertThat(d.status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(d.errorStage()).isEqualTo("ncp");
        assertThat(d.errorMessage()).contains("fail");
        assertThat(d.deployedAt()).isNull();
    }

    @Test
    void aCanceledDeploymentExits6AndIsStoredCancelled() {
        ncp.onDeploy(SCENARIO, NcpScript.of(step("inprogress", Duration.ofMillis(300)), end("canceled")));
        Cli.Result r = cli().run(deploy());
        assertThat(r.code()).as(r.toString()).isEqualTo(6);
        assertThat(stored().status()).isEqualTo(DeploymentStatus.CANCELLED);
        assertThat(r.out()).contains("cancelled");
    }

    @Test
    void aDeploymentThatNeverEndsTimesOutAtTheTimeoutAndExits6() {
        ncp.onDeploy(SCENARIO, NcpScript.of(step("inprogress", Duration.ofHours(2)), end("success")));
        Cli.Result r = cli().run(deploy("--timeout", "1s"));
        assertThat(r.code()).as(r.toString()).isEqualTo(6);
        Deployment d = stored();
        assertThat(d.status()).isEqualTo(DeploymentStatus.TIMED_OUT);
        assertThat(d.errorMessage()).contains("inprogress");
        assertThat(r.out()).contains("timed_out");
    }

    @Test
    void anApprovalIsAwaitedThenTheDeploymentIsFollowedToTheEnd() throws Exception {
        ncp.onDeploy(SCENARIO, NcpScript.of(step("inprogress", Duration.ofMillis(300)), end("success")));
        CompletableFuture<Cli.Result> run = CompletableFuture.supplyAsync(() ->
                cli().run(deploy("--request-approval", "--timeout", "20s", "--approval-timeout", "30s")));
        await("NCP to hold the request for approval", () -> !ncp.requests(RequestKind.DEPLOY_REQUEST).isEmpty()
                && "pending".equals(ncp.status(P, ncp.requests(RequestKind.DEPLOY_REQUEST).get(0).historyId())));
        long historyId = ncp.requests(RequestKind.DEPLOY_REQUEST).get(0).historyId();
        await("the tracker to see it waiting", () -> dbHasAwaitingApproval());
        ncp.approve(P, historyId);
        Cli.Result r = run.get(30, TimeUnit.SECONDS);
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("pending (awaiting approval)", "success");
        assertThat(stored().status()).isEqualTo(DeploymentStatus.SUCCESS);
    }

    @Test
    void anApprovalThatNeverComesTimesOutAtTheApprovalTimeout() {
        Cli.Result r = cli().run(deploy("--request-approval", "--approval-timeout", "1s"));
        assertThat(r.code()).as(r.toString()).isEqualTo(6);
        Deployment d = stored();
        assertThat(d.status()).isEqualTo(DeploymentStatus.TIMED_OUT);
        assertThat(d.errorMessage()).contains("pending");
    }

    @Test
    void trackFollowsADeploymentStartedElsewhere() {
        long historyId = ncp.createHistory(P, NcpScript.of(step("inprogress", Duration.ofMillis(300)), end("success")));
        Cli.Result r = cli().env("NCP_ENDPOINT", ncp.baseUri().toString()).run("--db", dir.resolve("history.db").toString(),
                "ncp", "track", "--project-id", String.valueOf(P), "--history-id", String.valueOf(historyId),
                "--project", "acme/web", "--commit", "3f2c1a9", "--env", "staging", "--interval", "100ms");
        assertThat(r.code()).as(r.toString()).isZero();
        Deployment d = stored();
        assertThat(d.status()).isEqualTo(DeploymentStatus.SUCCESS);
        assertThat(d.environment()).isEqualTo("staging");
        assertThat(d.idempotencyKey()).isEqualTo("ncp:" + P + ":" + historyId);
    }

    @Test
    void credentialsComeOnlyFromTheEnvironmentAndAreNeverPrinted() {
        Cli.Result none = new Cli().run(deploy());
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err().lines()).hasSize(1);
        assertThat(none.err()).contains("NCP_ACCESS_KEY", "NCP_SECRET_KEY");

        Cli.Result wrong = new Cli().env("NCP_ACCESS_KEY", ncp.accessKey()).env("NCP_SECRET_KEY", "not-the-secret-key")
                .run(deploy("--verbose"));
        assertThat(wrong.code()).as(wrong.toString()).isEqualTo(1);
        assertThat(wrong.err().lines().findFirst().orElseThrow()).contains("NCP SourceDeploy did not start");
        assertThat(wrong.out() + wrong.err()).doesNotContain("not-the-secret-key", ncp.secretKey());

        Cli.Result badEndpoint = cli().run("--db", dir.resolve("history.db").toString(), "ncp", "track",
                "--project-id", "1", "--history-id", "2", "--project", "acme/web", "--commit", "3f2c1a9", "--endpoint", "ftp://x");
        assertThat(badEndpoint.code()).isEqualTo(2);
        assertThat(badEndpoint.err()).contains("--endpoint", "expected an http or https base URL");
    }

    @Test
    void repairAsksNcpAboutAStaleRowAndTakesItsTimes() {
        long ended = ncp.createHistory(P, NcpScript.of(step("inprogress", Duration.ofMillis(200)), end("success")));
        long unknown = 999_999;
        await("NCP to end the deployment", () -> "success".equals(ncp.status(P, ended)));
        java.time.Instant start = java.time.Instant.now().minus(Duration.ofHours(1));
        Deployment fromNcp;
        Deployment gone;
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(dir.resolve("history.db"))) {
            fromNcp = Fixtures.running(store, "acme/web", "production", "aaaaaaa", start,
                    io.deploytrack.ncp.NcpPollingSource.ref(P, ended), Duration.ofMinutes(5), "crashed", Duration.ofMillis(1));
            gone = Fixtures.running(store, "acme/api", "production", "bbbbbbb", start,
                    io.deploytrack.ncp.NcpPollingSource.ref(P, unknown), Duration.ofMinutes(5), "crashed", Duration.ofMillis(1));
        }
        Cli ncpCli = cli().env("NCP_ENDPOINT", ncp.baseUri().toString());
        Cli.Result plan = ncpCli.run("--db", dir.resolve("history.db").toString(), "repair");
        assertThat(plan.out()).contains("ask ncp about check 'ncp'");
        Cli.Result r = ncpCli.run("--db", dir.resolve("history.db").toString(), "repair", "--apply");
        assertThat(r.code()).as(r.toString()).isZero();
        secretNeverShown(r);
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(dir.resolve("history.db"))) {
            Deployment ok = store.find(fromNcp.id()).orElseThrow();
            assertThat(ok.status()).isEqualTo(DeploymentStatus.SUCCESS);
            assertThat(ok.deployedAt()).isAfter(start.plus(Duration.ofMinutes(30)));
            assertThat(ok.checks().get(0).lastSourceStatus()).isEqualTo("success");
            Deployment timedOut = store.find(gone.id()).orElseThrow();
            assertThat(timedOut.status()).isEqualTo(DeploymentStatus.TIMED_OUT);
            assertThat(timedOut.errorMessage()).contains("could not be asked");
        }
        Cli.Result withoutCredentials = new Cli().run("--db", dir.resolve("history.db").toString(), "repair");
        assertThat(withoutCredentials.out()).contains("nothing to repair");
    }

    private boolean dbHasAwaitingApproval() {
        Path db = dir.resolve("history.db");
        if (!java.nio.file.Files.exists(db)) {
            return false;
        }
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(db)) {
            return store.list(HistoryQuery.all(10)).stream()
                    .anyMatch(d -> !d.checks().isEmpty() && d.checks().get(0).awaitingApproval());
        }
    }

    /** Bounded polling: parks between looks, fails after 20 seconds. */
    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited 20 s for " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }
}
