package io.deploytrack.ncp.emulator;

import io.deploytrack.core.testkit.ManualClock;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
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

class NcpEmulatorTest {

    private static final Instant T0 = Instant.parse("2025-01-15T10:00:00Z");

    private final ManualClock clock = ManualClock.of(T0);
    private NcpEmulator emulator;
    private SignedHttp http;

    @BeforeEach
    void start() {
        emulator = NcpEmulator.builder().clock(clock).credentials("TESTACCESS01", "test-secret-value-1").start();
        http = new SignedHttp(emulator, clock);
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    private static String detail(long project, long history) {
        return "/api/v1/project/" + project + "/history/" + history;
    }

    @Test
    void refusesWrongSecretSkewedTimestampAndUnsignedQuery() {
        long id = emulator.createHistory(7, NcpScript.of(end("success")));
        assertThat(http.get(detail(7, id)).statusCode()).isEqualTo(200);

        HttpResponse<String> wrongSecret = http.withSecret("not-the-secret").get(detail(7, id));
        assertThat(wrongSecret.statusCode()).isEqualTo(401);
        JsonNode error = SignedHttp.json(wrongSecret).get("error");
        assertThat(error.get("errorCode").textValue()).isEqualTo("200");
        assertThat(error.get("message").textValue()).isEqualTo("Authentication Failed");

        ManualClock late = ManualClock.of(T0.plus(Duration.ofMinutes(5)));
        assertThat(http.withClock(late).get(detail(7, id)).statusCode()).isEqualTo(401);
        ManualClock early = ManualClock.of(T0.minus(Duration.ofMinutes(5)));
        assertThat(http.withClock(early).get(detail(7, id)).statusCode()).isEqualTo(401);
        ManualClock almost = ManualClock.of(T0.plus(Duration.ofMinutes(5)).minusMillis(1));
        assertThat(http.withClock(almost).get(detail(7, id)).statusCode()).isEqualTo(200);

        // Signing the path without its query is the classic mistake; the gateway refuses it.
        String list = "/api/v1/project/7/history?pageNo=1&pageSize=10";
        assertThat(http.send(http.request("GET", list, "/api/v1/project/7/history")).statusCode()).isEqualTo(401);
        assertThat(http.get(list).statusCode()).isEqualTo(200);
    }

    @Test
    void scriptProgressesWithTheClockAndEndTimeIsWhenTheFinalStepBegan() {
        emulator.addScenario(7, 2, "prod", 3, "deploy-all");
        emulator.onDeploy(3, NcpScript.of(step("waiting", Duration.ofSeconds(2)),
                step("inprogress", Duration.ofSeconds(20)), end("success")));
        long id = http.postJson("/api/v1/project/7/stage/2/scenario/3/deploy").get("result").get("historyId").longValue();

        JsonNode first = http.getJson(detail(7, id)).get("result");
        assertThat(first.get("id").isNumber()).isTrue();
        assertThat(first.get("id").longValue()).isEqualTo(id);
        assertThat(first.get("status").textValue()).isEqualTo("waiting");
        assertThat(first.get("startTime").longValue()).isEqualTo(T0.toEpochMilli());
        assertThat(first.get("endTime").isNull()).isTrue();
        assertThat(first.get("stage").get("name").textValue()).isEqualTo("prod");
        assertThat(first.get("scenario").get("id").longValue()).isEqualTo(3);
        assertThat(first.get("executor").textValue()).isNotBlank();

        clock.advance(Duration.ofSeconds(2));
        assertThat(emulator.status(7, id)).isEqualTo("inprogress");
        clock.advance(Duration.ofSeconds(19));
        assertThat(http.getJson(detail(7, id)).get("result").get("status").textValue()).isEqualTo("inprogress");

        // Looked at long after the end: the end time is still the moment it ended.
        clock.advance(Duration.ofMinutes(10));
        JsonNode done = http.getJson(detail(7, id)).get("result");
        assertThat(done.get("status").textValue()).isEqualTo("success");
        assertThat(done.get("endTime").longValue()).isEqualTo(T0.plusSeconds(22).toEpochMilli());
    }

    @Test
    void pendingWaitsForApprovalThenGoesOn() {
        emulator.addScenario(7, 2, 3);
        emulator.onDeploy(3, NcpScript.of(step("inprogress", Duration.ofSeconds(5)), end("fail")));
        long id = http.postJson("/api/v1/project/7/stage/2/scenario/3/deploy/request")
                .get("result").get("historyId").longValue();

        clock.advance(Duration.ofHours(3));
        assertThat(emulator.status(7, id)).isEqualTo("pending");

        JsonNode approved = http.postJson(detail(7, id) + "/approval/accept");
        assertThat(approved.has("result")).isTrue();
        assertThat(emulator.status(7, id)).isEqualTo("inprogress");
        HttpResponse<String> again = http.post(detail(7, id) + "/approval/accept");
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(again.body()).contains("not waiting for approval");

        clock.advance(Duration.ofSeconds(5));
        JsonNode done = http.getJson(detail(7, id)).get("result");
        assertThat(done.get("status").textValue()).isEqualTo("fail");
        assertThat(done.get("endTime").longValue()).isEqualTo(T0.plus(Duration.ofHours(3)).plusSeconds(5).toEpochMilli());
    }

    @Test
    void cancelGoesThroughCancelingToCanceledAndFinishedOnesCannotBeCanceled() {
        NcpEmulator quickCancel = NcpEmulator.builder().clock(clock).cancelDuration(Duration.ofSeconds(3)).start();
        try (quickCancel) {
            SignedHttp client = new SignedHttp(quickCancel, clock);
            long running = quickCancel.createHistory(7, NcpScript.of(step("inprogress", Duration.ofMinutes(1)), end("success")));
            long finished = quickCancel.createHistory(7, NcpScript.of(end("success")));

            assertThat(client.postJson(detail(7, running) + "/cancel").get("result").get("result").booleanValue()).isTrue();
            assertThat(quickCancel.status(7, running)).isEqualTo("canceling");
            clock.advance(Duration.ofSeconds(3));
            JsonNode canceled = client.getJson(detail(7, running)).get("result");
            assertThat(canceled.get("status").textValue()).isEqualTo("canceled");
            assertThat(canceled.get("endTime").longValue()).isEqualTo(T0.plusSeconds(3).toEpochMilli());

            assertThat(client.postJson(detail(7, finished) + "/cancel").get("result").get("result").booleanValue()).isFalse();
            assertThat(quickCancel.status(7, finished)).isEqualTo("success");
        }
    }

    @Test
    void unknownProjectHistoryOrPathIsNotFoundWithNcpErrorBody() {
        long id = emulator.createHistory(7, NcpScript.of(end("success")));
        HttpResponse<String> noHistory = http.get(detail(7, id + 1000));
        assertThat(noHistory.statusCode()).isEqualTo(404);
        assertThat(SignedHttp.json(noHistory).get("error").get("errorCode").textValue()).isEqualTo("300");
        assertThat(http.get(detail(8, id)).statusCode()).isEqualTo(404);
        assertThat(http.post("/api/v1/project/8/stage/1/scenario/1/deploy").statusCode()).isEqualTo(404);
        assertThat(http.post("/api/v1/project/7/stage/9/scenario/1/deploy").statusCode()).isEqualTo(404);
        assertThat(http.get("/api/v1/project/7/somewhere").statusCode()).isEqualTo(404);
        assertThat(http.get("/api/v1/project/7/history?pageSize=101").statusCode()).isEqualTo(400);

        try (NcpEmulator numeric = NcpEmulator.builder().clock(clock).numericErrorCodes(true).start()) {
            JsonNode error = SignedHttp.json(new SignedHttp(numeric, clock).get(detail(1, 1))).get("error");
            assertThat(error.get("errorCode").isInt()).isTrue();
            assertThat(error.get("errorCode").intValue()).isEqualTo(300);
        }
    }

    @Test
    void listInterleavesScenariosIsNotSortedAndPagesCoverEveryHistoryOnce() {
        emulator.addScenario(7, 1, 10);
        emulator.addScenario(7, 2, 20);
        List<Long> created = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            created.add(emulator.createHistory(7, 1 + i % 2, 10 * (1 + i % 2), NcpScript.of(end("success"))));
        }
        emulator.createHistory(99, NcpScript.of(end("success"))); // another project's: never listed here

        List<Long> seen = new ArrayList<>();
        for (int page = 1; page <= 3; page++) {
            JsonNode list = http.getJson("/api/v1/project/7/history?pageNo=" + page + "&pageSize=3")
                    .get("result").get("historyList");
            assertThat(list.size()).isEqualTo(page < 3 ? 3 : 1);
            for (JsonNode item : list) {
                assertThat(item.get("id").isTextual()).as("list ids are Strings").isTrue();
                assertThat(item.get("project").get("id").longValue()).isEqualTo(7);
                assertThat(item.get("status").textValue()).isEqualTo("success");
                seen.add(Long.parseLong(item.get("id").textValue()));
            }
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(created);
        assertThat(seen).isNotEqualTo(created.stream().sorted().toList());
        assertThat(seen).isNotEqualTo(created.stream().sorted(java.util.Comparator.reverseOrder()).toList());
        assertThat(http.getJson("/api/v1/project/7/history?pageNo=4&pageSize=3").get("result").get("historyList")).isEmpty();
        assertThat(http.getJson("/api/v1/project/7/history").get("result").get("historyList")).hasSize(7);
        assertThat(emulator.listCalls()).isEqualTo(5);
    }

    @Test
    void faultsApplyToTheNextMatchingRequestsOnly() {
        long a = emulator.createHistory(7, NcpScript.of(end("success")));
        long b = emulator.createHistory(7, NcpScript.of(end("success")));
        emulator.inject(NcpFault.throttled(Duration.ofSeconds(7)).forHistory(b).times(2));
        emulator.inject(NcpFault.endpointError().forKind(RequestKind.LIST));

        assertThat(http.get(detail(7, a)).statusCode()).isEqualTo(200);
        HttpResponse<String> throttled = http.get(detail(7, b));
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).contains("7");
        assertThat(SignedHttp.json(throttled).get("error").get("errorCode").textValue()).isEqualTo("420");
        assertThat(http.get(detail(7, b)).statusCode()).isEqualTo(429);
        assertThat(http.get(detail(7, b)).statusCode()).isEqualTo(200);

        HttpResponse<String> unavailable = http.get("/api/v1/project/7/history");
        assertThat(unavailable.statusCode()).isEqualTo(503);
        assertThat(SignedHttp.json(unavailable).get("error").get("message").textValue()).isEqualTo("Endpoint Error");
        assertThat(emulator.pendingFaults()).isZero();

        emulator.inject(NcpFault.malformedJson());
        HttpResponse<String> malformed = http.get(detail(7, a));
        assertThat(malformed.statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> SignedHttp.JSON.readTree(malformed.body())).isInstanceOf(Exception.class);

        emulator.inject(NcpFault.disconnect().times(10));
        assertThatThrownBy(() -> http.post(detail(7, a) + "/cancel")).isInstanceOf(UncheckedIOException.class);
        emulator.clearFaults();
        assertThat(emulator.status(7, a)).isEqualTo("success");

        emulator.inject(NcpFault.slow(Duration.ofMillis(800)));
        var request = java.net.http.HttpRequest.newBuilder(http.request("GET", detail(7, a), detail(7, a)), (n, v) -> true)
                .timeout(Duration.ofMillis(100)).build();
        assertThatThrownBy(() -> http.send(request)).hasRootCauseInstanceOf(HttpTimeoutException.class);
    }

    @Test
    void logsRequestsWithHistoryUserAgentAndAccessKeyButNoSignature() {
        emulator.addScenario(7, 2, 3);
        long id = http.postJson("/api/v1/project/7/stage/2/scenario/3/deploy").get("result").get("historyId").longValue();
        http.getJson(detail(7, id));
        http.withSecret("wrong").get(detail(7, id));

        List<EmulatorRequest> log = emulator.requests();
        assertThat(log).hasSize(3);
        assertThat(log.get(0).kind()).isEqualTo(RequestKind.DEPLOY);
        assertThat(log.get(0).historyId()).isEqualTo(id);
        assertThat(log.get(1).kind()).isEqualTo(RequestKind.DETAIL);
        assertThat(log.get(1).projectId()).isEqualTo(7L);
        assertThat(log.get(1).userAgent()).isEqualTo("emulator-test");
        assertThat(log.get(1).accessKey()).isEqualTo("TESTACCESS01");
        assertThat(log.get(1).time()).isEqualTo(T0);
        assertThat(log.get(2).responseStatus()).isEqualTo(401);
        assertThat(emulator.requestsFor(id)).hasSize(3);
        assertThat(emulator.detailCalls()).isEqualTo(2);
        assertThat(log.toString()).doesNotContain("test-secret-value-1");
        assertThat(emulator.toString()).doesNotContain("test-secret-value-1");
    }

    @Test
    void setStatusOverridesTheScriptWithAnyWord() {
        long id = emulator.createHistory(7, NcpScript.of(step("inprogress", Duration.ofHours(1)), end("success")));
        clock.advance(Duration.ofSeconds(30));
        emulator.setStatus(7, id, "canary_analyzing");
        assertThat(emulator.status(7, id)).isEqualTo("canary_analyzing");
        emulator.setStatus(7, id, "brand_new_word");
        assertThat(http.getJson(detail(7, id)).get("result").get("endTime").isNull()).isTrue();
        emulator.setStatus(7, id, "error");
        clock.advance(Duration.ofHours(2));
        JsonNode result = http.getJson(detail(7, id)).get("result");
        assertThat(result.get("status").textValue()).isEqualTo("error");
        assertThat(result.get("endTime").longValue()).isEqualTo(T0.plusSeconds(30).toEpochMilli());
        assertThatThrownBy(() -> emulator.setStatus(7, id + 50, "success")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(id + 50));
        assertThatThrownBy(() -> emulator.setStatus(7, id, "FAILED")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("FAILED");
    }

    @Test
    void scriptsAreValidated() {
        assertThatThrownBy(() -> NcpScript.of(step("inprogress", Duration.ofSeconds(1))))
                .hasMessageContaining("last step must be end");
        assertThatThrownBy(() -> NcpScript.of(end("success"), end("fail"))).hasMessageContaining("must be the last step");
        assertThatThrownBy(() -> NcpScript.of(end("pending"))).hasMessageContaining("cannot end in \"pending\"");
        assertThatThrownBy(() -> step("in progress", Duration.ofSeconds(1))).hasMessageContaining("in progress");
    }

    @Test
    void servesManyConcurrentRequests() {
        int deployments = 300;
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < deployments; i++) {
            ids.add(emulator.createHistory(1 + i % 5, NcpScript.of(end(i % 3 == 0 ? "fail" : "success"))));
        }
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < deployments; i++) {
            calls.add(http.sendAsync(http.request("GET", detail(1 + i % 5, ids.get(i)), detail(1 + i % 5, ids.get(i)))));
        }
        Set<Long> answered = new HashSet<>();
        for (int i = 0; i < deployments; i++) {
            HttpResponse<String> response = calls.get(i).join();
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode result = SignedHttp.json(response).get("result");
            assertThat(result.get("status").textValue()).isEqualTo(i % 3 == 0 ? "fail" : "success");
            answered.add(result.get("id").longValue());
        }
        assertThat(answered).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(emulator.detailCalls()).isEqualTo(deployments);
    }
}
