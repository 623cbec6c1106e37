package io.deploytrack.ncp.emulator.internal;

import io.deploytrack.ncp.emulator.NcpScript;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything the emulator knows: projects, their scenarios and histories, the scripts deployments
 * run. Thread-safe; every operation touches one project or one history, never all of them.
 */
public final class EmulatorState {

    /** The stage type reported in {@code type}; NCP documents Server, AutoScalingGroup, KubernetesService, ObjectStorage. */
    static final String STAGE_TYPE = "KubernetesService";

    private final Clock clock;
    private final String executor;
    private final Duration cancelDuration;
    private final AtomicLong nextHistoryId;
    private final Map<Long, Project> projects = new ConcurrentHashMap<>();
    private final Map<Long, NcpScript> scenarioScripts = new ConcurrentHashMap<>();
    private volatile NcpScript defaultScript;

    /**
     * @param clock          the emulator's clock
     * @param executor       the {@code executor} reported for every deployment
     * @param cancelDuration how long {@code canceling} lasts before {@code canceled}
     * @param firstHistoryId the id of the first history created
     * @param defaultScript  the script of a deploy whose scenario has none of its own
     */
    public EmulatorState(Clock clock, String executor, Duration cancelDuration, long firstHistoryId,
                         NcpScript defaultScript) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.cancelDuration = Objects.requireNonNull(cancelDuration, "cancelDuration");
        this.nextHistoryId = new AtomicLong(firstHistoryId);
        this.defaultScript = Objects.requireNonNull(defaultScript, "defaultScript");
    }

    /** @return the emulator's clock */
    public Clock clock() {
        return clock;
    }

    /**
     * Registers a project, or renames nothing if it exists.
     *
     * @param projectId the id
     * @param name      its name
     */
    public void addProject(long projectId, String name) {
        projects.computeIfAbsent(projectId, id -> new Project(id, name));
    }

    /**
     * Registers a scenario (and its project and stage when they are new).
     *
     * @param projectId    project id
     * @param stageId      stage id
     * @param stageName    stage name, used when the stage is new
     * @param scenarioId   scenario id
     * @param scenarioName scenario name, used when the scenario is new
     */
    public void addScenario(long projectId, long stageId, String stageName, long scenarioId, String scenarioName) {
        project(projectId).addScenario(stageId, stageName, scenarioId, scenarioName);
    }

    private Project project(long projectId) {
        return projects.computeIfAbsent(projectId, id -> new Project(id, "project-" + id));
    }

    /**
     * Sets the script run by deploys of one scenario.
     *
     * @param scenarioId scenario id
     * @param script     the script
     */
    public void onDeploy(long scenarioId, NcpScript script) {
        scenarioScripts.put(scenarioId, Objects.requireNonNull(script, "script"));
    }

    /** @param script the script of deploys whose scenario has none of its own */
    public void defaultScript(NcpScript script) {
        defaultScript = Objects.requireNonNull(script, "script");
    }

    /**
     * Creates a history directly, registering its project and scenario when needed.
     *
     * @param projectId  project id
     * @param stageId    stage id
     * @param scenarioId scenario id
     * @param script     what it goes through
     * @return the new history's id
     */
    public long createHistory(long projectId, long stageId, long scenarioId, NcpScript script) {
        Project project = project(projectId);
        Project.Scenario scenario = project.addScenario(stageId, "stage-" + stageId, scenarioId, "scenario-" + scenarioId);
        return create(project, scenario, script).id;
    }

    /**
     * Creates a history directly in the project's first scenario (stage 1, scenario 1 when the
     * project has none).
     *
     * @param projectId project id
     * @param script    what it goes through
     * @return the new history's id
     */
    public long createHistory(long projectId, NcpScript script) {
        Project project = project(projectId);
        Project.Scenario scenario = project.firstScenario();
        if (scenario == null) {
            scenario = project.addScenario(1, "stage-1", 1, "scenario-1");
        }
        return create(project, scenario, script).id;
    }

    /**
     * A deploy requested over HTTP.
     *
     * @param needsApproval true for {@code deploy/request}: the deployment waits in {@code pending}
     * @return the new history's id
     * @throws ApiError 404 when the project, stage or scenario does not exist
     */
    long deploy(long projectId, long stageId, long scenarioId, boolean needsApproval) {
        Project project = existingProject(projectId);
        Project.Scenario scenario = project.scenario(scenarioId);
        if (scenario == null || scenario.stage().id() != stageId) {
            throw ApiError.notFound("project " + projectId + " has no scenario " + scenarioId + " in stage " + stageId);
        }
        NcpScript script = scenarioScripts.getOrDefault(scenarioId, defaultScript);
        return create(project, scenario, needsApproval ? script.afterApproval() : script).id;
    }

    /**
     * A deploy that started at {@code at}: a pipeline's SourceDeploy task, started when the task before it ended.
     *
     * @throws ApiError 404 when the project, stage or scenario does not exist
     */
    long deployAt(long projectId, long stageId, long scenarioId, Instant at) {
        Project project = existingProject(projectId);
        Project.Scenario scenario = project.scenario(scenarioId);
        if (scenario == null || scenario.stage().id() != stageId) {
            throw ApiError.notFound("project " + projectId + " has no scenario " + scenarioId + " in stage " + stageId);
        }
        return create(project, scenario, scenarioScripts.getOrDefault(scenarioId, defaultScript), at).id;
    }

    private EmulatedHistory create(Project project, Project.Scenario scenario, NcpScript script) {
        return create(project, scenario, script, clock.instant());
    }

    private EmulatedHistory create(Project project, Project.Scenario scenario, NcpScript script, Instant at) {
        Objects.requireNonNull(script, "script");
        EmulatedHistory history = new EmulatedHistory(nextHistoryId.getAndIncrement(), project, scenario, executor,
                STAGE_TYPE, script, at);
        project.add(history);
        return history;
    }

    /** @throws ApiError 404 when the project does not exist */
    Project existingProject(long projectId) {
        Project project = projects.get(projectId);
        if (project == null) {
            throw ApiError.notFound("project " + projectId + " does not exist");
        }
        return project;
    }

    /** @throws ApiError 404 when the project or the history does not exist */
    EmulatedHistory history(long projectId, long historyId) {
        EmulatedHistory history = existingProject(projectId).history(historyId);
        if (history == null) {
            throw ApiError.notFound("project " + projectId + " has no history " + historyId);
        }
        return history;
    }

    EmulatedHistory.View view(long projectId, long historyId) {
        return history(projectId, historyId).view(clock.instant());
    }

    List<EmulatedHistory.View> page(long projectId, int pageNo, int pageSize) {
        Instant now = clock.instant();
        return existingProject(projectId).page(pageNo, pageSize).stream().map(h -> h.view(now)).toList();
    }

    /** @throws ApiError 400 when the history is not waiting for an approval */
    void approve(long projectId, long historyId) {
        String refusedIn = history(projectId, historyId).approve(clock.instant());
        if (refusedIn != null) {
            throw ApiError.badRequest("history " + historyId + " is not waiting for approval (status " + refusedIn + ")");
        }
    }

    boolean cancel(long projectId, long historyId) {
        return cancelAt(projectId, historyId, clock.instant());
    }

    boolean cancelAt(long projectId, long historyId, Instant at) {
        return history(projectId, historyId).cancel(at, cancelDuration);
    }

    /**
     * Direct control: the history reports {@code word} from now on.
     *
     * @param projectId project id
     * @param historyId history id
     * @param word      the status word
     * @throws IllegalArgumentException when the project or history does not exist
     */
    public void setStatus(long projectId, long historyId, String word) {
        directHistory(projectId, historyId).set(word, clock.instant());
    }

    /**
     * @param projectId project id
     * @param historyId history id
     * @return the status the history reports now
     * @throws IllegalArgumentException when the project or history does not exist
     */
    public String status(long projectId, long historyId) {
        return directHistory(projectId, historyId).status(clock.instant());
    }

    /**
     * Direct control: approves a pending history.
     *
     * @param projectId project id
     * @param historyId history id
     * @throws IllegalArgumentException when it does not exist or is not pending
     */
    public void approveDirectly(long projectId, long historyId) {
        String refusedIn = directHistory(projectId, historyId).approve(clock.instant());
        if (refusedIn != null) {
            throw new IllegalArgumentException("history " + historyId + " is not waiting for approval (status "
                    + refusedIn + ")");
        }
    }

    private EmulatedHistory directHistory(long projectId, long historyId) {
        try {
            return history(projectId, historyId);
        } catch (ApiError e) {
            throw new IllegalArgumentException(e.details());
        }
    }
}
