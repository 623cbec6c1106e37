package io.deploytrack.cli.internal;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.HistoryQuery;
import io.deploytrack.core.LeaseInfo;
import io.deploytrack.notify.ChannelsFromEnvironment;
import io.deploytrack.webhook.WebhookServer;
import io.deploytrack.webhook.WebhookPushSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code webhook serve}: receives signed callbacks and ends checks from them, polling as the safety net. */
@Command(name = "webhook", mixinStandardHelpOptions = true,
        description = "Receive deployment callbacks over HTTP (push), for hosts that are not Java.",
        subcommands = WebhookCommand.Serve.class)
final class WebhookCommand implements Callable<Integer> {
    /** The receiver's incoming secret (the senders sign with it), apart from the notifications' outgoing one. */
    static final String RECEIVER_SECRET = "DEPLOYTRACK_RECEIVER_SECRET";
    /** Its former name, shared with the notifications' secret until they were told apart; still read, with a warning. */
    static final String RECEIVER_SECRET_DEPRECATED = "DEPLOYTRACK_WEBHOOK_SECRET";

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "a subcommand is needed: serve");
    }

    /** {@code webhook serve --port P [--host 127.0.0.1] --path /hooks [--secret-env VAR] [--until-idle]}. */
    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = {"Resumes the running deployments of --db as 'resume' does, receives signed callbacks at "
                    + "http://HOST:PORT/PATH (deploytrack's own and GitHub deployment_status) and ends checks from "
                    + "them; polling stays the safety net for pushes that never come.",
                    "Answers: 200 applied, or recorded for the process that follows the deployment (or a replay, "
                            + "ignored), 202 nothing to do (unknown or ended check), 400 malformed, 401 bad signature "
                            + "or stale timestamp, 413 body over 64 KiB, 503 the store could not keep it (nothing "
                            + "kept: send the same delivery again after Retry-After)."})
    static final class Serve extends BaseCommand {

        @Option(names = "--port", required = true, paramLabel = "PORT",
                description = "The port to listen on (0: any free port, printed at start).")
        int port;

        @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
                description = "The address to listen on (default ${DEFAULT-VALUE}: this machine only, behind a proxy "
                        + "or tunnel; 0.0.0.0 for every interface).")
        String host;

        @Option(names = "--path", defaultValue = "/hooks", paramLabel = "PATH",
                description = "The path callbacks are posted to (default ${DEFAULT-VALUE}).")
        String path;

        @Option(names = "--secret-env", paramLabel = "VAR",
                description = "The environment variable holding the incoming shared secret; several secrets (while "
                        + "rotating) separated by commas (default " + RECEIVER_SECRET + "; "
                        + RECEIVER_SECRET_DEPRECATED + " is still read, with a warning).")
        String secretEnv;

        @Option(names = "--until-idle", description = "Exit once nothing is left to follow.")
        boolean untilIdle;

        @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "10s",
                converter = Options.DurationConverter.class,
                description = "How often polling sources are asked while no push comes (default ${DEFAULT-VALUE}).")
        Duration interval;

        @Option(names = "--push-interval", paramLabel = "DURATION", defaultValue = "60s",
                converter = Options.DurationConverter.class,
                description = "The poll interval of a check while pushes arrive for it (default ${DEFAULT-VALUE}).")
        Duration pushInterval;

        @Override
        public Integer call() throws InterruptedException {
            if (port < 0 || port > 65535) {
                throw usage("--port " + port + " is not usable: expected 0 to 65535");
            }
            try {
                InetAddress.getByName(host);
            } catch (UnknownHostException e) {
                throw usage("--host '" + host + "' is not usable: expected an address of this machine such as "
                        + "127.0.0.1, or 0.0.0.0 for every interface");
            }
            if (!path.startsWith("/")) {
                throw usage("--path '" + path + "' is not usable: expected an absolute path such as /hooks");
            }
            List<String> secrets = secrets();
            PrintWriter out = out();
            WebhookPushSource webhook = WebhookPushSource.builder().secrets(secrets).clock(context().clock()).build();
            try (Database db = openExisting();
                 Sources sources = Sources.available(context(), interval);
                 Progress progress = new Progress(out, context().terminal(), context().clock())) {
                DeploymentTracker.Builder b = DeploymentTracker.builder(db.store()).discoverSources(false)
                        .clock(context().clock()).pollInterval(interval).pushPollInterval(pushInterval)
                        .listener(progress);
                sources.all().values().forEach(b::source);
                b.source(webhook);
                try (DeploymentTracker tracker = b.build()) {
                    CountDownLatch stop = new CountDownLatch(1);
                    DeploymentTracker closing = tracker; // closed again by the try: a second close does nothing
                    Thread hook = new Thread(() -> {
                        stop.countDown();
                        closing.close();
                    }, "deploytrack-webhook-shutdown");
                    Runtime.getRuntime().addShutdownHook(hook);
                    try {
                        tracker.start();
                        int mine = 0;
                        for (Deployment d : db.store().list(HistoryQuery.all(10_000).withStatus(DeploymentStatus.RUNNING))) {
                            Optional<LeaseInfo> lease = db.store().lease(d.id());
                            if (lease.isPresent() && tracker.instanceId().equals(lease.get().owner())) {
                                mine++;
                                progress.follow(d);
                            }
                        }
                        try (WebhookServer server = webhook.listen(host, port, path)) {
                            out.println("listening on http://" + server.host() + ":" + server.port() + server.path() + "; resumed "
                                    + mine + (mine == 1 ? " deployment" : " deployments")
                                    + (untilIdle ? "; exits when none is left" : "; press Ctrl-C to stop"));
                            out.flush();
                            while (!stop.await(200, TimeUnit.MILLISECONDS)) {
                                db.requireInPlace();
                                if (untilIdle && tracker.inFlight() == 0) {
                                    break;
                                }
                            }
                        }
                    } finally {
                        Tracking.removeShutdownHook(hook);
                    }
                    List<Deployment> done = progress.finished();
                    out.println(Tracking.followedSummary(done));
                }
            }
            return ExitCodes.OK;
        }

        /**
         * The accepted secrets: from {@code --secret-env}, else {@link #RECEIVER_SECRET}, else (with a deprecation
         * warning) {@link #RECEIVER_SECRET_DEPRECATED}, the name it shared with the notifications' outgoing secret.
         */
        private List<String> secrets() {
            String name = secretEnv != null ? secretEnv : RECEIVER_SECRET;
            String value = context().env(name);
            if (secretEnv == null && blank(value) && !blank(context().env(RECEIVER_SECRET_DEPRECATED))) {
                name = RECEIVER_SECRET_DEPRECATED;
                value = context().env(name);
                err().println("warning: " + RECEIVER_SECRET_DEPRECATED + " is deprecated for 'webhook serve' and will "
                        + "be removed: set " + RECEIVER_SECRET + " (notifications sign with "
                        + ChannelsFromEnvironment.WEBHOOK_SIGNING_SECRET + ")");
                err().flush();
            }
            if (blank(value)) {
                throw usage("no webhook secret: set the environment variable " + name
                        + " to the shared secret the senders sign with (or name another with --secret-env)");
            }
            List<String> out = new ArrayList<>();
            for (String s : value.split(",")) {
                if (!s.isBlank()) {
                    out.add(s.strip());
                }
            }
            return out;
        }

        private static boolean blank(String s) {
            return s == null || s.isBlank();
        }
    }
}
