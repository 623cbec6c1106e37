package io.deploytrack.ncp.emulator;

import java.util.Objects;

/**
 * One task of an emulated SourcePipeline: a SourceBuild project to build, or a SourceDeploy scenario to deploy. The
 * tasks of a pipeline run one after the other, each when the one before it succeeded.
 *
 * @param id         the task id
 * @param name       the task name (what {@code linkedTasks} names)
 * @param type       {@code SourceBuild} or {@code SourceDeploy}, as the API reports it
 * @param projectId  the SourceBuild or SourceDeploy project
 * @param stageId    the SourceDeploy stage, null for a build
 * @param scenarioId the SourceDeploy scenario, null for a build
 */
public record PipelineTask(long id, String name, String type, long projectId, Long stageId, Long scenarioId) {

    /** Checks the fields. */
    public PipelineTask {
        Objects.requireNonNull(name, "name");
        if (!"SourceBuild".equals(type) && !"SourceDeploy".equals(type)) {
            throw new IllegalArgumentException("task type must be SourceBuild or SourceDeploy, got " + type);
        }
    }

    /**
     * @param id             the task id
     * @param name           its name
     * @param buildProjectId the SourceBuild project it builds (register it with {@link NcpEmulator#addBuildProject})
     * @return a SourceBuild task
     */
    public static PipelineTask build(long id, String name, long buildProjectId) {
        return new PipelineTask(id, name, "SourceBuild", buildProjectId, null, null);
    }

    /**
     * @param id         the task id
     * @param name       its name
     * @param projectId  the SourceDeploy project
     * @param stageId    its stage
     * @param scenarioId its scenario (register it with {@link NcpEmulator#addScenario})
     * @return a SourceDeploy task
     */
    public static PipelineTask deploy(long id, String name, long projectId, long stageId, long scenarioId) {
        return new PipelineTask(id, name, "SourceDeploy", projectId, stageId, scenarioId);
    }
}
