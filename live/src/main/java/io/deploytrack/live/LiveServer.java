package io.deploytrack.live;

import io.deploytrack.core.HistoryStore;
import io.deploytrack.live.internal.Guard;
import io.deploytrack.live.internal.LiveSockets;
import io.deploytrack.live.internal.Routes;
import io.deploytrack.live.internal.ServerPaths;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The standalone live server ({@code deploytrack serve}), on Jetty 12: the dashboard page at {@code /}, the WebSocket
 * at {@code /api/v1/ws/deployments}, the SSE stream at {@code /api/v1/deployments/events} ({@code ?deployment_id=} or
 * {@code ?user_id=} subscribes and replays, as the WebSocket's subscribe message does) and the read-only JSON of
 * {@link LiveReadApi} below {@code /api/v1/}, all from one {@link HistoryStore}.
 *
 * <p>It binds 127.0.0.1 unless told otherwise. Bound to any other address it requires a bearer token and refuses to
 * start without one; then every request but the page's files needs {@code Authorization: Bearer <token>} (the
 * WebSocket and the SSE stream may carry it as {@code access_token} in the query, since browsers cannot send headers
 * there). The token never appears in {@link #toString()}, logs or pages.
 *
 * <pre>{@code
 * try (LiveServer server = LiveServer.builder(store).port(8080).start()) {
 *     System.out.println(server.uri()); // http://127.0.0.1:8080/
 * }
 * }</pre>
 */
public final class LiveServer implements AutoCloseable {
    /** The WebSocket's default path, the one the seed system's frontend uses. */
    public static final String WEBSOCKET_PATH = "/api/v1/ws/deployments";
    /** The SSE stream's default path. */
    public static final String SSE_PATH = "/api/v1/deployments/events";
    /** The read-only JSON's prefix. */
    public static final String API_PATH = "/api/v1";
    /** The shortest token accepted, so that a guessable one is refused. */
    public static final int MIN_TOKEN_LENGTH = 16;
    private static final Logger LOG = LoggerFactory.getLogger(LiveServer.class);

    private final Server server;
    private final ServerConnector connector;
    private final LiveHub hub;
    private final Routes routes;
    private final ScheduledExecutorService ownScheduler;
    private final String host;
    private final boolean tokenRequired;

    private LiveServer(Builder b) throws Exception {
        ScheduledExecutorService scheduler = b.scheduler;
        ownScheduler = scheduler == null ? Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "deploytrack-live-tick");
            t.setDaemon(true);
            return t;
        }) : null;
        this.host = b.host;
        this.tokenRequired = b.token != null;
        hub = LiveHub.builder(b.store).codec(b.codec).clock(b.clock).interval(b.interval)
                .scheduler(scheduler != null ? scheduler : ownScheduler).build();
        ServerPaths paths = new ServerPaths("/", WEBSOCKET_PATH, SSE_PATH, API_PATH);
        QueuedThreadPool threads = new QueuedThreadPool(50, 4);
        threads.setName("deploytrack-live-http");
        threads.setDaemon(true);
        server = new Server(threads);
        connector = new ServerConnector(server, 1, 1);
        connector.setHost(b.host);
        connector.setPort(b.port);
        server.addConnector(connector);
        routes = new Routes(hub, LiveReadApi.of(b.store, b.clock, b.codec),
                LivePage.of(WEBSOCKET_PATH, SSE_PATH, API_PATH), paths, server.getScheduler());
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, container -> LiveSockets.map(container,
                WEBSOCKET_PATH, hub));
        ws.setHandler(routes);
        server.setHandler(new Guard(b.token, paths, ws));
        server.setStopTimeout(2_000);
        try {
            server.start();
        } catch (Exception e) {
            closeQuietly();
            throw e;
        }
        hub.start();
    }

    /** A builder over {@code store}. */
    public static Builder builder(HistoryStore store) {
        return new Builder(store);
    }

    /** The port it listens on (the one chosen when asked for 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** The address it listens on, as given. */
    public String host() {
        return host;
    }

    /** The page's address, e.g. {@code http://127.0.0.1:8080/} (a wildcard bind is shown as 127.0.0.1). */
    public URI uri() {
        String h = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host.contains(":") ? "[" + host + "]" : host;
        return URI.create("http://" + h + ":" + port() + "/");
    }

    /** The hub the WebSocket and SSE clients are connected to. */
    public LiveHub hub() {
        return hub;
    }

    /** Stops: ends the event streams, closes the WebSockets and the listener, stops ticking. */
    @Override
    public void close() {
        closeQuietly();
    }

    private void closeQuietly() {
        hub.close();
        routes.endStreams();
        try {
            server.stop();
        } catch (Exception e) {
            // Stopping is best effort: the listener is released with the process in any case.
            LOG.debug("live_server_stop_failed error={}", e.toString());
        }
        if (ownScheduler != null) {
            ownScheduler.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return "LiveServer[" + host + ":" + (server.isStarted() ? port() : "not started")
                + (tokenRequired ? ", bearer token required" : ", no token (loopback)") + "]";
    }

    /** Configures a {@link LiveServer}. */
    public static final class Builder {
        private final HistoryStore store;
        private String host = "127.0.0.1";
        private int port = 0;
        private String token;
        private LiveCodec codec = LiveCodec.standard();
        private Clock clock = Clock.systemUTC();
        private ScheduledExecutorService scheduler;
        private Duration interval = Duration.ofSeconds(1);

        private Builder(HistoryStore store) {
            this.store = Objects.requireNonNull(store, "store");
        }

        /** The address to listen on; default 127.0.0.1. Any other needs a {@link #bearerToken}. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** The port; default 0 (any free one, see {@link LiveServer#port()}). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is not usable: expected 0 to 65535");
            }
            this.port = port;
            return this;
        }

        /**
         * The token every request must bear ({@code Authorization: Bearer ...}); required when the host is not a
         * loopback address; at least {@value #MIN_TOKEN_LENGTH} characters. Read it from the environment, never from
         * a command line.
         */
        public Builder bearerToken(String token) {
            if (token != null && token.strip().length() < MIN_TOKEN_LENGTH) {
                throw new IllegalArgumentException("the bearer token is too short (" + token.strip().length()
                        + " characters): expected at least " + MIN_TOKEN_LENGTH);
            }
            this.token = token == null ? null : token.strip();
            return this;
        }

        /** The codec (status words, user attribute); default {@link LiveCodec#standard()}. */
        public Builder codec(LiveCodec codec) {
            this.codec = Objects.requireNonNull(codec, "codec");
            return this;
        }

        /** The clock of timestamps and progress; default UTC system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Where the hub ticks; default a daemon thread of the server's own, stopped with it. */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** How often the store is read; default 1 s. */
        public Builder interval(Duration interval) {
            this.interval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /**
         * Binds and starts.
         *
         * @throws IllegalStateException when the host is not a loopback address and no token was given
         * @throws IllegalArgumentException when the host is not an address of this machine
         * @throws java.io.UncheckedIOException when the port cannot be bound
         */
        public LiveServer start() {
            InetAddress address;
            try {
                address = InetAddress.getByName(host);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("host '" + host + "' is not usable: expected an address of this "
                        + "machine such as 127.0.0.1, or 0.0.0.0 for every interface");
            }
            if (!address.isLoopbackAddress() && token == null) {
                throw new IllegalStateException("host " + host + " is not a loopback address: a bearer token is "
                        + "required to serve there (or bind 127.0.0.1)");
            }
            try {
                return new LiveServer(this);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("could not listen on " + host + ":" + port + ": "
                        + e.getMessage(), e);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("the live server could not start on " + host + ":" + port, e);
            }
        }
    }
}
