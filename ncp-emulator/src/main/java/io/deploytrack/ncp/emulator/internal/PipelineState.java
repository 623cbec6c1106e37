package io.deploytrack.ncp.emulator.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the emulated SourcePipeline knows: pipelines (their tasks in order) and their runs. A run really starts its
 * tasks in the emulated SourceBuild and SourceDeploy, one after the other, each when the one before it succeeded (at
 * that moment, worked out lazily on a read); a task's {@code resultId} is the build id or the deploy's history id, its
 * {@code status} that service's word ({@code waiting} before it starts). The pipeline's own words are the emulator's
 * choice ({@code inprogress}, {@code success}, {@code fail}, {@code canceled}): NCP documents none. Thread-safe.
 */
public final class PipelineState {

    /** A task of a pipeline: a SourceBuild project, or a SourceDeploy scenario. */
    public record TaskDef(long id, String name, String type, long projectId, Long stageId, Long scenarioId) {
        /** Checks the type. */
        public TaskDef {
            if (!type.equals("SourceBuild") && !type.equals("SourceDeploy")) {
                throw new IllegalArgumentException("task type must be SourceBuild or SourceDeploy, got " + type);
            }
            if (type.equals("SourceDeploy") && (stageId == null || scenarioId == null)) {
                throw new IllegalArgumentException("a SourceDeploy task needs its stage and scenario");
            }
        }
    }

    /** A task as one run shows it. */
    record TaskView(TaskDef def, List<String> linkedTasks, String status, String resultId) {
    }

    /** One run. */
    record RunView(long id, long projectId, Instant begin, Instant end, String status, List<TaskView> tasks) {
    }

    private record Pipeline(long id, String name, List<TaskDef> tasks) {
    }

    private static final class Run {
        final long id;
        final Pipeline pipeline;
        final Instant begin;
        final String[] resultIds;
        Instant canceledAt;

        Run(long id, Pipeline pipeline, Instant begin) {
            this.id = id;
            this.pipeline = pipeline;
            this.begin = begin;
            this.resultIds = new String[pipeline.tasks.size()];
        }
    }

    private final Clock clock;
    private final BuildState builds;
    private final EmulatorState deploys;
    private final AtomicLong nextRun = new AtomicLong(501);
    private final Map<Long, Pipeline> pipelines = new ConcurrentHashMap<>();
    private final Map<Long, List<Run>> runs = new ConcurrentHashMap<>();

    /**
     * @param clock   the emulator's clock
     * @param builds  the emulated SourceBuild its SourceBuild tasks run in
     * @param deploys the emulated SourceDeploy its SourceDeploy tasks run in
     */
    public PipelineState(Clock clock, BuildState builds, EmulatorState deploys) {
        this.clock = clock;
        this.builds = builds;
        this.deploys = deploys;
    }

    /** Registers a pipeline whose tasks run in the order given. */
    public void addPipeline(long id, String name, List<TaskDef> tasks) {
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("a pipeline needs at least one task");
        }
        pipelines.put(id, new Pipeline(id, name, List.copyOf(tasks)));
        runs.putIfAbsent(id, new ArrayList<>());
    }

    /** {@code POST .../do}: a run starting now, its first task with it. */
    long run(long projectId) {
        Pipeline p = pipelines.get(projectId);
        if (p == null) {
            throw ApiError.notFound("SourcePipeline project " + projectId + " does not exist");
        }
        Run r = new Run(nextRun.getAndIncrement(), p, clock.instant());
        synchronized (r) {
            r.resultIds[0] = start(p.tasks.get(0), r.begin);
        }
        List<Run> list = runs.get(projectId);
        synchronized (list) {
            list.add(r);
        }
        return r.id;
    }

    /** The runs of a pipeline, newest first. */
    List<RunView> list(long projectId) {
        List<Run> list = runs.get(projectId);
        if (list == null) {
            throw ApiError.notFound("SourcePipeline project " + projectId + " does not exist");
        }
        List<Run> copy;
        synchronized (list) {
            copy = new ArrayList<>(list);
        }
        List<RunView> out = new ArrayList<>();
        for (int i = copy.size() - 1; i >= 0; i--) {
            out.add(view(copy.get(i)));
        }
        return out;
    }

    RunView detail(long projectId, long historyId) {
        return view(find(projectId, historyId));
    }

    /** Cancels a run: its running task is cancelled in its own service, the tasks after it never start. */
    boolean cancel(long projectId, long historyId) {
        Run r = find(projectId, historyId);
        RunView v = view(r);
        if (v.end() != null) {
            return false;
        }
        Instant now = clock.instant();
        synchronized (r) {
            r.canceledAt = now;
            for (int i = 0; i < r.resultIds.length; i++) {
                TaskDef t = r.pipeline.tasks.get(i);
                if (r.resultIds[i] != null && !ended(v.tasks().get(i).status())) {
                    if (t.type().equals("SourceBuild")) {
                        builds.cancel(t.projectId(), r.resultIds[i]);
                    } else {
                        deploys.cancelAt(t.projectId(), Long.parseLong(r.resultIds[i]), now);
                    }
                }
            }
        }
        return true;
    }

    private Run find(long projectId, long historyId) {
        List<Run> list = runs.get(projectId);
        if (list == null) {
            throw ApiError.notFound("SourcePipeline project " + projectId + " does not exist");
        }
        synchronized (list) {
            for (Run r : list) {
                if (r.id == historyId) {
                    return r;
                }
            }
        }
        throw ApiError.notFound("SourcePipeline project " + projectId + " has no history " + historyId);
    }

    private String start(TaskDef t, Instant at) {
        return t.type().equals("SourceBuild") ? builds.startAt(t.projectId(), at)
                : Long.toString(deploys.deployAt(t.projectId(), t.stageId(), t.scenarioId(), at));
    }

    private record Own(String status, Instant end) {
    }

    private Own own(TaskDef t, String resultId) {
        if (t.type().equals("SourceBuild")) {
            BuildState.BuildView b = builds.build(t.projectId(), resultId);
            return new Own(b.status(), b.end());
        }
        EmulatedHistory.View h = deploys.view(t.projectId(), Long.parseLong(resultId));
        return new Own(h.status(), h.endTime());
    }

    private static boolean ended(String word) {
        return BuildState.TERMINAL.contains(word) || EmulatedHistory.TERMINAL.contains(word);
    }

    // Starts each task whose predecessor succeeded (at that end), and works out the run's status and end.
    private RunView view(Run r) {
        synchronized (r) {
            List<TaskView> tasks = new ArrayList<>();
            String status = "inprogress";
            Instant end = null;
            Instant previousEnd = null;
            boolean blocked = false;
            for (int i = 0; i < r.resultIds.length; i++) {
                TaskDef t = r.pipeline.tasks.get(i);
                List<String> linked = i == 0 ? List.of() : List.of(r.pipeline.tasks.get(i - 1).name());
                if (r.resultIds[i] == null && !blocked && previousEnd != null
                        && (r.canceledAt == null || previousEnd.isBefore(r.canceledAt))) {
                    r.resultIds[i] = start(t, previousEnd);
                }
                if (r.resultIds[i] == null) {
                    tasks.add(new TaskView(t, linked, "waiting", null));
                    blocked = true;
                    continue;
                }
                Own own = own(t, r.resultIds[i]);
                tasks.add(new TaskView(t, linked, own.status(), r.resultIds[i]));
                previousEnd = null;
                if (own.end() != null && !own.status().equals("success")) {
                    status = own.status().equals("canceled") ? "canceled" : "fail";
                    end = own.end();
                    blocked = true;
                } else if (own.end() != null) {
                    previousEnd = own.end();
                    if (i == r.resultIds.length - 1) {
                        status = "success";
                        end = own.end();
                    }
                } else {
                    blocked = true;
                }
            }
            if (end == null && r.canceledAt != null && tasks.stream().allMatch(t -> t.resultId() == null
                    || ended(t.status()))) {
                status = "canceled";
                end = r.canceledAt;
            }
            return new RunView(r.id, r.pipeline.id, r.begin, end, status, tasks);
        }
    }
}
