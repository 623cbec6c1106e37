package io.deploytrack.examples.customsource;

import com.sun.net.httpserver.HttpServer;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.jdbc.JdbcHistoryStore;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Tracks a deployment through {@link VersionEndpointSource}, which the tracker finds through ServiceLoader: the code
 * below never names it. A tiny local service plays the target: it answers the old SHA, then ours.
 */
public final class CustomSourceExample {
    private CustomSourceExample() {
    }

    /** Runs the example against a local fake service; exits 0 on success. */
    public static void main(String[] args) throws Exception {
        AtomicReference<String> running = new AtomicReference<>("0ld0ld0");
        HttpServer service = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        service.createContext("/version", ex -> {
            byte[] body = running.get().getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        service.start();
        URI version = URI.create("http://127.0.0.1:" + service.getAddress().getPort() + "/version");
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(Path.of(args.length > 0 ? args[0] : "custom-source.db"));
             DeploymentTracker tracker = DeploymentTracker.builder(store).pollInterval(Duration.ofMillis(200)).build().start()) {
            var handle = tracker.track(DeploymentRequest.builder("acme", "shop", "c0ffee1").build(),
                    VersionEndpointSource.ref(version, "c0ffee1"));
            running.set("c0ffee1a2b3c"); // the new version comes up
            Deployment d = handle.completion().get(30, TimeUnit.SECONDS);
            System.out.printf("%s %s: %s in %d ms (%s)%n", d.project(), d.shortSha(), d.status(),
                    d.totalDuration().toMillis(), d.checks().get(0).lastSourceStatus());
            System.exit(d.status().isTerminal() && "success".equals(d.status().word()) ? 0 : 1);
        } finally {
            service.stop(0);
        }
    }
}
