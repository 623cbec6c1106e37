package io.deploytrack.webhook;

import io.deploytrack.core.KeyValueLog;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A running standalone receiver on the JDK's HTTP server ({@link WebhookSource#listen}); close it to stop. */
public final class WebhookServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("io.deploytrack.webhook");

    private final HttpServer server;
    private final ExecutorService threads;
    private final String path;
    private final InFlight inFlight;

    private WebhookServer(HttpServer server, ExecutorService threads, String path, InFlight inFlight) {
        this.server = server;
        this.threads = threads;
        this.path = path;
        this.inFlight = inFlight;
    }

    /** Requests being answered; close waits for them (briefly) instead of the JDK server's fixed delay. */
    private static final class InFlight {
        private int count;

        synchronized void begin() {
            count++;
        }

        synchronized void end() {
            if (--count == 0) {
                notifyAll();
            }
        }

        synchronized void awaitIdle(long millis) throws InterruptedException {
            long until = System.nanoTime() + millis * 1_000_000;
            while (count > 0) {
                long left = (until - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return;
                }
                wait(left);
            }
        }
    }

    /** The JDK server's switch for TCP_NODELAY on accepted connections; read once, when its first server starts. */
    static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";

    static WebhookServer start(WebhookReceiver receiver, int port, String path, int threadCount) throws IOException {
        // The JDK server writes a response's headers and body separately; with Nagle's algorithm on, the body waits
        // for the client's delayed ACK of the headers, about 40 ms on every callback. Unless the host chose otherwise.
        if (System.getProperty(NODELAY_PROPERTY) == null) {
            System.setProperty(NODELAY_PROPERTY, "true");
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 128);
        AtomicInteger n = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(threadCount, r -> {
            Thread t = new Thread(r, "deploytrack-webhook-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        InFlight inFlight = new InFlight();
        server.createContext(path, exchange -> {
            inFlight.begin();
            try {
                answer(receiver, path, exchange);
            } finally {
                inFlight.end();
            }
        });
        server.start();
        WebhookServer s = new WebhookServer(server, threads, path, inFlight);
        KeyValueLog.event(LOG, Level.INFO, "webhook_server_started", "port", s.port(), "path", path);
        return s;
    }

    private static void answer(WebhookReceiver receiver, String path, HttpExchange exchange) throws IOException {
        try (exchange) {
            WebhookResponse r;
            if (!exchange.getRequestURI().getPath().equals(path)) {
                r = WebhookResponse.error(404, "callbacks are received at " + path);
            } else {
                try {
                    r = receiver.handle(exchange.getRequestMethod(), exchange.getRequestHeaders(), exchange.getRequestBody());
                } catch (IOException e) {
                    r = WebhookResponse.error(400, "the body could not be read: " + e.getMessage());
                }
            }
            byte[] out = r.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", WebhookResponse.CONTENT_TYPE);
            r.headers().forEach(exchange.getResponseHeaders()::set);
            if (r.status() == 413) {
                // The rest of the body is not read: the connection cannot be reused.
                exchange.getResponseHeaders().set("Connection", "close");
            }
            exchange.sendResponseHeaders(r.status(), out.length);
            exchange.getResponseBody().write(out);
        }
    }

    /** The port it listens on (the one chosen when 0 was asked). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The path it receives at. */
    public String path() {
        return path;
    }

    /** Stops receiving: requests under way get up to a second to finish. */
    @Override
    public void close() {
        int port = port();
        try {
            inFlight.awaitIdle(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.stop(0);
        threads.shutdown();
        try {
            if (!threads.awaitTermination(5, TimeUnit.SECONDS)) {
                threads.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        KeyValueLog.event(LOG, Level.INFO, "webhook_server_stopped", "port", port);
    }
}
