package io.deploytrack.cli.internal;

import io.deploytrack.notify.ChannelsFromEnvironment;
import io.deploytrack.notify.NotificationChannel;
import io.deploytrack.notify.Notifier;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * The notifications of a tracking command: when the environment configures channels ({@code DEPLOYTRACK_SLACK_WEBHOOK_URL},
 * {@code DEPLOYTRACK_WEBHOOK_URL} with {@code DEPLOYTRACK_WEBHOOK_SIGNING_SECRET}, {@code DEPLOYTRACK_GITHUB_TOKEN}), delivers
 * while it tracks and, before it exits, waits (bounded by {@code DEPLOYTRACK_NOTIFY_WAIT}, default 30 s) for the
 * deliveries of what it tracked; what is still pending stays in the delivery log for the next process. Without
 * channels it does nothing. Not public API.
 */
final class CliNotifications implements AutoCloseable {
    private static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);

    private final Notifier notifier;
    private final Duration wait;

    private CliNotifications(Notifier notifier, Duration wait) {
        this.notifier = notifier;
        this.wait = wait;
    }

    /**
     * Starts delivering when channels are configured; registers them first, so the events of what this command tracks
     * come after their read position.
     *
     * @throws CliException (usage, exit 2) when a variable's value is not usable
     */
    static CliNotifications start(Context ctx, Database db) {
        List<NotificationChannel> channels;
        Duration wait = DEFAULT_WAIT;
        try {
            channels = ChannelsFromEnvironment.channels(environment(ctx));
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
        }
        String w = ctx.env("DEPLOYTRACK_NOTIFY_WAIT");
        if (w != null) {
            try {
                wait = new Options.DurationConverter().convert(w);
            } catch (RuntimeException e) {
                throw new CliException(ExitCodes.USAGE, "DEPLOYTRACK_NOTIFY_WAIT " + w
                        + " is not usable: expected a duration such as 30s or 2m", e);
            }
        }
        if (channels.isEmpty()) {
            return new CliNotifications(null, wait);
        }
        Notifier n = Notifier.builder(db.store()).channels(channels).clock(ctx.clock())
                .pollInterval(Duration.ofMillis(500)).build();
        n.start();
        return new CliNotifications(n, wait);
    }

    private static java.util.Map<String, String> environment(Context ctx) {
        java.util.Map<String, String> env = new java.util.HashMap<>();
        for (String name : List.of("DEPLOYTRACK_SLACK_WEBHOOK_URL", "DEPLOYTRACK_SLACK_STARTED", "DEPLOYTRACK_SLACK_LANGUAGE",
                ChannelsFromEnvironment.WEBHOOK_URL, ChannelsFromEnvironment.WEBHOOK_SIGNING_SECRET,
                // only to name it when the URL lacks its secret: it is the receiver's, never a notification's
                WebhookCommand.RECEIVER_SECRET_DEPRECATED, "DEPLOYTRACK_GITHUB_TOKEN",
                "DEPLOYTRACK_GITHUB_API_URL", "DEPLOYTRACK_NOTIFY_STATUSES", "DEPLOYTRACK_NOTIFY_PROJECTS",
                "DEPLOYTRACK_NOTIFY_ENVIRONMENTS")) {
            String v = ctx.env(name);
            if (v != null) {
                env.put(name, v);
            }
        }
        return env;
    }

    /** Waits for the deliveries of these deployments and says how it went (on {@code out}: standard error for JSON). */
    void finish(Collection<Long> deploymentIds, PrintWriter out) {
        if (notifier == null || deploymentIds.isEmpty()) {
            return;
        }
        boolean all = notifier.awaitDelivered(deploymentIds, wait);
        if (!all) {
            out.println("notifications: some are still pending after " + Format.duration(wait)
                    + "; they stay queued for the next process ('deploytrack notifications --status pending')");
        }
        out.flush();
    }

    @Override
    public void close() {
        if (notifier != null) {
            notifier.close();
        }
    }
}
