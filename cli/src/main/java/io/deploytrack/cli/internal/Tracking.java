package io.deploytrack.cli.internal;

import io.deploytrack.core.CheckSpec;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentHandle;
import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.InvalidRequestException;
import io.deploytrack.core.StatusSource;
import io.deploytrack.core.TrackerClosedException;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Records one deployment and follows it to the end with the real tracker, showing progress; the exit code says how
 * it ended: 0 success, 6 failed, cancelled or timed out. Not public API.
 */
final class Tracking {
    private Tracking() {
    }

    /** What to track and how. */
    record Plan(Function<DeploymentTracker, DeploymentHandle> start, Duration pollInterval, Duration timeout,
                Duration approvalTimeout, boolean json) {
    }

    /** Records {@code request} with one check and follows it. */
    static Function<DeploymentTracker, DeploymentHandle> recordAndFollow(DeploymentRequest request, CheckSpec check) {
        return tracker -> {
            try {
                return tracker.track(request, check);
            } catch (InvalidRequestException e) {
                // the request was validated when it was built: what is refused now is the target (the source said so)
                throw new CliException(ExitCodes.FAILURE, e.getMessage(), e);
            }
        };
    }

    static int track(BaseCommand cmd, Database db, StatusSource source, Plan plan) throws InterruptedException {
        return track(cmd, db, List.of(source), plan);
    }

    /** As {@link #track(BaseCommand, Database, StatusSource, Plan)}, with every source its stages need. */
    static int track(BaseCommand cmd, Database db, List<StatusSource> sources, Plan plan) throws InterruptedException {
        PrintWriter out = cmd.out();
        Context ctx = cmd.context();
        // JSON goes to standard output alone; progress then goes to standard error.
        PrintWriter progressOut = plan.json() ? cmd.err() : out;
        try (Progress progress = new Progress(progressOut, ctx.terminal(), ctx.clock());
             CliNotifications notifications = CliNotifications.start(ctx, db)) {
            DeploymentTracker.Builder b = DeploymentTracker.builder(db.store()).discoverSources(false)
                    .clock(ctx.clock()).listener(progress).defaultTimeout(plan.timeout());
            sources.forEach(b::source);
            if (plan.pollInterval() != null) {
                b.pollInterval(plan.pollInterval());
            }
            if (plan.approvalTimeout() != null) {
                b.defaultApprovalTimeout(plan.approvalTimeout());
            }
            try (DeploymentTracker tracker = b.build()) {
                Thread hook = new Thread(tracker::close, "deploytrack-track-shutdown");
                Runtime.getRuntime().addShutdownHook(hook);
                try {
                    DeploymentHandle h = plan.start().apply(tracker);
                    if (!h.created()) {
                        progressOut.println("#" + h.id() + " " + Format.label(h.deployment()) + " was already recorded ("
                                + h.deployment().status().word() + "); following that record");
                    }
                    progress.follow(h.deployment());
                    Deployment done;
                    try {
                        done = awaitEnd(h.completion(), db);
                    } catch (ExecutionException e) {
                        if (e.getCause() instanceof TrackerClosedException) {
                            throw new CliException(ExitCodes.FAILURE, "stopped before deployment #" + h.id()
                                    + " ended; it stays running and 'deploytrack resume' follows it on", e.getCause());
                        }
                        throw new CliException(ExitCodes.FAILURE, "tracking deployment #" + h.id() + " failed: "
                                + e.getCause().getMessage(), e.getCause());
                    }
                    progress.onCompleted(done);
                    notifications.finish(List.of(done.id()), progressOut);
                    if (plan.json()) {
                        out.println(Json.write(Json.tracked(done)));
                    }
                    out.flush();
                    return done.status() == DeploymentStatus.SUCCESS ? ExitCodes.OK : ExitCodes.DEPLOYMENT_DID_NOT_SUCCEED;
                } finally {
                    removeShutdownHook(hook);
                }
            }
        }
    }

    /** Waits for {@code end}, checking every 200 ms that the store's file is still there (it throws once it is not). */
    static <T> T awaitEnd(CompletableFuture<T> end, Database db) throws InterruptedException, ExecutionException {
        while (true) {
            try {
                return end.get(200, TimeUnit.MILLISECONDS);
            } catch (TimeoutException stillRunning) {
                db.requireInPlace();
            }
        }
    }

    /** Removes a shutdown hook that closes a tracker; when the JVM is already shutting down, the hook closes it. */
    static void removeShutdownHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: it closes the tracker
        }
    }

    /** {@code followed N to the end: S success, F not}, for the commands that follow several deployments. */
    static String followedSummary(List<Deployment> done) {
        long ok = done.stream().filter(d -> d.status() == DeploymentStatus.SUCCESS).count();
        return "followed " + done.size() + " to the end: " + ok + " success, " + (done.size() - ok) + " not";
    }
}
