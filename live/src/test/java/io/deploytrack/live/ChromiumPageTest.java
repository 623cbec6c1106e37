package io.deploytrack.live;

import com.fasterxml.jackson.databind.JsonNode;
import io.deploytrack.core.DeploymentHandle;
import io.deploytrack.core.Observation;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page served by {@link LiveServer} in a real headless Chromium, driven through the DevTools protocol: it
 * connects over the WebSocket, draws a deployment's stages advancing as the tracker (on a manual clock) follows it,
 * and their end; the screenshots are kept in {@code target/live-page/}.
 */
class ChromiumPageTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path SHOTS = Path.of("target", "live-page");
    private static final Pattern DEVTOOLS = Pattern.compile("DevTools listening on ws://127\\.0\\.0\\.1:(\\d+)/");

    @TempDir
    Path dir;

    @Test
    @Timeout(180)
    void thePageShowsTheStagesOfADeploymentAdvanceAndEnd() throws Exception {
        assertThat(Files.isExecutable(CHROMIUM)).as("this test needs Debian's chromium package at " + CHROMIUM
                + " (apt-get install -y chromium; .ci/run installs it)").isTrue();
        Files.createDirectories(SHOTS);
        try (LiveTestbed bed = new LiveTestbed(dir); LiveServer server = bed.server().start()) {
            DeploymentHandle earlier = bed.buildThenDeploy("web", "ann", 6, LiveTestbed.running(8,
                    Observation.succeeded("success")));
            bed.scheduler.advance(Duration.ofSeconds(20), Duration.ofMillis(250));
            assertThat(earlier.completion()).isCompleted();
            bed.clock.advance(Duration.ofMinutes(3));

            Process chromium = new ProcessBuilder(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
                    "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--hide-scrollbars",
                    "--user-data-dir=" + dir.resolve("profile"), "--remote-debugging-port=0",
                    "--window-size=1280,900", server.uri().toString()))
                    .redirectOutput(dir.resolve("chromium.out").toFile()).start();
            WebSocketClient ws = new WebSocketClient();
            ws.setMaxTextMessageSize(64L << 20);
            ws.start();
            try {
                CdpSocket page = new CdpSocket();
                ws.connect(page, pageTarget(devtoolsPort(chromium))).get(LiveTestbed.PATIENCE.toSeconds(), TimeUnit.SECONDS);
                await(page, "the page connected over the WebSocket",
                        "document.body.dataset.transport === 'websocket' && document.body.dataset.loaded === 'true'",
                        JsonNode::asBoolean);

                DeploymentHandle h = bed.buildThenDeploy("web", "beatrix", 6, LiveTestbed.running(8,
                        Observation.succeeded("success")));
                bed.scheduler.advance(Duration.ofSeconds(3), Duration.ofMillis(250));
                int early = await(page, "the build stage running with progress", stage(h, "sourcebuild", "percent"),
                        n -> n.asInt() > 0).asInt();
                assertThat(await(page, "the build's estimate", stageText(h, "sourcebuild"), n -> n.asText().contains("left")
                        || n.asText().contains("usual")).asText()).doesNotContain("NaN");
                shot(page, "1-build-running.png");

                bed.scheduler.advance(Duration.ofSeconds(4), Duration.ofMillis(250));
                await(page, "the build stage ended", stage(h, "sourcebuild", "phase"), n -> n.asText().equals("ended"));
                assertThat(await(page, "the build at 100", stage(h, "sourcebuild", "percent"), n -> n.asInt() == 100)
                        .asInt()).isGreaterThan(early);
                bed.scheduler.advance(Duration.ofSeconds(3), Duration.ofMillis(250));
                await(page, "the deploy stage running", stage(h, "sourcedeploy", "phase"),
                        n -> n.asText().equals("running") || n.asText().equals("overrun"));
                shot(page, "2-deploy-running.png");

                bed.scheduler.advance(Duration.ofSeconds(10), Duration.ofMillis(250));
                assertThat(h.completion()).isCompleted();
                await(page, "the deployment's card ended in success", "(document.querySelector('.deployment[data-id=\""
                        + h.id() + "\"]') || {dataset: {}}).dataset.status", n -> n.asText().equals("success"));
                await(page, "the deploy stage at 100", stage(h, "sourcedeploy", "percent"), n -> n.asInt() == 100);
                await(page, "the history row", "(document.querySelector('#recent tr[data-id=\"" + h.id()
                        + "\"] td.success') || {}).textContent || ''", n -> n.asText().equals("success"));
                await(page, "the rollback target", "document.querySelector('#targets tbody').textContent",
                        n -> n.asText().contains("#" + earlier.id()));
                await(page, "the delivery panel", "document.querySelector('#insights tbody').textContent",
                        n -> n.asText().contains("acme/web") && n.asText().contains("0 %"));
                shot(page, "3-ended.png");

                page.call("Emulation.setDeviceMetricsOverride", LiveTestbed.JSON.createObjectNode().put("width", 390)
                        .put("height", 844).put("deviceScaleFactor", 1).put("mobile", true));
                assertThat(page.eval("document.documentElement.scrollWidth <= 390").asBoolean())
                        .as("nothing wider than a phone's screen").isTrue();
                shot(page, "4-phone.png");

                // where no WebSocket gets through, the page falls back to Server-Sent Events
                page.call("Page.navigate", LiveTestbed.JSON.createObjectNode().put("url", server.uri() + "?transport=sse"));
                await(page, "the page connected over SSE", "document.body.dataset.transport === 'sse' "
                        + "&& document.body.dataset.loaded === 'true'", JsonNode::asBoolean);
                DeploymentHandle next = bed.buildThenDeploy("api", "cy", 2, Observation.succeeded("success"));
                bed.scheduler.advance(Duration.ofSeconds(6), Duration.ofMillis(250));
                assertThat(next.completion()).isCompleted();
                await(page, "the next deployment ended over SSE", "(document.querySelector('.deployment[data-id=\""
                        + next.id() + "\"]') || {dataset: {}}).dataset.status", n -> n.asText().equals("success"));
            } finally {
                ws.stop();
                chromium.destroy();
                chromium.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static String stage(DeploymentHandle h, String stage, String field) {
        return "(document.querySelector('.deployment[data-id=\"" + h.id() + "\"] .stage[data-stage=\"" + stage
                + "\"]') || {dataset: {}}).dataset." + field + " || ''";
    }

    private static String stageText(DeploymentHandle h, String stage) {
        return "(document.querySelector('.deployment[data-id=\"" + h.id() + "\"] .stage[data-stage=\"" + stage
                + "\"] .detail') || {}).textContent || ''";
    }

    /** Bounded polling of the page until {@code expression} satisfies {@code ok}. */
    private static JsonNode await(CdpSocket page, String what, String expression, Predicate<JsonNode> ok)
            throws Exception {
        long until = System.nanoTime() + LiveTestbed.PATIENCE.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < until) {
            last = page.eval(expression);
            if (ok.test(last)) {
                return last;
            }
            CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS)).join();
        }
        throw new AssertionError("the page did not show " + what + " within " + LiveTestbed.PATIENCE + " (last: "
                + last + "); body: " + page.eval("document.body.innerText"));
    }

    private static void shot(CdpSocket page, String name) throws Exception {
        JsonNode r = page.call("Page.captureScreenshot", LiveTestbed.JSON.createObjectNode().put("format", "png"));
        byte[] png = Base64.getDecoder().decode(r.get("data").asText());
        assertThat(png.length).isGreaterThan(1000);
        Files.write(SHOTS.resolve(name), png);
    }

    /** The port Chromium prints on standard error once its DevTools listen. */
    private static int devtoolsPort(Process chromium) throws Exception {
        BufferedReader err = new BufferedReader(new InputStreamReader(chromium.getErrorStream(), StandardCharsets.UTF_8));
        CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> {
            try {
                String line;
                while ((line = err.readLine()) != null) {
                    Matcher m = DEVTOOLS.matcher(line);
                    if (m.find()) {
                        return Integer.parseInt(m.group(1));
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            throw new IllegalStateException("chromium ended without opening its DevTools");
        });
        int p = port.get(LiveTestbed.PATIENCE.toSeconds(), TimeUnit.SECONDS);
        // keep reading standard error so that Chromium never blocks on a full pipe
        CompletableFuture.runAsync(() -> {
            try {
                while (err.readLine() != null) {
                    // discarded
                }
            } catch (java.io.IOException ended) {
                // chromium stopped
            }
        });
        return p;
    }

    /** The DevTools WebSocket of the page Chromium opened. */
    private static URI pageTarget(int port) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long until = System.nanoTime() + LiveTestbed.PATIENCE.toNanos();
        while (System.nanoTime() < until) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/json/list")).build(), HttpResponse.BodyHandlers.ofString());
            for (JsonNode t : LiveTestbed.JSON.readTree(r.body())) {
                if (t.path("type").asText().equals("page") && t.has("webSocketDebuggerUrl")) {
                    return URI.create(t.get("webSocketDebuggerUrl").asText());
                }
            }
            CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS)).join();
        }
        throw new AssertionError("chromium listed no page within " + LiveTestbed.PATIENCE);
    }
}
