package io.deploytrack.core.internal;

import io.deploytrack.core.support.KeyValueLog;
import io.deploytrack.core.DeploymentCheck;
import org.slf4j.event.Level;

import java.time.Instant;
import java.util.Collection;

/**
 * The scheduler's tick: hands each source's due polls to its {@link PollDriver} and each passed deadline to
 * {@link CheckProgress#deadline} on a worker (a resumed check's only once its source answered: see
 * {@link Tracked#awaitingAnswer}). Runs on the scheduler thread and does no I/O itself.
 */
final class DueWork implements Runnable {
    private final Collection<PollDriver> drivers;
    private final InFlight inFlight;
    private final CheckProgress progress;
    private final Workers workers;
    private final TrackerTime time;

    DueWork(Collection<PollDriver> drivers, InFlight inFlight, CheckProgress progress, Workers workers, TrackerTime time) {
        this.drivers = drivers;
        this.inFlight = inFlight;
        this.progress = progress;
        this.workers = workers;
        this.time = time;
    }

    @Override
    public void run() {
        if (workers.closed()) {
            return;
        }
        try {
            Instant now = time.now();
            for (PollDriver d : drivers) {
                d.tick(now);
            }
            for (Tracked t : inFlight.all()) {
                if (!t.open()) {
                    continue;
                }
                Instant grace = t.deadlineGraceUntil;
                if (grace != null && now.isBefore(grace)) {
                    continue;
                }
                for (DeploymentCheck c : t.current.checks()) {
                    if (!c.status().isTerminal() && !c.deadlineAt().isAfter(now) && !t.awaitingAnswer.contains(c.name())
                            && t.deadlinePending.add(c.name())) {
                        String name = c.name();
                        workers.execute(() -> progress.deadline(t, name));
                    }
                }
            }
        } catch (RuntimeException e) {
            KeyValueLog.event(Log.TRACKER, Level.ERROR, "deployment_tracker_tick_failed", "error", e);
        }
    }
}
