package io.deploytrack.ncp;

import io.deploytrack.core.CheckRef;
import io.deploytrack.core.CheckSink;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.Following;
import io.deploytrack.core.InvalidRequestException;
import io.deploytrack.core.Observation;
import io.deploytrack.core.SourceException;
import io.deploytrack.core.WatchingSource;
import io.deploytrack.ncp.internal.PipelineTarget;
import io.deploytrack.ncp.internal.PipelineTasks;
import io.deploytrack.ncp.internal.PipelineWatch;
import io.deploytrack.ncp.internal.SourceFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Follows the tasks of NCP SourcePipeline runs for a {@link DeploymentTracker}: the {@code sourcepipeline} status
 * source. One run is one deployment; each of its tasks is one declared stage ({@link NcpPipelines} declares them),
 * referenced by pipeline, run and task id ({@link #ref}).
 *
 * <p>What it relies on: the run's history detail ({@code GET /api/v1/project/{projectId}/history/{historyId}},
 * devtools-sourcepipeline-projecthistorydetail) lists the tasks with a {@code resultId} ("job result ID"). NCP documents
 * no status words for the pipeline or its tasks (none on the en/ko/ja/gov pages; the Go SDK types them as plain
 * strings), so they decide nothing: a task counts as started once the run reports its {@code resultId}, and its
 * outcome, status word and times are those of its own service, whose words are documented — the SourceBuild build
 * of that id ({@link NcpBuildPollingSource}: the project's history list, shared per project) or the SourceDeploy
 * deployment of that history id ({@link NcpPollingSource}). That the {@code resultId} is the build id or the deploy's
 * history id is inferred from the field's description; a {@code resultId} its service does not know yet is asked again
 * at the next interval. The provider id is in the stage's message ("task 'build': SourceBuild build ... of project
 * 14") from the first observation on.
 *
 * <p>A task not started yet reports nothing, so its stage has not started (its deadline still ends it); a task that
 * never started in a run that reports its {@code end} is cancelled ("ended before task ... started"). A failed task
 * fails its stage, and so the deployment at that stage ({@code errorStage}).
 *
 * <p>A watching source: the tasks of one run share one timer and one detail call per interval, on the scheduler given
 * to the builder (a daemon thread by default). 401/403 end the checks at once, a run not found
 * {@value #NOT_FOUND_LIMIT} times in a row fails them, other failures are retried at the next interval (later when NCP
 * sends {@code Retry-After}). Thread-safe; never blocks the caller.
 */
public final class NcpPipelinePollingSource implements WatchingSource {

    /** The source type stored with every SourcePipeline check: {@value}. */
    public static final String TYPE = PipelineTarget.TYPE;
    /** How often a run is read when the builder sets no interval: 10 s, the tracker's default. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(10);
    /** How many "not found" answers in a row fail a run's checks: {@value}. */
    public static final int NOT_FOUND_LIMIT = 5;
    private static final Logger log = LoggerFactory.getLogger(NcpPipelinePollingSource.class);

    private final NcpSourcePipeline pipelines;
    private final NcpBuildPollingSource builds;
    private final NcpPollingSource deploys;
    private final ScheduledExecutorService scheduler;
    private final Duration interval;
    private final Map<String, PipelineWatch> watches = new ConcurrentHashMap<>();

    private NcpPipelinePollingSource(Builder b) {
        this.pipelines = NcpSourcePipeline.of(b.client);
        this.builds = NcpBuildPollingSource.of(b.client);
        this.deploys = NcpPollingSource.builder(b.client).listBatching(false).build();
        this.scheduler = b.scheduler != null ? b.scheduler : SharedTimer.INSTANCE;
        this.interval = b.interval;
    }

    /** @return a builder around {@code client} (its endpoint's SourcePipeline, SourceBuild and SourceDeploy hosts) */
    public static Builder builder(NcpClient client) {
        return new Builder(client);
    }

    /** @return a source with the default interval and the shared daemon timer */
    public static NcpPipelinePollingSource of(NcpClient client) {
        return builder(client).build();
    }

    /**
     * The reference of one task of a run: one stage.
     *
     * @param projectId the pipeline, positive
     * @param historyId the run, positive
     * @param taskId    the task's id in the run, positive
     * @return {@code CheckRef("sourcepipeline", {projectId, historyId, taskId})}
     * @throws InvalidRequestException when an id is not positive
     */
    public static CheckRef ref(long projectId, long historyId, long taskId) {
        CheckRef ref = CheckRef.of(TYPE, PipelineTarget.PROJECT_ID, Long.toString(projectId),
                PipelineTarget.HISTORY_ID, Long.toString(historyId), PipelineTarget.TASK_ID, Long.toString(taskId));
        PipelineTarget.parse(ref, true);
        return ref;
    }

    /**
     * @param projectId the pipeline
     * @param historyId the run
     * @return {@code sourcepipeline:{projectId}:{historyId}}: one run is one deployment
     */
    public static String keyOf(long projectId, long historyId) {
        return TYPE + ":" + projectId + ":" + historyId;
    }

    /** @return the SourcePipeline calls it reads runs with */
    public NcpSourcePipeline pipelines() {
        return pipelines;
    }

    /** @return how often a run is read */
    public Duration interval() {
        return interval;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void validate(CheckRef ref) {
        PipelineTarget.parse(ref, true);
    }

    /** @return {@code sourcepipeline:{projectId}:{historyId}} */
    @Override
    public String idempotencyKey(CheckRef ref) {
        PipelineTarget t = PipelineTarget.parse(ref, false);
        return keyOf(t.projectId(), t.historyId());
    }

    @Override
    public Following follow(CheckRef ref, CheckSink sink) {
        Objects.requireNonNull(sink, "sink");
        PipelineTarget target;
        try {
            target = PipelineTarget.parse(ref, false);
        } catch (IllegalArgumentException e) {
            sink.observe(Observation.failed("error", e.getMessage()));
            return () -> { };
        }
        List<PipelineWatch.Follower> added = new ArrayList<>(1);
        while (true) {
            boolean[] fresh = {false};
            PipelineWatch w = watches.computeIfAbsent(target.runKey(), k -> {
                fresh[0] = true;
                return new PipelineWatch(target.projectId(), target.historyId());
            });
            if (w.add(target, sink, added)) {
                if (fresh[0]) {
                    schedule(w, Duration.ZERO);
                }
                PipelineWatch.Follower f = added.get(0);
                return () -> {
                    if (w.remove(f)) {
                        watches.remove(target.runKey(), w);
                    }
                };
            }
            watches.remove(target.runKey(), w);
        }
    }

    private void schedule(PipelineWatch w, Duration delay) {
        if (!w.stopped()) {
            w.next(scheduler.schedule(() -> poll(w), delay.toMillis(), TimeUnit.MILLISECONDS));
        }
    }

    private void poll(PipelineWatch w) {
        if (w.stopped()) {
            return;
        }
        CompletableFuture<NcpPipelineRun> call;
        try {
            call = pipelines.history(w.projectId(), w.historyId());
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete((run, error) -> {
            if (error != null) {
                schedule(w, failed(w, error));
                return;
            }
            w.found();
            List<PipelineWatch.Follower> followers = w.followers();
            List<CompletableFuture<Observation>> observed = new ArrayList<>(followers.size());
            for (PipelineWatch.Follower f : followers) {
                observed.add(PipelineTasks.observe(run, f.target(), builds, deploys).exceptionally(e -> {
                    log.warn("sourcepipeline_task_unread project_id={} history_id={} task_id={} error=\"{}\"",
                            w.projectId(), w.historyId(), f.target().taskId(), SourceFailures.unwrap(e).getMessage());
                    return null;
                }));
            }
            log.debug("sourcepipeline_run_checked project_id={} history_id={} status={} ended={} checks={}",
                    w.projectId(), w.historyId(), run.statusWord(), run.ended(), followers.size());
            CompletableFuture.allOf(observed.toArray(CompletableFuture[]::new)).whenComplete((x, e) -> {
                // The tasks that ran first, then those that never started: a failed build ends the deployment at its
                // own stage before the deploy that never started is cancelled.
                for (boolean notStarted : new boolean[]{false, true}) {
                    for (int i = 0; i < followers.size(); i++) {
                        Observation o = observed.get(i).join();
                        if (o != null && PipelineTasks.NOT_STARTED.equals(o.sourceStatus()) == notStarted) {
                            followers.get(i).report(o);
                        }
                    }
                }
                schedule(w, interval);
            });
        });
    }

    /** A failed detail call: ends the checks where retrying cannot help, and says when to ask again. */
    private Duration failed(PipelineWatch w, Throwable error) {
        String what = "run " + w.historyId() + " of SourcePipeline project " + w.projectId();
        SourceException se = SourceFailures.classify(error, "NCP SourcePipeline", what);
        switch (se.kind()) {
            case PERMANENT -> w.followers().forEach(f -> f.report(Observation.failed("error", se.getMessage())));
            case NOT_FOUND -> {
                int n = w.notFoundAgain();
                if (n >= NOT_FOUND_LIMIT) {
                    w.followers().forEach(f -> f.report(Observation.failed("not_found", se.getMessage()
                            + " (still not found after " + n + " attempts)")));
                }
            }
            default -> log.debug("sourcepipeline_run_unread project_id={} history_id={} error=\"{}\"", w.projectId(),
                    w.historyId(), se.getMessage());
        }
        Duration retryAfter = se.retryAfter().orElse(Duration.ZERO);
        return retryAfter.compareTo(interval) > 0 ? retryAfter : interval;
    }

    @Override
    public String toString() {
        return "NcpPipelinePollingSource[client=" + pipelines.client() + ", interval=" + interval + "]";
    }

    /** The daemon timer of sources built without a scheduler. */
    private static final class SharedTimer {
        static final ScheduledExecutorService INSTANCE = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "deploytrack-sourcepipeline-timer");
            t.setDaemon(true);
            return t;
        });
    }

    /** Configuration of an {@link NcpPipelinePollingSource}. */
    public static final class Builder {
        private final NcpClient client;
        private Duration interval = DEFAULT_POLL_INTERVAL;
        private ScheduledExecutorService scheduler;

        private Builder(NcpClient client) {
            this.client = Objects.requireNonNull(client, "client");
        }

        /**
         * @param interval how often a run is read (default 10 s); pass the tracker's poll interval
         * @return this builder
         */
        public Builder pollInterval(Duration interval) {
            if (interval == null || interval.isZero() || interval.isNegative()) {
                throw new IllegalArgumentException("pollInterval must be positive, got " + interval);
            }
            this.interval = interval;
            return this;
        }

        /**
         * @param scheduler the timer runs are read on (tests pass the tracker's {@code ManualScheduler}); default a
         *                  shared daemon thread
         * @return this builder
         */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** @return the source */
        public NcpPipelinePollingSource build() {
            return new NcpPipelinePollingSource(this);
        }
    }
}
