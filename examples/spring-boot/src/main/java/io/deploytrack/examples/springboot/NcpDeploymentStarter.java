package io.deploytrack.examples.springboot;

import io.deploytrack.core.DeploymentHandle;
import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.ncp.NcpDeployments;
import io.deploytrack.ncp.NcpPollingSource;
import org.springframework.stereotype.Component;

import java.util.concurrent.CompletableFuture;

/** Starts a SourceDeploy deployment and tracks it: the one place the example talks to NCP. */
@Component
public class NcpDeploymentStarter {
    private final NcpDeployments deployments;
    private final EmulatorConfiguration.NcpTarget target;

    /**
     * Wired by Spring.
     *
     * @param ncp     the starter's NCP source
     * @param tracker the starter's tracker
     * @param target  where deployments start
     */
    public NcpDeploymentStarter(NcpPollingSource ncp, DeploymentTracker tracker, EmulatorConfiguration.NcpTarget target) {
        this.deployments = NcpDeployments.of(ncp, tracker);
        this.target = target;
    }

    /**
     * Starts and tracks one deployment.
     *
     * @param request what is deployed
     * @return the handle, once NCP accepted it and the tracker recorded it
     */
    public CompletableFuture<DeploymentHandle> start(DeploymentRequest request) {
        return deployments.deployAndTrack(request, target.projectId(), target.stageId(), target.scenarioId());
    }
}
