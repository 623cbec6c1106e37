package io.deploytrack.cli.internal;

import io.deploytrack.jdbc.StatusWords;
import io.deploytrack.live.LiveCodec;
import io.deploytrack.live.LiveServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code serve}: the live page, the WebSocket and SSE streams and read-only JSON from any deploytrack database, for
 * hosts that are not Java. It only reads: following deployments stays with the processes that track them.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serves, from --db, the live dashboard at http://HOST:PORT/, the WebSocket at "
                + LiveServer.WEBSOCKET_PATH + ", the Server-Sent Events stream at " + LiveServer.SSE_PATH
                + " (?deployment_id=N or ?user_id=U subscribes and replays) and read-only JSON below "
                + LiveServer.API_PATH + "/ (deployments, deployments/ID, rollback-target?project=O/R&environment=E, "
                + "dashboard).",
                "Binds 127.0.0.1 unless --host says otherwise; bound elsewhere it requires a bearer token read from "
                        + "the environment (Authorization: Bearer TOKEN, or access_token=TOKEN for the streams)."})
final class ServeCommand extends BaseCommand {
    /** Where the bearer token is read by default. */
    static final String TOKEN_ENV = "DEPLOYTRACK_SERVE_TOKEN";

    @Option(names = "--port", required = true, paramLabel = "PORT",
            description = "The port to listen on (0: any free port, printed at start).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "The address to listen on (default ${DEFAULT-VALUE}: this machine only; any other address "
                    + "needs the token).")
    String host;

    @Option(names = "--token-env", defaultValue = TOKEN_ENV, paramLabel = "VAR",
            description = "The environment variable holding the bearer token (default ${DEFAULT-VALUE}); at least "
                    + LiveServer.MIN_TOKEN_LENGTH + " characters.")
    String tokenEnv;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "1s",
            converter = Options.DurationConverter.class,
            description = "How often the database is read for news (default ${DEFAULT-VALUE}).")
    Duration interval;

    @Override
    public Integer call() {
        if (port < 0 || port > 65535) {
            throw usage("--port " + port + " is not usable: expected 0 to 65535");
        }
        if (interval.isZero() || interval.isNegative()) {
            throw usage("--interval " + interval + " is not usable: expected a positive duration such as 1s");
        }
        boolean loopback;
        try {
            loopback = InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw usage("--host '" + host + "' is not usable: expected an address of this machine such as "
                    + "127.0.0.1, or 0.0.0.0 for every interface");
        }
        String token = context().env(tokenEnv);
        token = token == null || token.isBlank() ? null : token.strip();
        if (!loopback && token == null) {
            throw usage("--host " + host + " is not a loopback address: set the environment variable " + tokenEnv
                    + " to a bearer token of at least " + LiveServer.MIN_TOKEN_LENGTH + " characters (or bind "
                    + "127.0.0.1)");
        }
        if (token != null && token.length() < LiveServer.MIN_TOKEN_LENGTH) {
            throw usage("the token in " + tokenEnv + " is too short (" + token.length() + " characters): expected "
                    + "at least " + LiveServer.MIN_TOKEN_LENGTH);
        }
        PrintWriter out = out();
        try (Database db = openExisting()) {
            StatusWords words = db.store().adoptionSettings().statusWords();
            LiveCodec codec = LiveCodec.builder().statusWords(words::hostWord).build();
            LiveServer.Builder b = LiveServer.builder(db.store()).host(host).port(port).codec(codec)
                    .clock(context().clock()).interval(interval);
            if (token != null) {
                b.bearerToken(token);
            }
            CountDownLatch stop = new CountDownLatch(1);
            Thread hook = new Thread(stop::countDown, "deploytrack-serve-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try (LiveServer server = start(b)) {
                out.println("serving " + db.describe() + " at " + server.uri() + " (WebSocket "
                        + LiveServer.WEBSOCKET_PATH + ", events " + LiveServer.SSE_PATH + ", JSON "
                        + LiveServer.API_PATH + "/)" + (token != null ? "; bearer token from " + tokenEnv + " required"
                        : "") + "; press Ctrl-C to stop");
                out.flush();
                while (!stop.await(200, TimeUnit.MILLISECONDS)) {
                    db.requireInPlace();
                }
            } catch (InterruptedException e) {
                // an in-process caller (a test, a host's tooling) stops it by interrupting its thread
                Thread.currentThread().interrupt();
            } finally {
                Tracking.removeShutdownHook(hook);
            }
        }
        return ExitCodes.OK;
    }

    private LiveServer start(LiveServer.Builder b) {
        try {
            return b.start();
        } catch (UncheckedIOException e) {
            throw new CliException(ExitCodes.FAILURE, "could not listen on " + host + ":" + port + ": "
                    + e.getCause().getMessage() + " (is another process using the port?)");
        }
    }
}
