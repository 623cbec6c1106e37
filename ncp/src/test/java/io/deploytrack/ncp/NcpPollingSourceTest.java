package io.deploytrack.ncp;

import io.deploytrack.core.CheckRef;
import io.deploytrack.core.InvalidRequestException;
import io.deploytrack.core.Observation;
import io.deploytrack.core.SourceException;
import io.deploytrack.core.testkit.ManualClock;
import io.deploytrack.ncp.emulator.NcpEmulator;
import io.deploytrack.ncp.emulator.NcpFault;
import io.deploytrack.ncp.emulator.NcpScript;
import io.deploytrack.ncp.emulator.RequestKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static io.deploytrack.ncp.emulator.NcpScript.end;
import static io.deploytrack.ncp.emulator.NcpScript.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The source on its own, over real HTTP against the emulator: references, words, times, errors, batching. */
class NcpPollingSourceTest {

    private static final Instant T0 = Instant.parse("2025-03-01T09:00:00Z");
    private static final long P = 7;

    private final ManualClock clock = ManualClock.of(T0);
    private NcpEmulator emulator;
    private NcpClient client;
    private NcpPollingSource source;

    @BeforeEach
    void start() {
        emulator = NcpEmulator.builder().clock(clock).credentials("SOURCETESTKEY", "source-test-secret").start();
        emulator.addScenario(P, 70, 700);
        emulator.addScenario(9, 90, 900);
        client = NcpClient.builder().baseUri(emulator.baseUri())
                .credentials(NcpCredentials.of(emulator.accessKey(), emulator.secretKey())).clock(clock)
                .requestTimeout(Duration.ofSeconds(5)).build();
        source = NcpPollingSource.of(client);
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    private static NcpScript running() {
        return NcpScript.of(step("inprogress", Duration.ofHours(1)), end("success"));
    }

    private static Observation await(CompletionStage<Observation> stage) {
        return stage.toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }

    private static SourceException failure(CompletionStage<Observation> stage) {
        Throwable t = stage.toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).handle((o, e) -> e).join();
        assertThat(t).as("the poll should have failed").isInstanceOf(SourceException.class);
        return (SourceException) t;
    }

    @Test
    void referencesCarryTheIdsAndTheKeyIsDerivedFromThem() {
        CheckRef ref = NcpPollingSource.ref(P, 8012);
        assertThat(ref.type()).isEqualTo("ncp");
        assertThat(ref.fields()).containsExactlyInAnyOrderEntriesOf(Map.of("projectId", "7", "historyId", "8012"));
        CheckRef full = NcpPollingSource.ref(P, 8012, 70, 700);
        assertThat(full.fields()).containsEntry("stageId", "70").containsEntry("scenarioId", "700");
        assertThat(source.idempotencyKey(ref)).isEqualTo("ncp:7:8012");
        assertThat(source.idempotencyKey(full)).isEqualTo("ncp:7:8012");
        assertThat(NcpPollingSource.keyOf(7, 8012)).isEqualTo("ncp:7:8012");
        assertThat(source.type()).isEqualTo("ncp");
        // A reference survives its stored text: another process reads the same ids.
        assertThat(CheckRef.decode("ncp", full.encodeFields())).isEqualTo(full);
        source.validate(full);
    }

    @Test
    void validationNamesTheFieldThatIsWrong() {
        assertThatThrownBy(() -> source.validate(CheckRef.of("ncp", "historyId", "8012")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("projectId")
                .satisfies(e -> assertThat(((InvalidRequestException) e).field()).isEqualTo("projectId"));
        assertThatThrownBy(() -> source.validate(CheckRef.of("ncp", "projectId", "7", "historyId", "-3")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("historyId")
                .hasMessageContaining("positive number");
        assertThatThrownBy(() -> source.validate(CheckRef.of("ncp", "projectId", "seven", "historyId", "1")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("projectId 'seven'");
        assertThatThrownBy(() -> source.validate(CheckRef.of("ncp", "projectId", "7", "historyId", "1", "stageId", "0")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("stageId");
        assertThatThrownBy(() -> source.validate(CheckRef.of("ncp", "projectId", "7", "historyID", "1")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("historyID");
        assertThatThrownBy(() -> source.validate(CheckRef.of("kubernetes", "projectId", "7", "historyId", "1")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("type 'ncp'");
        assertThatThrownBy(() -> NcpPollingSource.ref(0, 1)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("projectId");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "success, SUCCEEDED", "fail, FAILED", "error, FAILED", "reject, FAILED", "canary_reject, FAILED",
            "canary_waiting_timeout, FAILED", "canceled, CANCELLED", "pending, AWAITING_APPROVAL",
            "inprogress, IN_PROGRESS", "waiting, IN_PROGRESS", "canceling, IN_PROGRESS", "canary_pending, IN_PROGRESS",
            "canary_analyzing, IN_PROGRESS", "canary_rejecting, IN_PROGRESS", "rolling_back, IN_PROGRESS"})
    void everyWordIsTranslatedWithNcpsOwnTimes(String word, Observation.State expected) {
        long id = word.equals("pending")
                ? emulator.createHistory(P, NcpScript.of(NcpScript.awaitApproval(), end("success")))
                : emulator.createHistory(P, running());
        clock.advance(Duration.ofSeconds(42));
        if (!word.equals("pending")) {
            emulator.setStatus(P, id, word);
        }
        Observation o = await(source.poll(NcpPollingSource.ref(P, id)));
        assertThat(o.state()).isEqualTo(expected);
        assertThat(o.sourceStatus()).isEqualTo(word);
        assertThat(o.startedAt()).isEqualTo(T0);
        if (expected.isTerminal()) {
            assertThat(o.finishedAt()).isEqualTo(T0.plusSeconds(42));
        } else {
            assertThat(o.finishedAt()).isNull();
        }
        if (expected == Observation.State.FAILED) {
            assertThat(o.message()).contains("'" + word + "'").contains(Long.toString(id));
        }
    }

    @Test
    void errorsAreClassifiedForTheTracker() {
        long id = emulator.createHistory(P, running());
        CheckRef ref = NcpPollingSource.ref(P, id);

        emulator.inject(NcpFault.endpointError());
        SourceException unavailable = failure(source.poll(ref));
        assertThat(unavailable.kind()).isEqualTo(SourceException.Kind.TRANSIENT);

        emulator.inject(NcpFault.throttled(Duration.ofSeconds(3)));
        SourceException throttled = failure(source.poll(ref));
        assertThat(throttled.kind()).isEqualTo(SourceException.Kind.TRANSIENT);
        assertThat(throttled.retryAfter()).contains(Duration.ofSeconds(3));

        emulator.inject(NcpFault.malformedJson());
        assertThat(failure(source.poll(ref)).kind()).isEqualTo(SourceException.Kind.TRANSIENT);

        SourceException missing = failure(source.poll(NcpPollingSource.ref(P, id + 500)));
        assertThat(missing.kind()).isEqualTo(SourceException.Kind.NOT_FOUND);
        assertThat(missing.getMessage()).contains(Long.toString(id + 500));

        NcpClient wrongSecret = NcpClient.builder().baseUri(emulator.baseUri())
                .credentials(NcpCredentials.of(emulator.accessKey(), "not-the-secret")).clock(clock).build();
        SourceException refused = failure(NcpPollingSource.of(wrongSecret).poll(ref));
        assertThat(refused.kind()).isEqualTo(SourceException.Kind.PERMANENT);
        assertThat(refused.getMessage()).contains("access key").contains("secret key").contains("clock")
                .doesNotContain("not-the-secret");

        assertThat(await(source.poll(ref)).sourceStatus()).isEqualTo("inprogress");
    }

    @Test
    void oneListCallServesSeveralDeploymentsOfAProjectMatchedById() {
        long a = emulator.createHistory(P, running());
        long b = emulator.createHistory(P, running());
        long c = emulator.createHistory(P, running());
        long other = emulator.createHistory(9, running());
        clock.advance(Duration.ofSeconds(30));
        emulator.setStatus(P, b, "fail");
        emulator.setStatus(P, c, "canary_analyzing");
        emulator.clearRequests();

        Map<CheckRef, CompletionStage<Observation>> results = source.pollAll(List.of(NcpPollingSource.ref(P, a),
                NcpPollingSource.ref(P, b), NcpPollingSource.ref(P, c), NcpPollingSource.ref(9, other)));

        assertThat(results).hasSize(4);
        assertThat(await(results.get(NcpPollingSource.ref(P, a))).sourceStatus()).isEqualTo("inprogress");
        Observation failed = await(results.get(NcpPollingSource.ref(P, b)));
        assertThat(failed.state()).isEqualTo(Observation.State.FAILED);
        assertThat(failed.finishedAt()).as("the end time comes from the detail call").isEqualTo(T0.plusSeconds(30));
        assertThat(await(results.get(NcpPollingSource.ref(P, c))).sourceStatus()).isEqualTo("canary_analyzing");
        assertThat(await(results.get(NcpPollingSource.ref(9, other))).sourceStatus()).isEqualTo("inprogress");

        assertThat(emulator.listCalls()).isEqualTo(1);
        assertThat(emulator.requests(RequestKind.LIST)).singleElement()
                .satisfies(r -> assertThat(r.projectId()).isEqualTo(P));
        // Detail calls: the terminal one (for its endTime) and the single deployment of project 9. Nothing else.
        assertThat(emulator.requests(RequestKind.DETAIL)).extracting(r -> r.historyId())
                .containsExactlyInAnyOrder(b, other);
    }

    @Test
    void deploymentsNotOnTheFirstPageFallBackToTheirDetail() {
        NcpPollingSource small = NcpPollingSource.builder(client).listPageSize(10).build();
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            ids.add(emulator.createHistory(P, running()));
        }
        emulator.setStatus(P, ids.get(0), "success");
        emulator.clearRequests();
        Map<CheckRef, Long> refs = new LinkedHashMap<>();
        ids.forEach(id -> refs.put(NcpPollingSource.ref(P, id), id));

        Map<CheckRef, CompletionStage<Observation>> results = small.pollAll(refs.keySet());

        refs.forEach((ref, id) -> assertThat(await(results.get(ref)).sourceStatus())
                .isEqualTo(id.equals(ids.get(0)) ? "success" : "inprogress"));
        assertThat(emulator.listCalls()).isEqualTo(1);
        // The list holds the 10 newest; the 5 oldest are asked one by one.
        assertThat(emulator.requests(RequestKind.DETAIL)).extracting(r -> r.historyId())
                .containsExactlyInAnyOrderElementsOf(ids.subList(0, 5));
    }

    @Test
    void aFailedListCallFallsBackToDetailCallsButAThrottledOneBacksOffForAll() {
        long a = emulator.createHistory(P, running());
        long b = emulator.createHistory(P, running());
        List<CheckRef> refs = List.of(NcpPollingSource.ref(P, a), NcpPollingSource.ref(P, b));

        emulator.clearRequests();
        emulator.inject(NcpFault.endpointError().forKind(RequestKind.LIST));
        Map<CheckRef, CompletionStage<Observation>> fallback = source.pollAll(refs);
        refs.forEach(r -> assertThat(await(fallback.get(r)).sourceStatus()).isEqualTo("inprogress"));
        assertThat(emulator.listCalls()).isEqualTo(1);
        assertThat(emulator.detailCalls()).isEqualTo(2);

        emulator.clearRequests();
        emulator.inject(NcpFault.throttled(Duration.ofSeconds(7)).forKind(RequestKind.LIST));
        Map<CheckRef, CompletionStage<Observation>> throttled = source.pollAll(refs);
        refs.forEach(r -> {
            SourceException e = failure(throttled.get(r));
            assertThat(e.kind()).isEqualTo(SourceException.Kind.TRANSIENT);
            assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
        });
        assertThat(emulator.detailCalls()).isZero();
    }

    @Test
    void withoutListBatchingEveryDeploymentGetsItsDetailCall() {
        NcpPollingSource unbatched = NcpPollingSource.builder(client).listBatching(false).build();
        long a = emulator.createHistory(P, running());
        long b = emulator.createHistory(P, running());
        emulator.clearRequests();
        Map<CheckRef, CompletionStage<Observation>> results = unbatched.pollAll(
                List.of(NcpPollingSource.ref(P, a), NcpPollingSource.ref(P, b)));
        results.values().forEach(s -> assertThat(await(s).sourceStatus()).isEqualTo("inprogress"));
        assertThat(emulator.listCalls()).isZero();
        assertThat(emulator.detailCalls()).isEqualTo(2);
    }

    @Test
    void aStoredReferenceThatCannotBeReadFailsItsCheckAtOnce() {
        CheckRef broken = CheckRef.of("ncp", "projectId", "7");
        assertThat(failure(source.poll(broken)).kind()).isEqualTo(SourceException.Kind.PERMANENT);
        assertThat(failure(source.pollAll(List.of(broken)).get(broken)).getMessage()).contains("historyId");
    }
}
