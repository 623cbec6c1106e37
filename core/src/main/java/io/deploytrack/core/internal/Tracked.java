package io.deploytrack.core.internal;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.Following;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** One deployment this instance follows. Mutable state is guarded by the object's monitor. */
final class Tracked {
    final long id;
    volatile Deployment current;
    final Map<String, Following> followings = new HashMap<>();
    final Set<String> deadlinePending = java.util.concurrent.ConcurrentHashMap.newKeySet();
    final CompletableFuture<Deployment> future = new CompletableFuture<>();
    final Set<String> unknownStatusesLogged = new HashSet<>();
    /** A resumed check's deadline waits until the source has had a chance to answer. */
    volatile Instant deadlineGraceUntil;
    volatile boolean done;
    /** Which path the observation being applied came by, when it is a push (for the event log); guarded by the monitor. */
    String endingVia;
    /** Pushed observations wait here, so a deployment's observations are applied one at a time, in order. */
    final java.util.Queue<Object[]> mailbox = new java.util.concurrent.ConcurrentLinkedQueue<>();
    final java.util.concurrent.atomic.AtomicBoolean draining = new java.util.concurrent.atomic.AtomicBoolean();
    /**
     * Until when this instance may act on the row by its own reckoning: the last confirmed lease minus a safety
     * margin, on {@link System#nanoTime()}. Polls stop past it, so two instances never poll one deployment within a lease period.
     */
    volatile long leaseValidUntilNanos = Long.MAX_VALUE;

    Tracked(Deployment d) {
        this.id = d.id();
        this.current = d;
    }
}
