package io.deploytrack.ncp;

import io.deploytrack.ncp.emulator.NcpEmulator;
import io.deploytrack.ncp.emulator.NcpScript;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static io.deploytrack.ncp.emulator.NcpScript.end;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Answers are read on a few threads of the client's own: never on an unbounded pool, never on a thread per answer
 * (the JDK's HttpClient completes {@code sendAsync} on a new thread per answer where the common pool has one thread).
 */
class NcpClientThreadsTest {

    private static final int CALLS = 100;

    /** The threads that completed the calls' futures, other than the caller's. */
    private static Set<String> answeringThreads(NcpClient client, NcpEmulator emulator, long historyId) {
        Set<String> names = ConcurrentHashMap.newKeySet();
        String caller = Thread.currentThread().getName();
        List<CompletableFuture<NcpHistory>> calls = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            calls.add(client.getHistory(1, historyId).whenComplete((h, e) -> {
                String name = Thread.currentThread().getName();
                if (!name.equals(caller)) {
                    names.add(name);
                }
            }));
        }
        calls.forEach(CompletableFuture::join);
        return names;
    }

    @Test
    void theClientItCreatesReadsAnswersOnAtMostFourNamedThreads() {
        try (NcpEmulator emulator = NcpEmulator.start()) {
            long id = emulator.createHistory(1, NcpScript.of(end("success")));
            NcpClient client = NcpClient.builder().baseUri(emulator.baseUri())
                    .credentials(NcpCredentials.of(emulator.accessKey(), emulator.secretKey())).build();

            Set<String> names = answeringThreads(client, emulator, id);

            assertThat(names).allMatch(n -> n.startsWith("deploytrack-ncp-http-"), "named deploytrack-ncp-http-N");
            assertThat(names).hasSizeLessThanOrEqualTo(4);
        }
    }

    @Test
    void anExecutorGivenToTheBuilderReadsTheAnswers() {
        ExecutorService mine = Executors.newFixedThreadPool(2, r -> new Thread(r, "host-http"));
        try (NcpEmulator emulator = NcpEmulator.start()) {
            long id = emulator.createHistory(1, NcpScript.of(end("success")));
            NcpClient client = NcpClient.builder().baseUri(emulator.baseUri()).executor(mine)
                    .credentials(NcpCredentials.of(emulator.accessKey(), emulator.secretKey())).build();

            assertThat(answeringThreads(client, emulator, id)).containsOnly("host-http");
        } finally {
            mine.shutdownNow();
        }
    }

    @Test
    void aHostsHttpClientWithItsOwnExecutorKeepsIt() {
        ExecutorService mine = Executors.newFixedThreadPool(2, r -> new Thread(r, "host-client"));
        try (NcpEmulator emulator = NcpEmulator.start()) {
            long id = emulator.createHistory(1, NcpScript.of(end("success")));
            NcpClient client = NcpClient.builder().baseUri(emulator.baseUri())
                    .httpClient(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(mine).build())
                    .credentials(NcpCredentials.of(emulator.accessKey(), emulator.secretKey())).build();

            assertThat(answeringThreads(client, emulator, id)).containsOnly("host-client");
        } finally {
            mine.shutdownNow();
        }
    }
}
