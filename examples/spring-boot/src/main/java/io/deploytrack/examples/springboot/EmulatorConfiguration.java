package io.deploytrack.examples.springboot;

import io.deploytrack.ncp.NcpClient;
import io.deploytrack.ncp.NcpCredentials;
import io.deploytrack.ncp.emulator.NcpEmulator;
import io.deploytrack.ncp.emulator.NcpScript;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;

import static io.deploytrack.ncp.emulator.NcpScript.end;
import static io.deploytrack.ncp.emulator.NcpScript.step;

/**
 * An NCP SourceDeploy emulator in-process (real HTTP, signature checks, NCP's status words), and the SourceDeploy
 * client pointed at it. The starter builds the NCP status source on this client. A real application would set
 * {@code deploytrack.ncp.access-key}/{@code secret-key} instead and have none of this.
 */
@Configuration(proxyBeanMethods = false)
public class EmulatorConfiguration {

    /** Created by Spring. */
    public EmulatorConfiguration() {
    }

    /**
     * The emulator: every deployment waits, runs, then succeeds (the durations are properties).
     *
     * @param target     where deployments go
     * @param waiting    how long a deployment is {@code waiting}
     * @param inProgress how long it is {@code inprogress}
     * @return the running emulator, closed with the context
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public NcpEmulator ncpEmulator(NcpTarget target,
                                   @Value("${example.emulator.waiting:1s}") Duration waiting,
                                   @Value("${example.emulator.in-progress:3s}") Duration inProgress) {
        NcpEmulator emulator = NcpEmulator.builder()
                .defaultScript(NcpScript.of(step("waiting", waiting), step("inprogress", inProgress), end("success")))
                .start();
        emulator.addScenario(target.projectId(), target.stageId(), target.scenarioId());
        return emulator;
    }

    /**
     * The SourceDeploy client, signing with the emulator's keys.
     *
     * @param emulator the emulator
     * @return the client
     */
    @Bean
    public NcpClient ncpClient(NcpEmulator emulator) {
        return NcpClient.builder().baseUri(emulator.baseUri())
                .credentials(NcpCredentials.of(emulator.accessKey(), emulator.secretKey())).build();
    }

    /**
     * The SourceDeploy project, stage and scenario deployments start in.
     *
     * @param projectId  the project
     * @param stageId    the stage
     * @param scenarioId the scenario
     * @return the target
     */
    @Bean
    public NcpTarget ncpTarget(@Value("${example.ncp.project-id:1}") long projectId,
                               @Value("${example.ncp.stage-id:11}") long stageId,
                               @Value("${example.ncp.scenario-id:111}") long scenarioId) {
        return new NcpTarget(projectId, stageId, scenarioId);
    }

    /**
     * Where deployments start at NCP SourceDeploy.
     *
     * @param projectId  the project
     * @param stageId    the stage
     * @param scenarioId the scenario
     */
    public record NcpTarget(long projectId, long stageId, long scenarioId) {
    }
}
