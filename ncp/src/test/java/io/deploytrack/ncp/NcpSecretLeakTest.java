package io.deploytrack.ncp;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.deploytrack.core.testkit.ManualClock;
import io.deploytrack.ncp.emulator.NcpEmulator;
import io.deploytrack.ncp.emulator.NcpFault;
import io.deploytrack.ncp.emulator.NcpScript;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import static io.deploytrack.ncp.emulator.NcpScript.end;
import static io.deploytrack.ncp.emulator.NcpScript.step;
import static org.assertj.core.api.Assertions.assertThat;

/** Runs successful and failing calls with every logger at TRACE and looks for the secret everywhere. */
class NcpSecretLeakTest {

    private static final String SECRET = "Sup3rS3cretNeverLogged-7f3a9c";

    @Test
    void theSecretNeverReachesLogsMessagesOrToString() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger ours = (Logger) LoggerFactory.getLogger("io.deploytrack");
        Level rootBefore = root.getLevel();
        Level oursBefore = ours.getLevel();
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        root.setLevel(Level.TRACE);
        ours.setLevel(Level.TRACE);
        List<String> texts = new ArrayList<>();
        List<NcpApiException.Kind> kinds = new ArrayList<>();
        ManualClock clock = ManualClock.of(Instant.parse("2025-03-01T09:00:00Z"));
        try (NcpEmulator emulator = NcpEmulator.builder().clock(clock).credentials("LEAKTESTKEY99", SECRET).start()) {
            emulator.addScenario(1, 2, 3);
            NcpCredentials credentials = NcpCredentials.of(emulator.accessKey(), SECRET);
            NcpClient client = NcpClient.builder().baseUri(emulator.baseUri()).credentials(credentials).clock(clock)
                    .build();
            NcpClient impatient = NcpClient.builder().baseUri(emulator.baseUri()).credentials(credentials).clock(clock)
                    .requestTimeout(Duration.ofMillis(150)).build();
            NcpClient wrongSecret = NcpClient.builder().baseUri(emulator.baseUri())
                    .credentials(NcpCredentials.of(emulator.accessKey(), SECRET + "-wrong")).clock(clock).build();
            texts.add(credentials.toString());
            texts.add(client.toString());
            texts.add(emulator.toString());

            long id = client.startDeployment(1, 2, 3).join();
            long other = emulator.createHistory(1, NcpScript.of(step("inprogress", Duration.ofMinutes(1)), end("success")));
            emulator.setStatus(1, other, "undocumented_word");
            client.getHistory(1, id).join();
            client.getHistory(1, other).join();
            client.listHistories(1, 1, 50).join();
            client.cancel(1, id).join();
            List<Supplier<CompletableFuture<?>>> failing = List.of(
                    () -> {
                        emulator.inject(NcpFault.throttled(Duration.ofSeconds(3)));
                        return client.getHistory(1, id);
                    },
                    () -> {
                        emulator.inject(NcpFault.malformedJson());
                        return client.getHistory(1, id);
                    },
                    () -> {
                        emulator.inject(NcpFault.slow(Duration.ofMillis(600)));
                        return impatient.getHistory(1, id);
                    },
                    () -> client.getHistory(1, id + 1000),
                    () -> wrongSecret.getHistory(1, id));
            for (Supplier<CompletableFuture<?>> call : failing) {
                Throwable error = call.get().handle((v, e) -> e).join();
                assertThat(error).isInstanceOf(NcpApiException.class);
                kinds.add(((NcpApiException) error).kind());
                texts.add(error.toString());
                texts.add(ThrowableProxyUtil.asString(new ch.qos.logback.classic.spi.ThrowableProxy(error)));
            }
            assertThat(emulator.requests()).allSatisfy(r -> texts.add(r.toString()));
        } finally {
            root.detachAppender(captured);
            root.setLevel(rootBefore);
            ours.setLevel(oursBefore);
        }
        for (ILoggingEvent event : captured.list) {
            texts.add(event.getFormattedMessage());
            if (event.getThrowableProxy() != null) {
                texts.add(ThrowableProxyUtil.asString(event.getThrowableProxy()));
            }
        }
        assertThat(kinds).containsExactly(NcpApiException.Kind.THROTTLED, NcpApiException.Kind.MALFORMED_RESPONSE,
                NcpApiException.Kind.TRANSPORT, NcpApiException.Kind.NOT_FOUND, NcpApiException.Kind.AUTHENTICATION);
        List<String> messages = captured.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        // The capture worked: the client's events are there, so their absence of secrets means something.
        assertThat(messages).anySatisfy(m -> assertThat(m).startsWith("ncp_request method=GET path=/api/v1/project/1/history/"));
        assertThat(messages).anySatisfy(m -> assertThat(m).startsWith("ncp_request_failed").contains("kind=AUTHENTICATION"));
        assertThat(messages).anySatisfy(m -> assertThat(m).startsWith("ncp_unknown_status status=undocumented_word"));
        assertThat(texts).isNotEmpty().allSatisfy(text -> assertThat(text)
                .doesNotContain(SECRET).doesNotContain("x-ncp-apigw-signature-v2"));
    }
}
