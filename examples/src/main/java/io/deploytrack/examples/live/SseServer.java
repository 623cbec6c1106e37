package io.deploytrack.examples.live;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;

/**
 * Serves a {@link DeploymentFeed} as Server-Sent Events at {@code /events} from the JDK's built-in HTTP server:
 * {@code event: started|status|completed} and {@code data: {json}} per change.
 */
public final class SseServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService connections = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "sse-connection");
        t.setDaemon(true);
        return t;
    });

    /** Starts serving {@code feed} on {@code host:port} (port 0 picks a free one). */
    public SseServer(DeploymentFeed feed, String host, int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 0);
        server.setExecutor(connections);
        server.createContext("/events", ex -> stream(ex, feed));
        server.start();
    }

    /** The URL of the event stream. */
    public URI eventsUri() {
        return URI.create("http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort() + "/events");
    }

    private static void stream(HttpExchange ex, DeploymentFeed feed) throws IOException {
        ex.getResponseHeaders().add("Content-Type", "text/event-stream; charset=utf-8");
        ex.getResponseHeaders().add("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        CountDownLatch closed = new CountDownLatch(1);
        feed.subscribe(new Flow.Subscriber<>() {
            private Flow.Subscription subscription;

            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                s.request(Long.MAX_VALUE);
                write(": connected\n\n");
            }

            @Override
            public void onNext(DeploymentChange c) {
                write("event: " + c.kind() + "\nid: " + c.id() + "\ndata: " + c.toJson() + "\n\n");
            }

            private void write(String s) {
                try {
                    out.write(s.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                } catch (IOException e) {
                    subscription.cancel(); // the browser went away
                    closed.countDown();
                }
            }

            @Override
            public void onError(Throwable t) {
                closed.countDown();
            }

            @Override
            public void onComplete() {
                closed.countDown();
            }
        });
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            ex.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        connections.shutdownNow();
    }
}
