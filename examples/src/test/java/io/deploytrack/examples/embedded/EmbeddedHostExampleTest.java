package io.deploytrack.examples.embedded;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.ncp.NcpCredentials;
import io.deploytrack.ncp.emulator.NcpEmulator;
import io.deploytrack.ncp.emulator.NcpScript;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.deploytrack.ncp.emulator.NcpScript.end;
import static io.deploytrack.ncp.emulator.NcpScript.step;
import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedHostExampleTest {
    @TempDir
    Path dir;

    @Test
    void theHostStartsADeploymentOverNcpWaitsForItAndListsTheHistory() throws Exception {
        try (NcpEmulator ncp = NcpEmulator.start()) {
            ncp.addScenario(7, 70, 700);
            ncp.onDeploy(700, NcpScript.of(step("waiting", Duration.ofMillis(200)), step("inprogress", Duration.ofSeconds(1)), end("success")));
            List<Deployment> history = EmbeddedHostExample.run(dir.resolve("host.db"), ncp.baseUri(),
                    NcpCredentials.of(ncp.accessKey(), ncp.secretKey()), 7, 70, 700);
            assertThat(history).hasSize(1);
            Deployment d = history.get(0);
            assertThat(d.status()).isEqualTo(DeploymentStatus.SUCCESS);
            assertThat(d.idempotencyKey()).isEqualTo("ncp:7:" + d.attributes().get("ncp_history_id"));
            assertThat(d.totalDuration()).isGreaterThanOrEqualTo(Duration.ofMillis(1200));
            assertThat(ncp.detailCalls() + ncp.listCalls()).isPositive();
        }
    }

    @Test
    void theWiringStaysUnderThirtyLines() throws Exception {
        String src = java.nio.file.Files.readString(Path.of("src/main/java/io/deploytrack/examples/embedded/EmbeddedHostExample.java"));
        String body = src.substring(src.indexOf("public static List<Deployment> run("), src.indexOf("/** Runs against NCP_ENDPOINT"));
        assertThat(body.lines().filter(l -> !l.isBlank()).count()).isLessThanOrEqualTo(30);
    }
}
