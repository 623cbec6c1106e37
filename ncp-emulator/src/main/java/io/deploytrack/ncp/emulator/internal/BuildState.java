package io.deploytrack.ncp.emulator.internal;

import io.deploytrack.ncp.emulator.NcpScript;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the emulated SourceBuild knows: build projects (with the image each is configured to push) and their builds.
 * Status words and failed phases are SourceBuild's (docs devtools-sourcebuild-buildhistorylist, ja/gov pages):
 * {@code prepare}, {@code upload}, then {@code success}, {@code fail} or {@code canceled}. Thread-safe.
 */
public final class BuildState {

    /** SourceBuild's terminal words. */
    static final Set<String> TERMINAL = Set.of("success", "fail", "canceled");

    /** What a build of a project goes through, and the phase a {@code fail} names. */
    private record Plan(NcpScript script, String failedPhase) {
    }

    /** One build as the history list shows it. */
    record BuildView(long projectId, String buildId, String status, Instant begin, Instant end, String userId,
                     String failedPhase) {
    }

    /** A build project's detail: the image its docker build pushes. */
    record ProjectView(long id, String name, String registry, String image, String tag, BuildView lastBuild) {
    }

    private static final class Build {
        final String id;
        final ScriptRun run;
        final String failedPhase;

        Build(String id, ScriptRun run, String failedPhase) {
            this.id = id;
            this.run = run;
            this.failedPhase = failedPhase;
        }
    }

    private static final class BuildProject {
        final long id;
        final String name;
        final String registry;
        final String image;
        final String tag;
        volatile Plan plan;
        final List<Build> builds = new ArrayList<>(); // guarded by itself, in start order
        final Map<String, Build> byId = new ConcurrentHashMap<>();

        BuildProject(long id, String name, String registry, String image, String tag, Plan plan) {
            this.id = id;
            this.name = name;
            this.registry = registry;
            this.image = image;
            this.tag = tag;
            this.plan = plan;
        }
    }

    private final Clock clock;
    private final String userId;
    private final AtomicLong nextBuild = new AtomicLong(1);
    private final Map<Long, BuildProject> projects = new ConcurrentHashMap<>();
    private volatile Plan defaultPlan = new Plan(NcpScript.of(NcpScript.step("prepare", Duration.ofSeconds(5)),
            NcpScript.step("upload", Duration.ofSeconds(2)), NcpScript.end("success")), null);

    /**
     * @param clock  the emulator's clock
     * @param userId the {@code userId} every build reports
     */
    public BuildState(Clock clock, String userId) {
        this.clock = clock;
        this.userId = userId;
    }

    /** Registers a build project that pushes {@code registry/image:tag}. */
    public void addProject(long id, String name, String registry, String image, String tag) {
        projects.computeIfAbsent(id, k -> new BuildProject(id, name, registry, image, tag, null));
    }

    /** Builds of {@code projectId} run {@code script} from now on; a {@code fail} end names {@code failedPhase}. */
    public void onBuild(long projectId, NcpScript script, String failedPhase) {
        existing(projectId).plan = new Plan(Objects.requireNonNull(script, "script"), failedPhase);
    }

    /** Builds of projects without a script of their own run {@code script}. */
    public void defaultScript(NcpScript script, String failedPhase) {
        defaultPlan = new Plan(Objects.requireNonNull(script, "script"), failedPhase);
    }

    /** Starts a build now: the {@code POST .../build} call. */
    String start(long projectId) {
        return startAt(projectId, clock.instant());
    }

    /** Starts a build at {@code at} (a pipeline's task starting when the task before it ended). */
    String startAt(long projectId, Instant at) {
        BuildProject p = api(projectId);
        Plan plan = p.plan != null ? p.plan : defaultPlan;
        long n = nextBuild.getAndIncrement();
        // UUID-shaped, as SourceBuild's buildId is (devtools-sourcebuild-build).
        String id = String.format("9e681620-%04x-4%03x-8000-%012x", projectId & 0xffff, n & 0xfff, n);
        Build b = new Build(id, new ScriptRun(plan.script(), at, TERMINAL), plan.failedPhase());
        p.byId.put(id, b);
        synchronized (p.builds) {
            p.builds.add(b);
        }
        return id;
    }

    /** The project's builds, in the emulator's order: newest first (NCP documents none). */
    List<BuildView> history(long projectId) {
        BuildProject p = api(projectId);
        Instant now = clock.instant();
        List<BuildView> out = new ArrayList<>();
        synchronized (p.builds) {
            for (int i = p.builds.size() - 1; i >= 0; i--) {
                out.add(view(p, p.builds.get(i), now));
            }
        }
        return out;
    }

    /** One build, or null. */
    BuildView build(long projectId, String buildId) {
        BuildProject p = projects.get(projectId);
        Build b = p == null ? null : p.byId.get(buildId);
        return b == null ? null : view(p, b, clock.instant());
    }

    /** Cancels a running build: it is {@code canceled} from now on. False when it had ended. */
    boolean cancel(long projectId, String buildId) {
        BuildProject p = api(projectId);
        Build b = p.byId.get(buildId);
        if (b == null) {
            throw ApiError.notFound("build project " + projectId + " has no build " + buildId);
        }
        return b.run.endWith("canceled", clock.instant());
    }

    ProjectView project(long projectId) {
        BuildProject p = api(projectId);
        BuildView last;
        synchronized (p.builds) {
            last = p.builds.isEmpty() ? null : view(p, p.builds.get(p.builds.size() - 1), clock.instant());
        }
        return new ProjectView(p.id, p.name, p.registry, p.image, p.tag, last);
    }

    /**
     * Direct control: the build reports {@code word} from now on.
     *
     * @throws IllegalArgumentException when there is no such build
     */
    public void setStatus(long projectId, String buildId, String word, String failedPhase) {
        BuildProject p = existing(projectId);
        Build b = p.byId.get(buildId);
        if (b == null) {
            throw new IllegalArgumentException("build project " + projectId + " has no build " + buildId);
        }
        Build replaced = new Build(b.id, b.run, failedPhase);
        b.run.endWith(word, clock.instant());
        p.byId.put(b.id, replaced);
        synchronized (p.builds) {
            p.builds.replaceAll(x -> x == b ? replaced : x);
        }
    }

    private BuildView view(BuildProject p, Build b, Instant now) {
        String word = b.run.word(now);
        Instant end = b.run.end(now);
        return new BuildView(p.id, b.id, word, b.run.start(), end, userId, word.equals("fail") ? (b.failedPhase != null ? b.failedPhase : "build") : null);
    }

    private BuildProject api(long projectId) {
        BuildProject p = projects.get(projectId);
        if (p == null) {
            throw ApiError.notFound("SourceBuild project " + projectId + " does not exist");
        }
        return p;
    }

    private BuildProject existing(long projectId) {
        BuildProject p = projects.get(projectId);
        if (p == null) {
            throw new IllegalArgumentException("SourceBuild project " + projectId + " is not registered: addBuildProject first");
        }
        return p;
    }
}
