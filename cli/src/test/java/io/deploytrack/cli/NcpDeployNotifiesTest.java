package io.deploytrack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deploytrack.ncp.emulator.NcpEmulator;
import io.deploytrack.ncp.emulator.NcpScript;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.deploytrack.ncp.emulator.NcpScript.end;
import static io.deploytrack.ncp.emulator.NcpScript.step;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code ncp deploy} with DEPLOYTRACK_SLACK_WEBHOOK_URL set announces the start and the end before it exits. */
class NcpDeployNotifiesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void aTrackingCommandDeliversItsNotificationsBeforeItExits() throws Exception {
        try (NcpEmulator ncp = NcpEmulator.start(); MockWebServer slack = new MockWebServer()) {
            ncp.addScenario(12, 34, 56);
            ncp.onDeploy(56, NcpScript.of(step("inprogress", Duration.ofMillis(300)), end("success")));
            slack.enqueue(new MockResponse().setBody("ok"));
            slack.enqueue(new MockResponse().setBody("ok"));
            slack.start();
            Path db = dir.resolve("history.db");
            Cli.Result r = new Cli().env("NCP_ACCESS_KEY", ncp.accessKey()).env("NCP_SECRET_KEY", ncp.secretKey())
                    .env("DEPLOYTRACK_SLACK_WEBHOOK_URL", slack.url("/services/T0/B0/cli-secret-path").toString())
                    .env("DEPLOYTRACK_SLACK_STARTED", "true")
                    .run("--db", db.toString(), "ncp", "deploy", "--project-id", "12", "--stage-id", "34",
                            "--scenario-id", "56", "--project", "acme/web", "--commit", "3f2c1a9", "--endpoint",
                            ncp.baseUri().toString(), "--interval", "100ms", "--timeout", "20s");
            assertThat(r.code()).as(r.toString()).isZero();
            assertThat(r.out() + r.err()).doesNotContain("cli-secret-path");
            // both went out before the command returned
            assertThat(slack.getRequestCount()).isEqualTo(2);
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                RecordedRequest req = slack.takeRequest(1, TimeUnit.SECONDS);
                texts.add(JSON.readTree(req.getBody().readUtf8()).get("text").asText());
            }
            assertThat(texts.get(0)).isEqualTo("acme/web: deploying 3f2c1a9 to production");
            assertThat(texts.get(1)).startsWith("acme/web deployed to production in ");
            JsonNode log = JSON.readTree(new Cli().run("--db", db.toString(), "notifications", "--json").out());
            assertThat(log).hasSize(2);
            log.forEach(n -> assertThat(n.get("status").asText()).isEqualTo("delivered"));
        }
    }
}
