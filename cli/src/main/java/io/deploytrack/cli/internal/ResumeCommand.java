package io.deploytrack.cli.internal;

import io.deploytrack.core.CheckRef;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentEvent;
import io.deploytrack.core.DeploymentUpdate;
import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.HistoryQuery;
import io.deploytrack.core.LeaseInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code resume [--until-idle]}: follows every running row this command can claim. */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = {"Resumes every running deployment it can claim (free or expired lease, a source it can build "
                + "from the environment) and follows them to the end. A row without a check whose columns name an NCP "
                + "project and history id is followed at NCP; one with nothing to follow ends timed_out at its deadline.",
                "Without --until-idle it keeps running, claiming what other instances leave, until interrupted.",
                "With --until-idle it waits for the leases of other instances to lapse and takes their rows over; exit "
                + "code 0 once no running row is left that a source here could follow, 1 when rows are left that "
                + "no source here can follow (listed)."})
final class ResumeCommand extends BaseCommand {

    @Option(names = "--until-idle", description = "Exit once nothing is left to follow.")
    boolean untilIdle;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "10s", converter = Options.DurationConverter.class,
            description = "How often polling sources are asked (default ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--lease", paramLabel = "DURATION", defaultValue = "60s", converter = Options.DurationConverter.class,
            description = "How long this instance's claim on a row lasts without renewal (default ${DEFAULT-VALUE}); "
                    + "it looks for rows other instances left every third of it.")
    Duration lease;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5m", converter = Options.DurationConverter.class,
            description = "The deadline, from now, of a row followed at NCP by the ids in its columns (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = out();
        int code = ExitCodes.OK;
        try (Database db = openExisting();
             Sources sources = Sources.available(context(), interval);
             Progress progress = new Progress(out, context().terminal(), context().clock());
             CliNotifications notifications = CliNotifications.start(context(), db)) {
            attachNamedChecks(db, sources, out);
            DeploymentTracker.Builder b = DeploymentTracker.builder(db.store()).discoverSources(false)
                    .clock(context().clock()).pollInterval(interval).leaseDuration(lease).listener(progress);
            sources.all().values().forEach(b::source);
            try (DeploymentTracker tracker = b.build()) {
                CountDownLatch stop = new CountDownLatch(1);
                DeploymentTracker closing = tracker; // closed again by the try: a second close does nothing
                Thread hook = new Thread(() -> {
                    stop.countDown();
                    closing.close();
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
                            ResumedStages.rearm(d, tracker, sources.all(), out);
                        } else {
                            out.println("not resumed: #" + d.id() + " " + Format.label(d) + ": " + whyNot(d, lease, sources));
                        }
                    }
                    out.println("resumed " + mine + (mine == 1 ? " deployment" : " deployments")
                            + (untilIdle ? "; exits when none is left that a source here could follow"
                            : "; press Ctrl-C to stop (they stay running and resume later)"));
                    out.flush();
                    Set<Long> announced = new HashSet<>();
                    while (!stop.await(200, TimeUnit.MILLISECONDS)) {
                        db.requireInPlace();
                        if (untilIdle) {
                            boolean idle = tracker.inFlight() == 0;
                            if (followable(db, sources, tracker, out, announced).isEmpty() && idle) {
                                break;
                            }
                        }
                    }
                } finally {
                    Tracking.removeShutdownHook(hook);
                }
                List<Deployment> done = progress.finished();
                notifications.finish(done.stream().map(Deployment::id).toList(), out);
                out.println(Tracking.followedSummary(done));
                if (untilIdle) {
                    code = reportLeft(db, sources, out);
                }
            }
        }
        return code;
    }

    /**
     * Rows without checks whose attributes (a host's columns) name an NCP deployment get that check, so the tracker
     * asks NCP and records what it says, with NCP's times, instead of timing them out.
     */
    private void attachNamedChecks(Database db, Sources sources, PrintWriter out) {
        Instant now = context().clock().instant();
        for (Deployment d : db.store().list(HistoryQuery.all(10_000).withStatus(DeploymentStatus.RUNNING))) {
            if (!d.checks().isEmpty()) {
                continue;
            }
            Optional<CheckRef> ref = sources.checkFor(d.attributes());
            if (ref.isEmpty() || !sources.has(ref.get().type())) {
                continue;
            }
            Optional<LeaseInfo> lease = db.store().lease(d.id());
            if (lease.isPresent() && lease.get().until() != null && lease.get().until().isAfter(now)) {
                continue;
            }
            DeploymentCheck check = new DeploymentCheck(ref.get().type(), ref.get(), DeploymentStatus.RUNNING, d.startedAt(),
                    null, now.plus(timeout), null, false, null, timeout, Duration.ofHours(24));
            boolean attached = db.store().update(new DeploymentUpdate(d.id(), DeploymentStatus.RUNNING, null, null, null,
                    null, null, null, List.of(check), List.of(DeploymentEvent.of(d.id(), now, DeploymentEvent.Type.CHECK_ADDED, check.name(),
                    null, null, null, "followed at " + ref.get().type() + " by the ids in its columns (" + ref.get() + ")"))));
            if (attached) {
                out.println("#" + d.id() + " " + Format.label(d) + ": no check, but its columns name " + ref.get()
                        + "; asking " + ref.get().type());
            }
        }
    }

    /** Running rows a source here could follow, saying once for each one leased elsewhere when it is taken over. */
    private List<Deployment> followable(Database db, Sources sources, DeploymentTracker tracker, PrintWriter out,
                                        Set<Long> announced) {
        Instant now = context().clock().instant();
        List<Deployment> left = new ArrayList<>();
        for (Deployment d : db.store().list(HistoryQuery.all(10_000).withStatus(DeploymentStatus.RUNNING))) {
            boolean canFollow = d.checks().stream().anyMatch(c -> !c.status().isTerminal() && sources.has(c.sourceType()));
            if (!canFollow) {
                continue;
            }
            left.add(d);
            Optional<LeaseInfo> lease = db.store().lease(d.id());
            if (lease.isPresent() && !tracker.instanceId().equals(lease.get().owner()) && lease.get().until() != null
                    && lease.get().until().isAfter(now) && announced.add(d.id())) {
                out.println("waiting: #" + d.id() + " " + Format.label(d) + " is followed by " + lease.get().owner()
                        + " until " + Format.time(lease.get().until()) + "; taken over if that lease lapses");
                out.flush();
            }
        }
        return left;
    }

    /** Lists the running rows left; 1 when some have checks no source here can follow. */
    private int reportLeft(Database db, Sources sources, PrintWriter out) {
        List<String> unfollowable = new ArrayList<>();
        for (Deployment d : db.store().list(HistoryQuery.all(10_000).withStatus(DeploymentStatus.RUNNING))) {
            if (d.checks().isEmpty()) {
                out.println("left running: #" + d.id() + " " + Format.label(d) + ": nothing to follow (no check); it ends "
                        + "timed_out at its deadline " + Format.time(d.startedAt().plus(db.store().checklessTimeout())));
                continue;
            }
            for (DeploymentCheck c : d.checks()) {
                if (!c.status().isTerminal() && !sources.has(c.sourceType())) {
                    unfollowable.add("#" + d.id() + " " + Format.label(d) + ": check '" + c.name() + "': "
                            + sources.whyNot(c.sourceType()));
                    break;
                }
            }
        }
        if (unfollowable.isEmpty()) {
            return ExitCodes.OK;
        }
        out.println(unfollowable.size() + (unfollowable.size() == 1 ? " running deployment" : " running deployments")
                + " left that no source here can follow:");
        unfollowable.forEach(u -> out.println("  " + u));
        return ExitCodes.FAILURE;
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
        return d.checks().isEmpty() ? "it has no check to follow (a legacy row: it ends timed_out at its deadline; "
                + "'deploytrack repair' resolves it now)"
                : "not claimable now";
    }
}
