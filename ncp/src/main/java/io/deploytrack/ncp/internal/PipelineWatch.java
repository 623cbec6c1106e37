package io.deploytrack.ncp.internal;

import io.deploytrack.core.CheckSink;
import io.deploytrack.core.Observation;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

/**
 * The followed tasks of one SourcePipeline run: they share one timer and one history detail call per interval. Each
 * follower reports through its own sink and stops reporting after its first terminal observation. Thread-safe.
 */
public final class PipelineWatch {

    /** One followed task (one stage of a deployment). */
    public static final class Follower {
        private final PipelineTarget target;
        private final CheckSink sink;
        private boolean ended;

        Follower(PipelineTarget target, CheckSink sink) {
            this.target = target;
            this.sink = sink;
        }

        /** @return the task it follows */
        public PipelineTarget target() {
            return target;
        }

        /** Reports {@code o} unless a terminal observation was reported already. */
        public void report(Observation o) {
            synchronized (this) {
                if (ended) {
                    return;
                }
                ended = o.state().isTerminal();
            }
            sink.observe(o);
        }
    }

    private final long projectId;
    private final long historyId;
    private final List<Follower> followers = new ArrayList<>();
    private ScheduledFuture<?> next;
    private boolean stopped;
    private int notFound;

    /**
     * @param projectId the pipeline
     * @param historyId the run
     */
    public PipelineWatch(long projectId, long historyId) {
        this.projectId = projectId;
        this.historyId = historyId;
    }

    /** @return the pipeline */
    public long projectId() {
        return projectId;
    }

    /** @return the run */
    public long historyId() {
        return historyId;
    }

    /** Adds a follower; false when the watch has stopped (its last follower left) and a new one is needed. */
    public synchronized boolean add(PipelineTarget target, CheckSink sink, List<Follower> added) {
        if (stopped) {
            return false;
        }
        Follower f = new Follower(target, sink);
        followers.add(f);
        added.add(f);
        return true;
    }

    /** Removes a follower; the watch stops with its last one. @return whether it stopped */
    public synchronized boolean remove(Follower f) {
        followers.remove(f);
        if (followers.isEmpty() && !stopped) {
            stopped = true;
            if (next != null) {
                next.cancel(false);
            }
            return true;
        }
        return false;
    }

    /** @return the followers now */
    public synchronized List<Follower> followers() {
        return List.copyOf(followers);
    }

    /** @return whether it stopped */
    public synchronized boolean stopped() {
        return stopped;
    }

    /** Keeps the next poll's timer, cancelled when the watch stops. */
    public synchronized void next(ScheduledFuture<?> timer) {
        if (stopped) {
            timer.cancel(false);
        } else {
            next = timer;
        }
    }

    /** @return how many detail calls in a row answered "not found", this one counted */
    public synchronized int notFoundAgain() {
        return ++notFound;
    }

    /** The run was found: the not-found count starts again. */
    public synchronized void found() {
        notFound = 0;
    }
}
