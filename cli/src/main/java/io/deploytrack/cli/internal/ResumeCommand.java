package io.deploytrack.cli.internal;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.HistoryQuery;
import io.deploytrack.core.LeaseInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code resume [--until-idle]}: follows every running row this command can claim. */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = {"Resumes every running deployment it can claim (free or expired lease, a source it can build "
                + "from the environment) and follows them to the end.",
                "Without --until-idle it keeps running, claiming what other instances leave, until interrupted."})
final class ResumeCommand extends BaseCommand {

    @Option(names = "--until-idle", description = "Exit once nothing is left to follow.")
    boolean untilIdle;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "10s", converter = Options.DurationConverter.class,
            description = "How often polling sources are asked (default ${DEFAULT-VALUE}).")
    Duration interval;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = out();
        try (Database db = openExisting();
             Sources sources = Sources.available(context(), interval);
             Progress progress = new Progress(out, context().terminal(), context().clock());
             CliNotifications notifications = CliNotifications.start(context(), db)) {
            DeploymentTracker.Builder b = DeploymentTracker.builder(db.store()).discoverSources(false)
                    .clock(context().clock()).pollInterval(interval).listener(progress);
            sources.all().values().forEach(b::source);
            try (DeploymentTracker tracker = b.build()) {
                CountDownLatch stop = new CountDownLatch(1);
                Thread hook = new Thread(() -> {
                    stop.countDown();
                    tracker.close();
                }, "deploytrack-resume-shutdown");
                Runtime.getRuntime().addShutdownHook(hook);
                try {
                    tracker.start();
                    List<Deployment> running = db.store().list(HistoryQuery.all(10_000).withStatus(DeploymentStatus.RUNNING));
                    int mine = 0;
                    for (Deployment d : running) {
                        Optional<LeaseInfo> lease = db.store().lease(d.id());
                        if (lease.isPresent() && tracker.instanceId().equals(lease.get().owner())) {
                            mine++;
                            progress.follow(d);
                        } else {
                            out.println("not resumed: #" + d.id() + " " + Format.label(d) + ": " + whyNot(d, lease, sources));
                        }
                    }
                    out.println("resumed " + mine + (mine == 1 ? " deployment" : " deployments")
                            + (untilIdle ? "; exits when none is left" : "; press Ctrl-C to stop (they stay running and resume later)"));
                    out.flush();
                    while (!stop.await(200, TimeUnit.MILLISECONDS)) {
                        if (untilIdle && tracker.inFlight() == 0) {
                            break;
                        }
                    }
                } finally {
                    try {
                        Runtime.getRuntime().removeShutdownHook(hook);
                    } catch (IllegalStateException shuttingDown) {
                        // the hook is running: it closes the tracker
                    }
                }
                List<Deployment> done = progress.finished();
                notifications.finish(done.stream().map(Deployment::id).toList(), out);
                long ok = done.stream().filter(d -> d.status() == DeploymentStatus.SUCCESS).count();
                out.println("followed " + done.size() + " to the end: " + ok + " success, " + (done.size() - ok) + " not");
            }
        }
        return ExitCodes.OK;
    }

    private String whyNot(Deployment d, Optional<LeaseInfo> lease, Sources sources) {
        if (lease.isPresent() && lease.get().until() != null && lease.get().until().isAfter(context().clock().instant())) {
            return "followed by " + lease.get().owner() + " (lease until " + Format.time(lease.get().until()) + ")";
        }
        for (DeploymentCheck c : d.checks()) {
            if (!c.status().isTerminal() && sources.get(c.sourceType()).isEmpty()) {
                return "check '" + c.name() + "': " + sources.whyNot(c.sourceType());
            }
        }
        return d.checks().isEmpty() ? "it has no check to follow (a legacy row: 'deploytrack repair' resolves it)"
                : "not claimable now";
    }
}
