package io.deploytrack.core.internal;

import io.deploytrack.core.support.KeyValueLog;
import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.Observation;
import io.deploytrack.core.PendingPush;
import io.deploytrack.core.PollingSource;
import io.deploytrack.core.StatusSource;
import io.deploytrack.core.WatchingSource;
import org.slf4j.event.Level;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Starts following a deployment's running checks at their sources: polled checks join their source's
 * {@link PollDriver}, watched checks open a {@link WatchingSource#follow} whose pushed observations queue in the
 * deployment's mailbox and reach the {@link ObservationSink} one at a time, in order.
 */
final class Followers {
    private final Map<String, StatusSource> sources;
    private final Map<String, PollDriver> drivers;
    private final ObservationSink sink;
    private final Workers workers;
    private final TrackerTime time;
    private final Duration pollInterval;
    private final Duration resumeGrace;

    /**
     * @param tickInterval how often deadlines are checked; a resumed watched check's passed deadline waits two poll
     *                     intervals and one tick, so its watch can report what happened while nobody watched (a
     *                     resumed polled check's waits for its source's answer instead)
     */
    Followers(Map<String, StatusSource> sources, Map<String, PollDriver> drivers, ObservationSink sink, Workers workers,
              TrackerTime time, Duration pollInterval, Duration tickInterval) {
        this.sources = sources;
        this.drivers = drivers;
        this.sink = sink;
        this.workers = workers;
        this.time = time;
        this.pollInterval = pollInterval;
        this.resumeGrace = pollInterval.multipliedBy(2).plus(tickInterval);
    }

    /** Follows every running check of {@code t} not followed yet. Call under {@code t}'s monitor. */
    void start(Tracked t, boolean resumed) {
        start(t, resumed, List.of(), null);
    }

    /**
     * As {@link #start(Tracked, boolean)}, with the observations pushed for {@code t} while nobody held it: they are
     * queued first, and the checks they are about are not polled before {@code pollNotBefore}, so a claimed row
     * applies what was pushed to it before its source is asked. Call under {@code t}'s monitor.
     */
    void start(Tracked t, boolean resumed, List<PendingPush> pushed, Instant pollNotBefore) {
        Instant now = time.now();
        Set<String> pushedChecks = new HashSet<>();
        pushed.forEach(p -> pushedChecks.add(p.checkName()));
        for (DeploymentCheck c : t.current.checks()) {
            if (c.status().isTerminal() || !c.isStarted() || t.followings.containsKey(c.name())) {
                continue;
            }
            StatusSource src = sources.get(c.sourceType());
            if (src instanceof PollingSource) {
                if (resumed) {
                    // Its deadline may have passed while nobody watched: it takes effect once the source was asked.
                    t.awaitingAnswer.add(c.name());
                }
                long notBefore = pushedChecks.contains(c.name()) ? pollNotBefore.toEpochMilli() : 0;
                t.followings.put(c.name(), drivers.get(c.sourceType()).add(t, c, now, notBefore));
            } else if (src instanceof WatchingSource w) {
                if (resumed) {
                    t.deadlineGraceUntil = now.plus(resumeGrace);
                }
                String name = c.name();
                try {
                    t.followings.put(name, w.follow(c.ref(), o -> submit(t, name, o, null, 0)));
                } catch (RuntimeException e) {
                    KeyValueLog.event(Log.TRACKER, Level.WARN, "deployment_follow_failed", "deployment_id", t.id, "check", name,
                            "source", c.sourceType(), "error", e);
                    workers.later(pollInterval, () -> {
                        synchronized (t) {
                            if (!t.done && !workers.closed()) {
                                start(t, false);
                            }
                        }
                    });
                }
            }
        }
        for (PendingPush p : pushed) {
            submit(t, p.checkName(), p.observation(), p.via(), p.id());
        }
    }

    /**
     * Queues a recorded push (by a webhook) for a check of {@code t}; a polled check's next poll is put off until
     * {@code pollNotBefore}, so polls stretch while pushes arrive.
     */
    void push(Tracked t, PendingPush p, Instant pollNotBefore) {
        DeploymentCheck c = t.current.check(p.checkName()).orElse(null);
        PollDriver driver = c == null ? null : drivers.get(c.sourceType());
        if (driver != null) {
            driver.defer(t.id, p.checkName(), pollNotBefore.toEpochMilli());
        }
        submit(t, p.checkName(), p.observation(), p.via(), p.id());
    }

    /** Queues a pushed observation; one worker at a time drains a deployment's queue, keeping their order. */
    private void submit(Tracked t, String checkName, Observation o, String via, long pushId) {
        t.mailbox.add(new Tracked.Pushed(checkName, o, via, pushId));
        if (t.draining.compareAndSet(false, true)) {
            workers.execute(() -> drain(t));
        }
    }

    private void drain(Tracked t) {
        while (true) {
            Tracked.Pushed next;
            while ((next = t.mailbox.poll()) != null) {
                if (next.via() != null) {
                    sink.observePushed(t, next.checkName(), next.observation(), next.via(), next.pushId());
                } else {
                    sink.observe(t, next.checkName(), next.observation());
                }
            }
            t.draining.set(false);
            if (t.mailbox.isEmpty() || !t.draining.compareAndSet(false, true)) {
                return;
            }
        }
    }
}
