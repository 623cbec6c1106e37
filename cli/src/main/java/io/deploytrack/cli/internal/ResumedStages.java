package io.deploytrack.cli.internal;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.StatusSource;
import io.deploytrack.ncp.NcpBuilds;
import io.deploytrack.ncp.NcpDeployments;
import io.deploytrack.ncp.NcpPollingSource;

import java.io.PrintWriter;
import java.util.Map;

/**
 * What a resumed deployment needs besides its sources: an {@code ncp run} whose {@code sourcedeploy} stage waits for
 * the build gets its deploy started again once the build succeeded ({@link NcpBuilds#deployAfterBuild}), from the
 * SourceDeploy ids its attributes recorded. Not public API.
 */
final class ResumedStages {
    private ResumedStages() {
    }

    /** Re-arms the deploy of {@code d} when it waits for one; says so on {@code out}. */
    static void rearm(Deployment d, DeploymentTracker tracker, Map<String, StatusSource> sources, PrintWriter out) {
        DeploymentCheck deploy = d.check(NcpBuilds.STAGE_DEPLOY).orElse(null);
        if (deploy == null || !deploy.stage() || deploy.isStarted() || deploy.status().isTerminal()
                || d.check(NcpBuilds.STAGE_BUILD).isEmpty()
                || !(sources.get(NcpPollingSource.TYPE) instanceof NcpPollingSource ncp)) {
            return;
        }
        Long project = id(d, NcpDeployments.ATTRIBUTE_PROJECT_ID);
        Long stage = id(d, NcpDeployments.ATTRIBUTE_STAGE_ID);
        Long scenario = id(d, NcpDeployments.ATTRIBUTE_SCENARIO_ID);
        if (project == null || stage == null || scenario == null) {
            out.println("#" + d.id() + " " + Format.label(d) + ": its sourcedeploy stage waits, but no SourceDeploy "
                    + "scenario is recorded to start; it times out at its deadline");
            return;
        }
        NcpBuilds.of(ncp.client(), tracker).deployAfterBuild(d.id(), project, stage, scenario);
        out.println("#" + d.id() + " " + Format.label(d) + ": starts scenario " + scenario + " of project " + project
                + " once its build succeeded");
    }

    private static Long id(Deployment d, String attribute) {
        String v = d.attributes().get(attribute);
        try {
            return v == null ? null : Long.valueOf(v.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
