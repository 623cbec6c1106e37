package io.deploytrack.it;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.ncp.NcpDeployments;
import io.deploytrack.ncp.emulator.NcpEmulator;
import io.deploytrack.ncp.emulator.NcpScript;

import java.time.Duration;
import java.util.List;

import static io.deploytrack.ncp.emulator.NcpScript.end;
import static io.deploytrack.ncp.emulator.NcpScript.step;

/**
 * The emulator scripts every test here uses, shared by the test JVM (which registers them) and the child JVMs (which
 * deploy them): one NCP scenario per variant in each project, so a deployment's scenario id says which script it ran
 * and so which status it must end with.
 *
 * <p>Variants: ending {@code success}, {@code fail} or {@code canceled} (through {@code canceling}), after 1 to 5
 * seconds, with NCP's real words on the way ({@code waiting}, {@code inprogress}).
 */
final class Scripts {

    /** One script and the status deploytrack must record for it. */
    record Variant(String finalWord, Duration length, DeploymentStatus expected) {
        NcpScript script() {
            Duration waiting = Duration.ofMillis(300);
            if (finalWord.equals("canceled")) {
                Duration canceling = Duration.ofMillis(400);
                return NcpScript.of(step("waiting", waiting), step("inprogress", length.minus(waiting).minus(canceling)),
                        step("canceling", canceling), end("canceled"));
            }
            return NcpScript.of(step("waiting", waiting), step("inprogress", length.minus(waiting)), end(finalWord));
        }
    }

    static final List<Variant> VARIANTS = List.of(
            new Variant("success", Duration.ofMillis(1000), DeploymentStatus.SUCCESS),
            new Variant("fail", Duration.ofMillis(1500), DeploymentStatus.FAILED),
            new Variant("success", Duration.ofMillis(2000), DeploymentStatus.SUCCESS),
            new Variant("canceled", Duration.ofMillis(2500), DeploymentStatus.CANCELLED),
            new Variant("success", Duration.ofMillis(3000), DeploymentStatus.SUCCESS),
            new Variant("fail", Duration.ofMillis(3500), DeploymentStatus.FAILED),
            new Variant("success", Duration.ofMillis(4000), DeploymentStatus.SUCCESS),
            new Variant("canceled", Duration.ofMillis(4500), DeploymentStatus.CANCELLED),
            new Variant("success", Duration.ofMillis(5000), DeploymentStatus.SUCCESS),
            new Variant("fail", Duration.ofMillis(1200), DeploymentStatus.FAILED),
            new Variant("canceled", Duration.ofMillis(1800), DeploymentStatus.CANCELLED));

    private Scripts() {
    }

    static long stageId(long projectId) {
        return projectId * 10 + 1;
    }

    static long scenarioId(long projectId, int variant) {
        return projectId * 100 + variant + 1;
    }

    /** The variant of the {@code i}-th deployment. */
    static int variantOf(int i) {
        return i % VARIANTS.size();
    }

    /** The variant a scenario id runs. */
    static Variant variantOfScenario(long scenarioId) {
        return VARIANTS.get((int) (scenarioId % 100) - 1);
    }

    /** Registers every variant as a scenario of each project. */
    static void register(NcpEmulator ncp, long... projectIds) {
        for (long p : projectIds) {
            for (int v = 0; v < VARIANTS.size(); v++) {
                ncp.addScenario(p, stageId(p), scenarioId(p, v));
                ncp.onDeploy(scenarioId(p, v), VARIANTS.get(v).script());
            }
        }
    }

    /** The status a recorded deployment must have, from the scenario that {@code deployAndTrack} recorded. */
    static DeploymentStatus expected(Deployment d) {
        String scenario = d.attributes().get(NcpDeployments.ATTRIBUTE_SCENARIO_ID);
        if (scenario == null) {
            throw new AssertionError("deployment " + d.id() + " has no " + NcpDeployments.ATTRIBUTE_SCENARIO_ID
                    + " attribute: " + d.attributes());
        }
        return variantOfScenario(Long.parseLong(scenario)).expected();
    }

    /** The NCP history id a recorded deployment follows. */
    static long historyId(Deployment d) {
        String h = d.attributes().get(NcpDeployments.ATTRIBUTE_HISTORY_ID);
        if (h == null) {
            throw new AssertionError("deployment " + d.id() + " has no " + NcpDeployments.ATTRIBUTE_HISTORY_ID
                    + " attribute: " + d.attributes());
        }
        return Long.parseLong(h);
    }

    static long projectId(Deployment d) {
        return Long.parseLong(d.attributes().get(NcpDeployments.ATTRIBUTE_PROJECT_ID));
    }

    /** What NCP's final word means in deploytrack's words. */
    static DeploymentStatus statusOfWord(String word) {
        return switch (word) {
            case "success" -> DeploymentStatus.SUCCESS;
            case "fail" -> DeploymentStatus.FAILED;
            case "canceled" -> DeploymentStatus.CANCELLED;
            default -> throw new AssertionError("NCP still says '" + word + "': the script has not ended");
        };
    }
}
