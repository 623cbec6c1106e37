package io.deploytrack.ncp;

import io.deploytrack.ncp.emulator.EmulatorRequest;
import io.deploytrack.core.testkit.ManualClock;
import io.deploytrack.ncp.emulator.NcpEmulator;
import io.deploytrack.ncp.emulator.NcpScript;
import io.deploytrack.ncp.emulator.RequestKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static io.deploytrack.ncp.emulator.NcpScript.end;
import static io.deploytrack.ncp.emulator.NcpScript.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every SourceDeploy call, over real HTTP, against the emulator. */
class NcpClientTest {

    private static final Instant T0 = Instant.parse("2025-03-01T09:00:00Z");

    private final ManualClock clock = ManualClock.of(T0);
    private NcpEmulator emulator;
    private NcpClient client;

    @BeforeEach
    void start() {
        emulator = NcpEmulator.builder().clock(clock).credentials("CLIENTTESTKEY", "client-test-secret").start();
        emulator.addProject(1234, "shop");
        emulator.addScenario(1234, 56, "production", 78, "deploy-all");
        client = NcpClient.builder().baseUri(emulator.baseUri())
                .credentials(NcpCredentials.of(emulator.accessKey(), emulator.secretKey()))
                .clock(clock).userAgent("ncp-client-test").build();
    }

    @AfterEach
    void stop() {
        client.close();
        emulator.close();
    }

    @Test
    void aClosedClientSendsNothingAndSaysSo() {
        long id = client.startDeployment(1234, 56, 78).join();
        client.close();
        client.close();

        assertThat(client.getHistory(1234, id)).failsWithin(Duration.ofSeconds(5)).withThrowableThat()
                .havingRootCause().isInstanceOf(IllegalStateException.class)
                .withMessageContaining("NcpClient is closed");
        assertThat(emulator.requests(RequestKind.DETAIL)).isEmpty();
    }

    @Test
    void startsAndFollowsADeploymentToSuccess() {
        emulator.onDeploy(78, NcpScript.of(step("waiting", Duration.ofSeconds(2)),
                step("inprogress", Duration.ofSeconds(30)), end("success")));
        long id = client.startDeployment(1234, 56, 78).join();

        NcpHistory running = client.getHistory(1234, id).join();
        assertThat(running.id()).isEqualTo(id);
        assertThat(running.statusWord()).isEqualTo("waiting");
        assertThat(running.status()).contains(NcpStatus.WAITING);
        assertThat(running.startTime()).isEqualTo(T0);
        assertThat(running.endTime()).isNull();
        assertThat(running.project()).isEqualTo(new NcpRef(1234, "shop"));
        assertThat(running.stage()).isEqualTo(new NcpRef(56, "production"));
        assertThat(running.scenario()).isEqualTo(new NcpRef(78, "deploy-all"));
        assertThat(running.executor()).isNotBlank();
        assertThat(running.type()).isNotBlank();

        clock.advance(Duration.ofSeconds(5));
        assertThat(client.getHistory(1234, id).join().status()).contains(NcpStatus.INPROGRESS);
        clock.advance(Duration.ofMinutes(2));
        NcpHistory done = client.getHistory(1234, id).join();
        assertThat(done.status()).contains(NcpStatus.SUCCESS);
        assertThat(done.endTime()).isEqualTo(T0.plusSeconds(32));

        EmulatorRequest deploy = emulator.requests(RequestKind.DEPLOY).get(0);
        assertThat(deploy.method()).isEqualTo("POST");
        assertThat(deploy.path()).isEqualTo("/api/v1/project/1234/stage/56/scenario/78/deploy");
        assertThat(deploy.userAgent()).isEqualTo("ncp-client-test");
        assertThat(deploy.accessKey()).isEqualTo("CLIENTTESTKEY");
    }

    @Test
    void requestedDeploymentWaitsForApproval() {
        emulator.onDeploy(78, NcpScript.of(step("inprogress", Duration.ofSeconds(10)), end("fail")));
        long id = client.requestDeployment(1234, 56, 78).join();
        assertThat(emulator.requests(RequestKind.DEPLOY_REQUEST)).hasSize(1);
        NcpHistory pending = client.getHistory(1234, id).join();
        assertThat(pending.status()).contains(NcpStatus.PENDING);
        assertThat(pending.status().orElseThrow().awaitsApproval()).isTrue();

        client.approve(1234, id).join();
        assertThat(client.getHistory(1234, id).join().status()).contains(NcpStatus.INPROGRESS);
        clock.advance(Duration.ofSeconds(10));
        NcpHistory failed = client.getHistory(1234, id).join();
        assertThat(failed.status().flatMap(NcpStatus::outcome)).contains(NcpStatus.Outcome.FAILED);
        assertThat(failed.endTime()).isEqualTo(T0.plusSeconds(10));
    }

    @Test
    void cancelReturnsNcpsResult() {
        long running = emulator.createHistory(1234, NcpScript.of(step("inprogress", Duration.ofMinutes(5)), end("success")));
        long finished = emulator.createHistory(1234, NcpScript.of(end("success")));
        assertThat(client.cancel(1234, running).join()).isTrue();
        assertThat(client.getHistory(1234, running).join().status()).contains(NcpStatus.CANCELING);
        clock.advance(Duration.ofMinutes(1));
        assertThat(client.getHistory(1234, running).join().status().flatMap(NcpStatus::outcome))
                .contains(NcpStatus.Outcome.CANCELLED);
        assertThat(client.cancel(1234, finished).join()).isFalse();
    }

    @Test
    void listPagesFindEntriesByIdWhateverTheOrder() {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(emulator.createHistory(1234, 56, 78, NcpScript.of(end(i == 2 ? "fail" : "success"))));
        }
        NcpHistoryPage first = client.listHistories(1234, 1, 3).join();
        NcpHistoryPage second = client.listHistories(1234, 2, 3).join();
        assertThat(first.histories()).hasSize(3);
        assertThat(first.mayHaveMore()).isTrue();
        assertThat(second.histories()).hasSize(2);
        assertThat(second.mayHaveMore()).isFalse();
        Set<Long> listed = new HashSet<>();
        first.histories().forEach(h -> listed.add(h.id()));
        second.histories().forEach(h -> listed.add(h.id()));
        assertThat(listed).containsExactlyInAnyOrderElementsOf(ids);

        NcpHistorySummary failed = (first.find(ids.get(2)).isPresent() ? first : second).find(ids.get(2)).orElseThrow();
        assertThat(failed.status()).contains(NcpStatus.FAIL);
        assertThat(failed.startTime()).isEqualTo(T0);
        assertThat(failed.scenario()).isEqualTo(new NcpRef(78, "deploy-all"));
        assertThat(emulator.requests(RequestKind.LIST).get(0).query()).isEqualTo("pageNo=1&pageSize=3");
    }

    @Test
    void argumentsAreValidatedBeforeAnyRequest() {
        assertThatThrownBy(() -> client.getHistory(0, 5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("projectId must be a positive number, got 0");
        assertThatThrownBy(() -> client.cancel(1, -7)).hasMessage("historyId must be a positive number, got -7");
        assertThatThrownBy(() -> client.startDeployment(1, 2, 0)).hasMessageContaining("scenarioId");
        assertThatThrownBy(() -> client.listHistories(1, 1, 101)).hasMessageContaining("pageSize must be from 1 to 100")
                .hasMessageContaining("101");
        assertThatThrownBy(() -> client.listHistories(1, 0, 10)).hasMessageContaining("pageNo must be 1 or more, got 0");
        assertThat(emulator.requestCount()).isZero();
    }

    @Test
    void missingCredentialsFailAtBuildNamingTheVariable() {
        // This test cannot set environment variables; it only runs its check when they are absent.
        if (System.getenv("NCP_ACCESS_KEY") == null) {
            assertThatThrownBy(() -> NcpClient.builder().baseUri(emulator.baseUri()).build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("NCP_ACCESS_KEY");
        }
        assertThatThrownBy(() -> NcpClient.builder().credentials(NcpCredentials.of("a", "b"))
                .httpClient(java.net.http.HttpClient.newHttpClient()).connectTimeout(Duration.ofSeconds(1)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("connectTimeout");
        assertThatThrownBy(() -> NcpClient.builder().requestTimeout(Duration.ZERO)).hasMessageContaining("requestTimeout");
        assertThat(NcpClient.builder().credentials(NcpCredentials.of("a", "b")).build().endpoint())
                .isEqualTo(NcpEndpoint.VPC);
    }

    @Test
    void manyConcurrentCallsThroughASmallLimitAllComplete() {
        NcpClient narrow = NcpClient.builder().baseUri(emulator.baseUri())
                .credentials(NcpCredentials.of(emulator.accessKey(), emulator.secretKey()))
                .clock(clock).maxConcurrentRequests(3).build();
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            ids.add(emulator.createHistory(1234, NcpScript.of(end("success"))));
        }
        List<CompletableFuture<NcpHistory>> calls = ids.stream().map(id -> narrow.getHistory(1234, id)).toList();
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
        for (int i = 0; i < ids.size(); i++) {
            assertThat(calls.get(i).join().id()).isEqualTo(ids.get(i));
        }
        assertThat(emulator.detailCalls()).isEqualTo(60);
    }
}
