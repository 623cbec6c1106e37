package io.deploytrack.kubernetes.internal;

import io.deploytrack.core.CheckSink;
import io.deploytrack.core.Following;
import io.deploytrack.core.Observation;
import io.deploytrack.kubernetes.KubernetesRollouts;
import io.deploytrack.kubernetes.RolloutTarget;
import io.deploytrack.kubernetes.RolloutVerdict;
import io.deploytrack.kubernetes.UnfollowableWorkloadException;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.HttpURLConnection;
import java.time.Clock;
import java.util.Locale;

/**
 * Follows one rollout attempt with a fabric8 informer on its one workload (a {@code metadata.name} field
 * selector), judges every event with {@link KubernetesRollouts#evaluate} and reports verdict changes to the
 * sink. Not part of the public API: {@code KubernetesWatchingSource#follow} returns it.
 *
 * <p>The informer lists, watches, and after a 410 Gone or a dropped connection lists and watches again by
 * itself; its handlers run on the client's threads, so nothing here blocks: evaluating is pure and the sink
 * only hands the observation over.
 */
public final class RolloutFollow implements Following {

    private static final Logger log = LoggerFactory.getLogger(RolloutFollow.class);

    private final RolloutTarget target;
    private final CheckSink sink;
    private final Clock clock;
    private volatile SharedIndexInformer<? extends HasMetadata> informer;
    // Guarded by this: the last verdict reported, and whether a terminal one was.
    private RolloutVerdict last;
    private boolean ended;
    private volatile boolean closed;

    private RolloutFollow(RolloutTarget target, CheckSink sink, Clock clock) {
        this.target = target;
        this.sink = sink;
        this.clock = clock;
    }

    /**
     * Starts following; returns at once, the informer's list and watch run on the client's threads.
     *
     * @param client the client
     * @param target the attempt
     * @param sink   where verdict changes go
     * @param clock  stamps the end of a terminal verdict
     * @return the running follow; close it to stop the informer
     */
    public static RolloutFollow start(KubernetesClient client, RolloutTarget target, CheckSink sink, Clock clock) {
        RolloutFollow follow = new RolloutFollow(target, sink, clock);
        follow.informer = follow.startInformer(
                Workloads.informable(client, target.kind(), target.namespace(), target.name()));
        log.info("kubernetes_rollout_follow_started kind={} namespace={} name={} generation={}",
                target.kind().word(), target.namespace(), target.name(), target.generation());
        return follow;
    }

    private <T extends HasMetadata> SharedIndexInformer<T> startInformer(Informable<T> workload) {
        // runnableInformer + start, not inform(): inform() waits for the first list on the caller's thread.
        SharedIndexInformer<T> inf = workload.runnableInformer(0);
        inf.exceptionHandler(this::retryAfter);
        inf.addEventHandler(new ResourceEventHandler<T>() {
            @Override
            public void onAdd(T obj) {
                judge(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                judge(newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                judge(null);
            }

            @Override
            public void onNothing() {
                // The (re)list found no such workload: it does not exist (any more).
                judge(null);
            }
        });
        inf.stopped().whenComplete((ignored, error) -> {
            if (error != null) {
                watchFailed(error);
            }
        });
        inf.start();
        return inf;
    }

    /** The informer's question after a failed list or watch: try again, unless retrying cannot help. */
    private boolean retryAfter(boolean started, Throwable error) {
        if (closed) {
            return false;
        }
        int code = httpCode(error);
        if (isPermanent(code)) {
            return false;
        }
        log.warn("kubernetes_watch_retrying kind={} namespace={} name={} started={} http_code={} error={}",
                target.kind().word(), target.namespace(), target.name(), started, code, Logs.quote(error.getMessage()));
        return true;
    }

    private void judge(HasMetadata latest) {
        RolloutVerdict verdict;
        try {
            verdict = KubernetesRollouts.evaluate(latest, target);
            if (verdict.outcome() == RolloutVerdict.Outcome.PROGRESSING && latest != null) {
                // kubectl's own error for OnDelete comes only once the controller observed our generation;
                // a rollout that nobody can follow must not wait for the deadline.
                KubernetesRollouts.checkFollowable(latest);
            }
        } catch (UnfollowableWorkloadException e) {
            verdict = new RolloutVerdict(RolloutVerdict.Outcome.FAILED, e.getMessage());
        } catch (RuntimeException e) {
            // Never let a surprise escape into the client's thread: the next event is judged again.
            log.error("kubernetes_rollout_evaluation_failed kind={} namespace={} name={} generation={} error={}",
                    target.kind().word(), target.namespace(), target.name(), target.generation(), Logs.quote(e.toString()));
            return;
        }
        report(verdict, latest);
    }

    private void report(RolloutVerdict verdict, HasMetadata latest) {
        synchronized (this) {
            // Report inside the lock so that the sink sees verdicts in the order they were decided.
            if (closed || ended || verdict.equals(last)) {
                return;
            }
            last = verdict;
            ended = verdict.isTerminal();
            log.info("kubernetes_rollout_observed kind={} namespace={} name={} generation={} "
                            + "workload_generation={} observed_generation={} outcome={} message={}",
                    target.kind().word(), target.namespace(), target.name(), target.generation(),
                    latest == null ? null : Workloads.generation(latest),
                    latest == null ? null : Workloads.observedGeneration(latest),
                    word(verdict.outcome()), Logs.quote(verdict.message()));
            sink.observe(observation(verdict));
        }
    }

    private Observation observation(RolloutVerdict verdict) {
        String word = word(verdict.outcome());
        return switch (verdict.outcome()) {
            case PROGRESSING -> Observation.inProgress(word).withMessage(verdict.message());
            case SUCCEEDED -> Observation.succeeded(word).withMessage(verdict.message())
                    .withTimes(null, clock.instant());
            case SUPERSEDED -> Observation.cancelled(word, verdict.message()).withTimes(null, clock.instant());
            case FAILED, DELETED -> Observation.failed(word, verdict.message()).withTimes(null, clock.instant());
        };
    }

    /** The source status word stored with the check: the outcome in lower case, e.g. {@code progressing}. */
    static String word(RolloutVerdict.Outcome outcome) {
        return outcome.name().toLowerCase(Locale.ROOT);
    }

    /** The informer stopped by itself: only after an error we chose not to retry. */
    private void watchFailed(Throwable error) {
        int code = httpCode(error);
        String resource = Workloads.resourceName(target.kind());
        String where = "watching " + target.describe() + " for generation " + target.generation();
        String message = switch (code) {
            case HttpURLConnection.HTTP_UNAUTHORIZED -> "the Kubernetes API refused the client's credentials (HTTP 401)"
                    + " while " + where + ": renew the token or the kubeconfig credentials";
            case HttpURLConnection.HTTP_FORBIDDEN -> "the Kubernetes API forbids the client (HTTP 403) to list and"
                    + " watch " + resource + " in namespace " + target.namespace() + " while " + where
                    + ": grant get, list and watch on " + resource + " to its user or service account";
            case HttpURLConnection.HTTP_NOT_FOUND -> "the Kubernetes API does not serve " + resource + " (HTTP 404)"
                    + " while " + where + ": check that the cluster serves apps/v1";
            default -> "the informer stopped after an error while " + where + ": " + error.getMessage();
        };
        log.error("kubernetes_watch_failed kind={} namespace={} name={} generation={} http_code={} message={}",
                target.kind().word(), target.namespace(), target.name(), target.generation(), code, Logs.quote(message));
        synchronized (this) {
            if (closed || ended) {
                return;
            }
            ended = true;
            sink.observe(Observation.failed("watch_failed", message).withTimes(null, clock.instant()));
        }
    }

    private static boolean isPermanent(int code) {
        // Credentials, permissions and a missing API do not mend by themselves; everything else may.
        return code == HttpURLConnection.HTTP_UNAUTHORIZED || code == HttpURLConnection.HTTP_FORBIDDEN
                || code == HttpURLConnection.HTTP_NOT_FOUND;
    }

    /** The HTTP status code of the first Kubernetes error in the cause chain, or 0. */
    static int httpCode(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            KubernetesClientException k = t instanceof KubernetesClientException e ? e
                    : t instanceof WatcherException w ? w.asClientException() : null;
            if (k != null) {
                int code = k.getCode() > 0 ? k.getCode()
                        : k.getStatus() != null && k.getStatus().getCode() != null ? k.getStatus().getCode() : 0;
                if (code > 0) {
                    return code;
                }
            }
        }
        return 0;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        SharedIndexInformer<? extends HasMetadata> inf = informer;
        if (inf != null) {
            try {
                inf.stop();
            } catch (RuntimeException e) {
                log.debug("kubernetes_informer_stop_failed kind={} namespace={} name={} error={}",
                        target.kind().word(), target.namespace(), target.name(), Logs.quote(e.toString()));
            }
        }
        log.info("kubernetes_rollout_follow_stopped kind={} namespace={} name={} generation={}",
                target.kind().word(), target.namespace(), target.name(), target.generation());
    }
}
