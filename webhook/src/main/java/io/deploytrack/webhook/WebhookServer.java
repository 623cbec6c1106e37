package io.deploytrack.webhook;

import io.deploytrack.core.support.KeyValueLog;
import io.deploytrack.webhook.internal.ConnectionCount;
import io.deploytrack.webhook.internal.HttpRequestReader;
import io.deploytrack.webhook.internal.ServerLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running standalone receiver ({@link WebhookPushSource#listen}); close it to stop.
 *
 * <p>A small HTTP/1.1 server of its own on a {@link ServerSocket}, only what a webhook receiver needs: one request per
 * connection ({@code Connection: close}), a POST body of its {@code Content-Length} within the receiver's limit,
 * headers of at most 16 KiB. Chosen over the JDK's HTTP server, which hands a connection to its handler before the
 * headers are read in full and so has no header read timeout (four clients that sent half a request stalled every
 * push), and over a server library such as Jetty, a dependency of some megabytes and its own configuration for the
 * few limits needed here. What protects it from a slow or hostile client:
 * <ul>
 *   <li>one accept loop that never reads: a connection is read on a connection thread of its own;</li>
 *   <li>the headers must arrive within the header timeout, the body within the body timeout (a total per request, not
 *       per read), else 408 and the connection is closed;</li>
 *   <li>at most so many connections at once in all and per remote address, else 503 with {@code Retry-After};</li>
 *   <li>a request read whole is handled on a bounded pool of handler threads (the receiver, the store), so slow
 *       clients never hold a handler and a burst of pushes never floods the store.</li>
 * </ul>
 */
public final class WebhookServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("io.deploytrack.webhook");
    /** After answering, unread request bytes are drained this long, so closing does not reset the answer away. */
    private static final int DRAIN_MILLIS = 1000;
    private static final int DRAIN_BYTES = 1024 * 1024;
    /** Refused connections waiting for their 503 to be written and drained; beyond it they are closed unanswered. */
    private static final int REFUSALS_QUEUED = 64;

    private final WebhookReceiver receiver;
    private final ServerSocket server;
    private final String path;
    private final ServerLimits limits;
    private final ConnectionCount count;
    private final ThreadPoolExecutor connections;
    private final ExecutorService handlers;
    private final ThreadPoolExecutor refusals;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closing;

    private WebhookServer(WebhookReceiver receiver, ServerSocket server, String path, ServerLimits limits) {
        this.receiver = receiver;
        this.server = server;
        this.path = path;
        this.limits = limits;
        this.count = new ConnectionCount(limits.maxConnections(), limits.maxConnectionsPerAddress());
        // Never more threads than connections allowed: the count is checked before a connection is handed over.
        this.connections = new ThreadPoolExecutor(0, limits.maxConnections(), 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), daemons("deploytrack-webhook-connection-"));
        this.handlers = Executors.newFixedThreadPool(limits.handlerThreads(), daemons("deploytrack-webhook-"));
        // Refusals are answered off the accept thread: a 503 closed at once, with the client's request unread, is
        // reset away by TCP before the client reads it (seen as "header parser received no bytes"), so each is drained.
        this.refusals = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(REFUSALS_QUEUED),
                daemons("deploytrack-webhook-refusal-"));
        this.refusals.allowCoreThreadTimeOut(true);
        this.acceptor = new Thread(this::acceptLoop, "deploytrack-webhook-accept");
        this.acceptor.setDaemon(true);
    }

    static WebhookServer start(WebhookReceiver receiver, InetAddress host, int port, String path, ServerLimits limits)
            throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port), 128);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        WebhookServer s = new WebhookServer(receiver, socket, path, limits);
        s.acceptor.start();
        KeyValueLog.event(LOG, Level.INFO, "webhook_server_started", "host", s.host(), "port", s.port(), "path", path);
        return s;
    }

    private static ThreadFactory daemons(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private void acceptLoop() {
        while (!closing) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (!closing) {
                    KeyValueLog.event(LOG, Level.WARN, "webhook_accept_failed", "error", e.getMessage());
                }
                continue;
            }
            InetAddress from = s.getInetAddress();
            String over = count.open(from);
            if (over != null) {
                refuseAtOnce(s, from, over);
                continue;
            }
            try {
                connections.execute(() -> serve(s, from));
            } catch (RejectedExecutionException e) {
                count.closed(from);
                refuseAtOnce(s, from, closing ? "the receiver is stopping" : "no connection thread is free");
            }
        }
    }

    /**
     * Over a limit: a 503 written without reading the request (a few hundred bytes fit any socket buffer), then the
     * request drained before closing, on a refusal thread. When even those are busy the connection is closed unanswered.
     */
    private void refuseAtOnce(Socket s, InetAddress from, String why) {
        KeyValueLog.event(LOG, Level.WARN, "webhook_connection_refused", "remote", from.getHostAddress(), "reason", why);
        try {
            refusals.execute(() -> {
                try (s) {
                    write(s, WebhookResponse.error(503, why + "; try again later"));
                    drain(s);
                } catch (IOException e) {
                    // the client is gone: nothing to answer
                }
            });
        } catch (RejectedExecutionException e) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private void serve(Socket s, InetAddress from) {
        open.add(s);
        try (s) {
            s.setTcpNoDelay(true);
            WebhookResponse r;
            try {
                r = handled(HttpRequestReader.read(s, limits.headerTimeout(), limits.bodyTimeout(),
                        receiver.maxBodyBytes()));
            } catch (HttpRequestReader.Refusal e) {
                KeyValueLog.event(LOG, Level.INFO, "webhook_request_refused", "http_status", e.status(),
                        "remote", from.getHostAddress(), "reason", e.getMessage());
                r = WebhookResponse.error(e.status(), e.getMessage());
            }
            write(s, r);
            drain(s);
        } catch (IOException e) {
            KeyValueLog.event(LOG, Level.DEBUG, "webhook_connection_failed", "remote", from.getHostAddress(),
                    "error", e.getMessage());
        } finally {
            open.remove(s);
            count.closed(from);
        }
    }

    private WebhookResponse handled(HttpRequestReader.Request req) {
        String target;
        try {
            target = URI.create(req.target()).getPath();
        } catch (IllegalArgumentException e) {
            return WebhookResponse.error(400, "the request target is not a URI path: send callbacks to " + path);
        }
        if (!path.equals(target)) {
            return WebhookResponse.error(404, "callbacks are received at " + path);
        }
        Future<WebhookResponse> answer;
        try {
            answer = handlers.submit(() -> receiver.handle(req.method(), req.headers(), new ByteArrayInputStream(req.body())));
        } catch (RejectedExecutionException e) {
            return WebhookResponse.error(503, "the receiver is stopping; send it again");
        }
        try {
            return answer.get();
        } catch (ExecutionException e) {
            KeyValueLog.event(LOG, Level.ERROR, "webhook_handler_failed", "error", e.getCause());
            return WebhookResponse.error(500, "the callback could not be handled ("
                    + e.getCause().getClass().getSimpleName() + "); send it again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return WebhookResponse.error(503, "the receiver is stopping; send it again");
        }
    }

    private static void write(Socket s, WebhookResponse r) throws IOException {
        byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(r.status()).append(' ').append(reason(r.status()))
                .append("\r\nContent-Type: ").append(WebhookResponse.CONTENT_TYPE)
                .append("\r\nContent-Length: ").append(body.length).append("\r\n");
        // The receiver's own headers (Retry-After on a store failure); the server's limits add Retry-After too.
        r.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        if (r.status() == 503 && !r.headers().containsKey(WebhookResponse.RETRY_AFTER)) {
            head.append(WebhookResponse.RETRY_AFTER).append(": 1\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        OutputStream out = s.getOutputStream();
        out.write(all); // one write, one segment: no wait on a delayed ACK between headers and body
        out.flush();
    }

    /** Ends our side, then reads what the client still sends (bounded) until it closes, so the answer arrives whole. */
    private static void drain(Socket s) throws IOException {
        s.shutdownOutput();
        long until = System.nanoTime() + DRAIN_MILLIS * 1_000_000L;
        InputStream in = s.getInputStream();
        byte[] buf = new byte[8192];
        long read = 0;
        while (read < DRAIN_BYTES) {
            long left = (until - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return;
            }
            s.setSoTimeout((int) left);
            int n;
            try {
                n = in.read(buf);
            } catch (IOException e) {
                return; // timed out or reset: the answer was sent, nothing more to do
            }
            if (n < 0) {
                return;
            }
            read += n;
        }
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 202 -> "Accepted";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 411 -> "Length Required";
            case 413 -> "Content Too Large";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "Status " + status;
        };
    }

    /** The port it listens on (the one chosen when 0 was asked). */
    public int port() {
        return server.getLocalPort();
    }

    /** The address it listens on, as text ({@code 127.0.0.1}, or {@code 0.0.0.0} for every interface). */
    public String host() {
        return server.getInetAddress().getHostAddress();
    }

    /** The path it receives at. */
    public String path() {
        return path;
    }

    /** Connections open now (being read, handled or answered). */
    public int openConnections() {
        return count.total();
    }

    /** Stops receiving: requests being handled get up to a second to finish, connections still being read are closed. */
    @Override
    public void close() {
        int port = port();
        closing = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        handlers.shutdown();
        try {
            if (!handlers.awaitTermination(1, TimeUnit.SECONDS)) {
                handlers.shutdownNow();
            }
            for (Socket s : open) {
                try {
                    s.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
            connections.shutdownNow();
            refusals.shutdownNow();
            connections.awaitTermination(5, TimeUnit.SECONDS);
            acceptor.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        KeyValueLog.event(LOG, Level.INFO, "webhook_server_stopped", "port", port);
    }
}
