package io.deploytrack.core.internal;

import io.deploytrack.core.CheckRef;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.DeploymentEvent;
import io.deploytrack.core.DeploymentNotFoundException;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.DeploymentUpdate;
import io.deploytrack.core.HistoryStore;
import io.deploytrack.core.InvalidRequestException;
import io.deploytrack.core.support.KeyValueLog;
import io.deploytrack.core.Observation;
import io.deploytrack.core.StatusSource;
import org.slf4j.event.Level;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What a host does to the declared stages of a deployment this instance follows: hands a waiting stage its reference
 * (its source follows it from then on), ends a stage with an observation of its own (a deploy NCP refused to start),
 * and waits for a stage's end.
 */
final class Stages {
    private final HistoryStore store;
    private final Map<String, StatusSource> sources;
    private final InFlight inFlight;
    private final Followers followers;
    private final CheckProgress progress;
    private final Concluder concluder;
    private final ListenerDispatch dispatch;
    private final StageWaiters waiters;
    private final TrackerTime time;

    Stages(HistoryStore store, Map<String, StatusSource> sources, InFlight inFlight, Followers followers,
           CheckProgress progress, Concluder concluder, ListenerDispatch dispatch, StageWaiters waiters, TrackerTime time) {
        this.store = store;
        this.sources = sources;
        this.inFlight = inFlight;
        this.followers = followers;
        this.progress = progress;
        this.concluder = concluder;
        this.dispatch = dispatch;
        this.waiters = waiters;
        this.time = time;
    }

    /** Gives stage {@code name} of deployment {@code id} its reference and follows it. */
    Deployment start(long id, String name, CheckRef ref) {
        if (ref == null || ref.fields().isEmpty()) {
            throw new InvalidRequestException("ref", "stage '" + name + "' needs a reference with its source's fields, got "
                    + ref);
        }
        Tracked t = held(id, name);
        Deployment snapshot;
        synchronized (t) {
            if (!t.open()) {
                throw ended(id, name);
            }
            DeploymentCheck c = stage(t.current, name);
            if (c.isStarted()) {
                if (c.ref().equals(ref)) {
                    return t.current;
                }
                throw new InvalidRequestException("ref", "stage '" + name + "' of deployment " + id
                        + " already follows " + c.ref() + "; it cannot be given " + ref);
            }
            if (!c.sourceType().equals(ref.type())) {
                throw new InvalidRequestException("ref", "stage '" + name + "' was declared for source '"
                        + c.sourceType() + "', got a '" + ref.type() + "' reference");
            }
            sources.get(ref.type()).validate(ref);
            Instant now = time.now();
            DeploymentCheck nc = c.startedWith(ref, now);
            t.current = t.current.withChecks(Concluder.replace(t.current.checks(), nc));
            snapshot = t.current;
            DeploymentUpdate u = new DeploymentUpdate(id, DeploymentStatus.RUNNING, null, null, null, null, null, null,
                    List.of(nc), List.of(DeploymentEvent.of(id, now, DeploymentEvent.Type.STAGE_ATTACHED, name, null, null, null,
                            ref.toString())));
            concluder.submitChange(t, u, () -> dispatch.statusChanged(t, snapshot, nc));
            followers.start(t, false);
            KeyValueLog.event(Log.TRACKER, Level.INFO, "deployment_stage_started", "deployment_id", id, "stage", name,
                    "ref", ref);
        }
        dispatch.flush(t);
        return snapshot;
    }

    /** Applies the host's own observation to stage {@code name} (e.g. its start failed). */
    void observe(long id, String name, Observation o) {
        Tracked t = held(id, name);
        stage(t.current, name);
        progress.observe(t, name, o);
    }

    /** A future of the end of stage {@code name}: its final state (cancelled when the deployment ended first). */
    CompletableFuture<DeploymentCheck> awaitEnd(long id, String name) {
        Tracked t = inFlight.get(id);
        Deployment d = t != null ? t.current : store.find(id).orElseThrow(() -> new DeploymentNotFoundException(id));
        DeploymentCheck c = stage(d, name);
        CompletableFuture<DeploymentCheck> f = waiters.await(id, name);
        // Read again after registering: an end committed in between completes the future here.
        Deployment now = t != null && !t.done ? t.current : store.find(id).orElse(d);
        now.check(name).filter(x -> x.status().isTerminal()).ifPresent(x -> waiters.complete(id, x));
        if (c.status().isTerminal()) {
            waiters.complete(id, c);
        }
        return f;
    }

    private Tracked held(long id, String name) {
        Tracked t = inFlight.get(id);
        if (t != null && !t.done) {
            return t;
        }
        Deployment d = store.find(id).orElseThrow(() -> new DeploymentNotFoundException(id));
        if (d.isTerminal()) {
            throw ended(id, name);
        }
        throw new IllegalStateException("deployment " + id + " is not followed by this tracker (another instance holds "
                + "it, or it was not resumed here): start stage '" + name + "' on the tracker that follows it");
    }

    private static IllegalStateException ended(long id, String name) {
        return new IllegalStateException("deployment " + id + " has already ended: stage '" + name + "' cannot change");
    }

    private static DeploymentCheck stage(Deployment d, String name) {
        DeploymentCheck c = d.check(name).orElseThrow(() -> new InvalidRequestException("stage", "deployment " + d.id()
                + " has no stage '" + name + "': its checks are " + d.checks().stream().map(DeploymentCheck::name).toList()));
        if (!c.stage()) {
            throw new InvalidRequestException("stage", "check '" + name + "' of deployment " + d.id()
                    + " is not a declared stage (CheckSpec.stage / CheckSpec.pendingStage)");
        }
        return c;
    }
}
