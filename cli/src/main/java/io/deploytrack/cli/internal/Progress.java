package io.deploytrack.cli.internal;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.DeploymentListener;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Progress of the deployments being tracked. On a terminal: one live line per deployment (elapsed time, the source's
 * status), redrawn every second, and a final line when it ends. Otherwise: a plain line whenever a source status
 * changes, and a final line. Not public API.
 */
final class Progress implements DeploymentListener, AutoCloseable {
    private static final String ESC = "\u001b[";

    private final PrintWriter out;
    private final boolean terminal;
    private final Clock clock;
    private final Map<Long, Line> active = new LinkedHashMap<>();
    private final List<Deployment> finished = new ArrayList<>();
    private final Set<Long> finishedIds = new HashSet<>();
    private final ScheduledExecutorService ticker;
    private int drawn;

    private static final class Line {
        Deployment deployment;
        String check;
        String sourceStatus;
        boolean awaitingApproval;
    }

    Progress(PrintWriter out, boolean terminal, Clock clock) {
        this.out = out;
        this.terminal = terminal;
        this.clock = clock;
        if (terminal) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "deploytrack-progress");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleAtFixedRate(this::redraw, 1, 1, TimeUnit.SECONDS);
        } else {
            ticker = null;
        }
    }

    /** Shows a deployment that is followed from now on (a new one, or one resumed). */
    synchronized void follow(Deployment d) {
        if (d.isTerminal() || active.containsKey(d.id()) || finishedIds.contains(d.id())) {
            return;
        }
        Line l = new Line();
        l.deployment = d;
        d.checks().stream().filter(c -> !c.status().isTerminal()).findFirst().ifPresent(c -> {
            l.check = c.name();
            l.sourceStatus = c.lastSourceStatus();
        });
        active.put(d.id(), l);
        if (terminal) {
            redraw();
        } else {
            out.println(stamp() + " #" + d.id() + " " + Format.label(d) + ": following" + (l.sourceStatus == null
                    ? "" : ", last status " + l.sourceStatus));
            out.flush();
        }
    }

    @Override
    public synchronized void onStatusChanged(Deployment d, DeploymentCheck check) {
        if (d.isTerminal() || finishedIds.contains(d.id())) {
            return;
        }
        Line l = active.get(d.id());
        if (l == null) {
            follow(d);
            l = active.get(d.id());
        }
        boolean changed = check.lastSourceStatus() != null && !check.lastSourceStatus().equals(l.sourceStatus);
        l.deployment = d;
        l.check = check.name();
        l.sourceStatus = check.lastSourceStatus();
        l.awaitingApproval = check.awaitingApproval();
        if (terminal) {
            redraw();
        } else if (changed) {
            out.println(stamp() + " #" + d.id() + " " + Format.label(d) + ": " + l.check + " " + l.sourceStatus
                    + (l.awaitingApproval ? " (awaiting approval)" : "") + ", " + Format.duration(elapsed(d)) + " elapsed");
            out.flush();
        }
    }

    @Override
    public synchronized void onCompleted(Deployment d) {
        if (!finishedIds.add(d.id())) {
            return;
        }
        active.remove(d.id());
        finished.add(d);
        if (terminal) {
            erase();
        }
        out.println((terminal ? "" : stamp() + " ") + "#" + d.id() + " " + Format.label(d) + ": " + d.status().word()
                + " after " + Format.duration(d.totalDuration())
                + (d.errorMessage() == null ? "" : " (" + (d.errorStage() == null ? "" : d.errorStage() + ": ")
                + Format.cut(d.errorMessage(), 200) + ")"));
        if (terminal) {
            draw();
        }
        out.flush();
    }

    synchronized int activeCount() {
        return active.size();
    }

    /** The deployments that ended while shown, in order. */
    synchronized List<Deployment> finished() {
        return List.copyOf(finished);
    }

    private void redraw() {
        synchronized (this) {
            erase();
            draw();
            out.flush();
        }
    }

    private void erase() {
        if (drawn > 0) {
            out.print(ESC + drawn + "A");
            for (int i = 0; i < drawn; i++) {
                out.print("\r" + ESC + "2K\n");
            }
            out.print(ESC + drawn + "A");
            drawn = 0;
        }
    }

    private void draw() {
        for (Line l : active.values()) {
            out.print("\r" + ESC + "2K" + "#" + l.deployment.id() + " " + Format.label(l.deployment) + "  "
                    + Format.duration(elapsed(l.deployment)) + "  " + (l.check == null ? "" : l.check + ": ")
                    + (l.sourceStatus == null ? "waiting for the first status" : l.sourceStatus)
                    + (l.awaitingApproval ? " (awaiting approval)" : "") + "\n");
        }
        drawn = active.size();
    }

    private Duration elapsed(Deployment d) {
        Instant start = d.startedAt() == null ? clock.instant() : d.startedAt();
        Duration e = Duration.between(start, clock.instant());
        return e.isNegative() ? Duration.ZERO : e;
    }

    private String stamp() {
        return Format.time(clock.instant());
    }

    @Override
    public void close() {
        if (ticker != null) {
            ticker.shutdownNow();
            synchronized (this) {
                erase();
                out.flush();
            }
        }
    }
}
