package io.deploytrack.core.internal;

import io.deploytrack.core.support.KeyValueLog;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.Following;
import io.deploytrack.core.Observation;
import org.slf4j.event.Level;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One deployment this instance follows. Its state changes (and the store writes that go with them) happen under the
 * object's monitor; nothing slow that is not this deployment's own store work runs there: listeners run after the
 * monitor is released, in order, from {@link #outbox} (see {@link ListenerDispatch}).
 */
final class Tracked {
    /**
     * An observation waiting in the mailbox; {@code via} is the push source's type for a push, null for a watch;
     * {@code pushId} the recorded push's store id (0 for a watch), forgotten once what it changed is committed.
     */
    record Pushed(String checkName, Observation observation, String via, long pushId) {
    }

    final long id;
    volatile Deployment current;
    /** The open followings by check name. Guarded by the monitor. */
    final Map<String, Following> followings = new HashMap<>();
    /** Checks whose deadline is being handled, so a tick does not queue it twice. */
    final Set<String> deadlinePending = ConcurrentHashMap.newKeySet();
    /**
     * A resumed deployment with a watched check: its passed deadlines wait until then, so the watch can report what
     * happened while nobody watched (a watch cannot be asked; polled checks wait in {@link #awaitingAnswer} instead).
     */
    volatile Instant deadlineGraceUntil;
    /**
     * Resumed polled checks whose passed deadline waits for their source: until it answered (an observation or a
     * definitive error) or failed a bounded number of times ({@link PollDriver} takes them out).
     */
    final Set<String> awaitingAnswer = ConcurrentHashMap.newKeySet();
    volatile boolean done;
    /** Which path the observation being applied came by, when it is a push (for the event log); guarded by the monitor. */
    String endingVia;
    /**
     * The recorded push being applied (0: none). The first update it causes carries it to the {@link GroupCommit}
     * (which zeroes this), so the push is forgotten only once that update is settled. Guarded by the monitor.
     */
    long applyingPush;

    /**
     * Its end is decided and queued for the group commit ({@link GroupCommit}): no observation or deadline applies any
     * more, and no poll is sent, unless the write fails and this is cleared.
     */
    volatile boolean concluding;
    /** Pushed observations wait here, so a deployment's observations are applied one at a time, in order. */
    final Queue<Pushed> mailbox = new ConcurrentLinkedQueue<>();
    final AtomicBoolean draining = new AtomicBoolean();
    /** Listener calls and completions, queued under the monitor in the order of the changes, run outside it. */
    final Queue<Runnable> outbox = new ConcurrentLinkedQueue<>();
    final AtomicBoolean dispatching = new AtomicBoolean();
    /**
     * Until when this instance may act on the row by its own reckoning, on the tracker's {@link io.deploytrack.core.Ticker}:
     * the last confirmed lease minus a safety margin. Written by {@link LeaseKeeper} only.
     */
    volatile long leaseValidUntilNanos = Long.MAX_VALUE;

    /** Whether observations, deadlines and polls still apply: neither done nor waiting for its end's commit. */
    boolean open() {
        return !done && !concluding;
    }

    Tracked(Deployment d) {
        this.id = d.id();
        this.current = d;
    }

    /** Closes every following. Call under the monitor. */
    void stopFollowing() {
        for (Following f : followings.values()) {
            closeQuietly(f);
        }
        followings.clear();
    }

    /** Closes one check's following. Call under the monitor. */
    void stopFollowing(String checkName) {
        Following f = followings.remove(checkName);
        if (f != null) {
            closeQuietly(f);
        }
    }

    private void closeQuietly(Following f) {
        try {
            f.close();
        } catch (RuntimeException e) {
            KeyValueLog.event(Log.TRACKER, Level.DEBUG, "deployment_follow_close_failed", "deployment_id", id, "error", e);
        }
    }
}
