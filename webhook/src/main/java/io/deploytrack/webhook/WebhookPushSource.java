package io.deploytrack.webhook;

import io.deploytrack.core.support.CallbackSignature;
import io.deploytrack.core.PushSource;
import io.deploytrack.core.PushTarget;
import io.deploytrack.webhook.internal.ServerLimits;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The push source: signed HTTP callbacks become observations, applied at once; polling stays the safety net.
 *
 * <pre>{@code
 * WebhookPushSource webhook = WebhookPushSource.builder().secret(System.getenv("DEPLOYTRACK_RECEIVER_SECRET")).build();
 * DeploymentTracker tracker = DeploymentTracker.builder(store).source(ncp).source(webhook).build().start();
 * tracker.track(request, CheckSpec.of(ncpRef).pushedBy(webhook));   // pushed, and polled as the safety net
 * try (WebhookServer server = webhook.listen("127.0.0.1", 8090, "/hooks")) { ... } // standalone
 * // or mount webhook.receiver() in your own web stack
 * }</pre>
 *
 * <p>Accepted: deploytrack's own callbacks (signed as {@link CallbackSignature} says, for the check named by its
 * {@code ref}) and GitHub {@code deployment_status} events (signed with {@code X-Hub-Signature-256}, for the checks
 * pushed by this source of the deployment whose attribute {@link Builder#githubDeploymentAttribute} holds the GitHub
 * deployment id). A check of type {@code webhook} (e.g. {@code CheckRef.of("webhook", "id", "release-42")}) is followed
 * by pushes alone: its deadline is its only safety net.
 */
public final class WebhookPushSource implements PushSource {

    /** The source type. */
    public static final String TYPE = "webhook";
    /** The default body limit: 64 KiB. */
    public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;
    /** The default attribute that holds a GitHub deployment id. */
    public static final String DEFAULT_GITHUB_ATTRIBUTE = "github_deployment_id";

    private final WebhookReceiver receiver;
    private final ServerLimits limits;
    private volatile PushTarget target;

    private WebhookPushSource(Builder b) {
        this.limits = new ServerLimits(b.serverThreads, b.headerTimeout, b.bodyTimeout, b.maxConnections,
                b.maxConnectionsPerAddress);
        this.receiver = new WebhookReceiver(this, b.secrets, b.tolerance, b.maxBodyBytes, b.clock, b.githubAttribute,
                b.replayCapacity);
    }

    /** A builder; at least one secret is required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void connect(PushTarget target) {
        this.target = Objects.requireNonNull(target, "target");
    }

    PushTarget target() {
        return target;
    }

    /** The framework-free handler, to mount in a host's own web stack. */
    public WebhookReceiver receiver() {
        return receiver;
    }

    /**
     * Receives callbacks at {@code http://HOST:port/path} on every interface (port 0: any free port); see
     * {@link #listen(String, int, String)} to bind one.
     *
     * @throws UncheckedIOException when the port cannot be bound, naming it
     */
    public WebhookServer listen(int port, String path) {
        return listen(null, port, path);
    }

    /**
     * Receives callbacks at {@code http://host:port/path} on the standalone server ({@link WebhookServer}; port 0: any
     * free port).
     *
     * @param host the address to bind, such as {@code 127.0.0.1} behind a local proxy; null or {@code 0.0.0.0}: every
     *             interface
     * @throws IllegalArgumentException when the host is not an address of this machine's, or the port or path unusable
     * @throws UncheckedIOException     when the port cannot be bound, naming it
     */
    public WebhookServer listen(String host, int port, String path) {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("path '" + path + "' is not usable: expected an absolute path such as /hooks");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not usable: expected 0 to 65535");
        }
        InetAddress address;
        try {
            address = host == null || host.isBlank() ? new InetSocketAddress(0).getAddress() : InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("host '" + host + "' is not usable: expected an address of this machine "
                    + "such as 127.0.0.1, or 0.0.0.0 for every interface", e);
        }
        try {
            return WebhookServer.start(receiver, address, port, path, limits);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for webhooks on " + address.getHostAddress() + " port " + port
                    + ": " + e.getMessage() + " (is another process using it, or is the host not this machine's?)", e);
        }
    }

    @Override
    public String toString() {
        return "WebhookPushSource[type=" + TYPE + ", maxBodyBytes=" + receiver.maxBodyBytes() + "]";
    }

    /** Configures a {@link WebhookPushSource}. Secrets given here never appear in {@code toString}, logs or errors. */
    public static final class Builder {
        private static final Pattern ATTRIBUTE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
        private final List<String> secrets = new ArrayList<>();
        private Duration tolerance = CallbackSignature.DEFAULT_TOLERANCE;
        private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private Clock clock = Clock.systemUTC();
        private String githubAttribute = DEFAULT_GITHUB_ATTRIBUTE;
        private int replayCapacity = 100_000;
        private int serverThreads = 4;
        private Duration headerTimeout = Duration.ofSeconds(10);
        private Duration bodyTimeout = Duration.ofSeconds(30);
        private int maxConnections = 64;
        private int maxConnectionsPerAddress = 16;

        private Builder() {
        }

        /** Adds an accepted secret; give the new and the old one while rotating. */
        public Builder secret(String secret) {
            if (secret == null || secret.isBlank()) {
                throw new IllegalArgumentException("a webhook secret is empty: give a non-empty shared secret "
                        + "(e.g. from the DEPLOYTRACK_RECEIVER_SECRET environment variable)");
            }
            secrets.add(secret);
            return this;
        }

        /** Adds several accepted secrets. */
        public Builder secrets(List<String> secrets) {
            secrets.forEach(this::secret);
            return this;
        }

        /** How far a callback's timestamp may be from this receiver's clock; default 5 minutes. */
        public Builder tolerance(Duration tolerance) {
            if (tolerance == null || tolerance.isNegative() || tolerance.isZero()) {
                throw new IllegalArgumentException("tolerance " + tolerance + " is not usable: expected a positive duration");
            }
            this.tolerance = tolerance;
            return this;
        }

        /** The largest body accepted (413 above it); default 64 KiB. */
        public Builder maxBodyBytes(int bytes) {
            if (bytes < 256 || bytes > 16 * 1024 * 1024) {
                throw new IllegalArgumentException("maxBodyBytes " + bytes + " is not usable: expected 256 to 16 MiB");
            }
            this.maxBodyBytes = bytes;
            return this;
        }

        /** The clock that timestamps are checked against; default UTC system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The deployment attribute that holds a GitHub deployment id; default {@code github_deployment_id}. */
        public Builder githubDeploymentAttribute(String key) {
            if (key == null || !ATTRIBUTE.matcher(key).matches()) {
                throw new IllegalArgumentException("attribute key '" + key + "' is not usable: expected 1 to 64 "
                        + "letters, digits, '.', '-' or '_'");
            }
            this.githubAttribute = key;
            return this;
        }

        /** How many recent delivery ids are remembered to refuse replays; default 100,000. */
        public Builder replayCapacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("replayCapacity " + capacity + " is not usable: expected 1 or more");
            }
            this.replayCapacity = capacity;
            return this;
        }

        /**
         * How long the standalone server waits for a request's line and headers, in all, from the accept (408 and
         * closed after it); default 10 s.
         */
        public Builder headerTimeout(Duration timeout) {
            this.headerTimeout = positive("headerTimeout", timeout);
            return this;
        }

        /** How long the standalone server waits for a body, in all, after its headers (408 after it); default 30 s. */
        public Builder bodyTimeout(Duration timeout) {
            this.bodyTimeout = positive("bodyTimeout", timeout);
            return this;
        }

        /**
         * Connections the standalone server keeps open at once, in all and from one remote address; more are answered
         * 503 with {@code Retry-After} and closed. Default 64 and 16.
         */
        public Builder maxConnections(int total, int perAddress) {
            if (total < 1 || total > 4096) {
                throw new IllegalArgumentException("maxConnections " + total + " is not usable: expected 1 to 4096");
            }
            if (perAddress < 1 || perAddress > total) {
                throw new IllegalArgumentException("maxConnections per address " + perAddress + " is not usable: "
                        + "expected 1 to the total (" + total + ")");
            }
            this.maxConnections = total;
            this.maxConnectionsPerAddress = perAddress;
            return this;
        }

        private static Duration positive(String name, Duration d) {
            if (d == null || d.isNegative() || d.isZero() || d.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException(name + " " + d + " is not usable: expected a positive duration of at "
                        + "most an hour");
            }
            return d;
        }

        /** Handler threads of the standalone server (requests handled at once, after they are read); default 4. */
        public Builder serverThreads(int threads) {
            if (threads < 1 || threads > 256) {
                throw new IllegalArgumentException("serverThreads " + threads + " is not usable: expected 1 to 256");
            }
            this.serverThreads = threads;
            return this;
        }

        /** Builds the source; register it with the tracker's builder. */
        public WebhookPushSource build() {
            if (secrets.isEmpty()) {
                throw new IllegalStateException("a webhook source needs at least one secret: call secret(...) "
                        + "(unsigned callbacks are never accepted)");
            }
            return new WebhookPushSource(this);
        }

        @Override
        public String toString() {
            return "WebhookPushSource.Builder[secrets=" + secrets.size() + " (hidden), tolerance=" + tolerance + "]";
        }
    }
}
