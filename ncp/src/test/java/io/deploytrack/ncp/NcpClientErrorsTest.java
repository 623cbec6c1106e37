package io.deploytrack.ncp;

import io.deploytrack.core.testkit.ManualClock;
import io.deploytrack.ncp.emulator.NcpEmulator;
import io.deploytrack.ncp.emulator.NcpFault;
import io.deploytrack.ncp.emulator.NcpScript;
import io.deploytrack.ncp.emulator.RequestKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static io.deploytrack.ncp.emulator.NcpScript.end;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How every kind of failure reaches the caller: one typed, unwrapped exception. */
class NcpClientErrorsTest {

    private static final Instant T0 = Instant.parse("2025-03-01T09:00:00Z");
    private static final String SECRET = "errors-test-secret";

    private final ManualClock clock = ManualClock.of(T0);
    private NcpEmulator emulator;
    private NcpClient client;
    private long historyId;

    @BeforeEach
    void start() {
        emulator = NcpEmulator.builder().clock(clock).credentials("ERRORSKEY123", SECRET).start();
        historyId = emulator.createHistory(1234, NcpScript.of(end("success")));
        client = clientFor(emulator, clock, SECRET);
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    private static NcpClient clientFor(NcpEmulator emulator, java.time.Clock clock, String secret) {
        return NcpClient.builder().baseUri(emulator.baseUri())
                .credentials(NcpCredentials.of(emulator.accessKey(), secret)).clock(clock)
                .requestTimeout(Duration.ofSeconds(5)).build();
    }

    /** Waits for the future and returns the exception it failed with, as a caller's stage sees it. */
    private static NcpApiException failure(CompletableFuture<?> future) {
        CompletableFuture<Throwable> seen = future.handle((value, error) -> error);
        Throwable error = seen.orTimeout(10, TimeUnit.SECONDS).join();
        assertThat(error).as("the call should have failed").isNotNull();
        assertThat(error).as("not wrapped in a CompletionException").isInstanceOf(NcpApiException.class);
        return (NcpApiException) error;
    }

    @Test
    void notFoundCarriesNcpsStringErrorCode() {
        NcpApiException e = failure(client.getHistory(1234, historyId + 99));
        assertThat(e.kind()).isEqualTo(NcpApiException.Kind.NOT_FOUND);
        assertThat(e.httpStatus()).hasValue(404);
        assertThat(e.errorCode()).contains("300");
        assertThat(e.ncpMessage()).contains("Not Found Exception");
        assertThat(e.details()).hasValueSatisfying(d -> assertThat(d).contains(String.valueOf(historyId + 99)));
        assertThat(e.isTransient()).isFalse();
        assertThat(e.getMessage()).contains("GET /api/v1/project/1234/history/" + (historyId + 99)).contains("HTTP 404");
        assertThatThrownBy(() -> client.getHistory(1234, historyId + 99).join())
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(NcpApiException.class);
        assertThat(NcpClient.apiException(new CompletionException(e))).isSameAs(e);
    }

    @Test
    void integerErrorCodesAreAcceptedToo() {
        try (NcpEmulator older = NcpEmulator.builder().clock(clock).numericErrorCodes(true).start()) {
            NcpApiException e = failure(clientFor(older, clock, older.secretKey()).getHistory(1, 2));
            assertThat(e.kind()).isEqualTo(NcpApiException.Kind.NOT_FOUND);
            assertThat(e.errorCode()).contains("300");
        }
    }

    @Test
    void wrongSecretIsAnAuthenticationErrorThatSaysWhatToCheck() {
        NcpApiException e = failure(clientFor(emulator, clock, "not-the-secret").getHistory(1234, historyId));
        assertThat(e.kind()).isEqualTo(NcpApiException.Kind.AUTHENTICATION);
        assertThat(e.httpStatus()).hasValue(401);
        assertThat(e.errorCode()).contains("200");
        assertThat(e.isTransient()).isFalse();
        assertThat(e.getMessage()).contains("Authentication Failed").contains("access key").contains("secret key")
                .contains("clock").contains("5 minutes").doesNotContain("not-the-secret");
    }

    @Test
    void aClockFiveMinutesOffIsRefused() {
        ManualClock skewed = ManualClock.of(T0.minus(Duration.ofMinutes(5)).minusSeconds(1));
        NcpApiException e = failure(clientFor(emulator, skewed, SECRET).getHistory(1234, historyId));
        assertThat(e.kind()).isEqualTo(NcpApiException.Kind.AUTHENTICATION);
        assertThat(e.getMessage()).contains("clock");
        skewed.set(T0.plus(Duration.ofMinutes(4)));
        assertThat(clientFor(emulator, skewed, SECRET).getHistory(1234, historyId).join().id()).isEqualTo(historyId);
    }

    @Test
    void throttlingCarriesRetryAfterInSecondsOrAsADate() {
        emulator.inject(NcpFault.throttled(Duration.ofSeconds(17)));
        NcpApiException seconds = failure(client.getHistory(1234, historyId));
        assertThat(seconds.kind()).isEqualTo(NcpApiException.Kind.THROTTLED);
        assertThat(seconds.httpStatus()).hasValue(429);
        assertThat(seconds.errorCode()).contains("420");
        assertThat(seconds.retryAfter()).contains(Duration.ofSeconds(17));
        assertThat(seconds.isTransient()).isTrue();

        emulator.inject(NcpFault.throttled(Duration.ZERO).retryAfterDate(T0.plusSeconds(90)));
        assertThat(failure(client.getHistory(1234, historyId)).retryAfter()).contains(Duration.ofSeconds(90));

        emulator.inject(NcpFault.endpointError());
        NcpApiException noHeader = failure(client.getHistory(1234, historyId));
        assertThat(noHeader.retryAfter()).isEmpty();
    }

    @Test
    void serverErrorsAreTransient() {
        emulator.inject(NcpFault.endpointError());
        emulator.inject(NcpFault.endpointTimeout());
        emulator.inject(NcpFault.unexpectedError());
        for (int status : new int[] {503, 504, 500}) {
            NcpApiException e = failure(client.getHistory(1234, historyId));
            assertThat(e.kind()).isEqualTo(NcpApiException.Kind.SERVER_ERROR);
            assertThat(e.httpStatus()).hasValue(status);
            assertThat(e.isTransient()).isTrue();
        }
        assertThat(client.getHistory(1234, historyId).join().id()).isEqualTo(historyId);
    }

    @Test
    void badRequestIsNotTransient() {
        emulator.inject(NcpFault.httpError(400, "100", "Bad Request Exception"));
        NcpApiException e = failure(client.cancel(1234, historyId));
        assertThat(e.kind()).isEqualTo(NcpApiException.Kind.BAD_REQUEST);
        assertThat(e.isTransient()).isFalse();
        NcpApiException notPending = failure(client.approve(1234, historyId));
        assertThat(notPending.kind()).isEqualTo(NcpApiException.Kind.BAD_REQUEST);
        assertThat(notPending.getMessage()).contains("not waiting for approval");
    }

    @Test
    void aSlowAnswerTimesOutAsTransport() {
        NcpClient impatient = NcpClient.builder().baseUri(emulator.baseUri())
                .credentials(NcpCredentials.of(emulator.accessKey(), SECRET)).clock(clock)
                .requestTimeout(Duration.ofMillis(150)).build();
        emulator.inject(NcpFault.slow(Duration.ofMillis(800)));
        NcpApiException e = failure(impatient.getHistory(1234, historyId));
        assertThat(e.kind()).isEqualTo(NcpApiException.Kind.TRANSPORT);
        assertThat(e.httpStatus()).isEmpty();
        assertThat(e.isTransient()).isTrue();
        assertThat(e.getMessage()).contains("timed out");
    }

    @Test
    void aDroppedConnectionIsTransport() {
        // The JDK client retries an idempotent request on a pooled connection that closed, so drop a few.
        emulator.inject(NcpFault.disconnect().forKind(RequestKind.DETAIL).times(6));
        NcpApiException e = failure(client.getHistory(1234, historyId));
        assertThat(e.kind()).isEqualTo(NcpApiException.Kind.TRANSPORT);
        assertThat(emulator.requests(RequestKind.DETAIL)).isNotEmpty().allSatisfy(r -> assertThat(r.responseStatus()).isZero());
        emulator.clearFaults();
        assertThat(client.getHistory(1234, historyId).join().id()).isEqualTo(historyId);
    }

    @Test
    void aRefusedConnectionIsTransport() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        NcpClient nowhere = NcpClient.builder().baseUri(URI.create("http://127.0.0.1:" + port))
                .credentials(NcpCredentials.of("A", SECRET)).build();
        NcpApiException e = failure(nowhere.getHistory(1, 2));
        assertThat(e.kind()).isEqualTo(NcpApiException.Kind.TRANSPORT);
        assertThat(e.getCause()).isNotNull();
        // what was being done, where, and why (issue 26: it said only "got no answer: java.net.ConnectException")
        assertThat(e.getMessage()).startsWith("NCP SourceDeploy GET /api/v1/project/1/history/2 got no answer from "
                        + "127.0.0.1:" + port + ": the connection was refused")
                .contains("ConnectException").doesNotContain(SECRET);
    }

    @Test
    void anUnresolvableHostIsNamedWithThePortOfItsScheme() {
        // .invalid never resolves (RFC 6761)
        NcpClient nowhere = NcpClient.builder().baseUri(URI.create("https://ncp.deploytrack.invalid"))
                .credentials(NcpCredentials.of("A", SECRET)).build();
        NcpApiException e = failure(nowhere.getHistory(1, 2));
        assertThat(e.kind()).isEqualTo(NcpApiException.Kind.TRANSPORT);
        assertThat(e.getMessage()).contains("got no answer from ncp.deploytrack.invalid:443");
    }

    @Test
    void malformedJsonAndMissingFieldsAreMalformedResponses() {
        emulator.inject(NcpFault.malformedJson());
        NcpApiException e = failure(client.getHistory(1234, historyId));
        assertThat(e.kind()).isEqualTo(NcpApiException.Kind.MALFORMED_RESPONSE);
        assertThat(e.httpStatus()).hasValue(200);
        assertThat(e.isTransient()).isTrue();
        assertThat(e.getMessage()).contains("not valid JSON");

        emulator.inject(NcpFault.malformedJson().forKind(RequestKind.DEPLOY));
        emulator.addScenario(1234, 1, 1);
        assertThat(failure(client.startDeployment(1234, 1, 1)).kind()).isEqualTo(NcpApiException.Kind.MALFORMED_RESPONSE);
    }
}
