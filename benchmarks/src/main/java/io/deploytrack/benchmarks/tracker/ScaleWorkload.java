package io.deploytrack.benchmarks.tracker;

import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.ncp.emulator.NcpScript;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.deploytrack.ncp.emulator.NcpScript.end;
import static io.deploytrack.ncp.emulator.NcpScript.step;

/**
 * The workload of {@code tracker.scale} and {@code tracker.baseline}, the same for both: {@code deployments}
 * SourceDeploy deployments over {@code projects} NCP projects (round robin), all in flight at once (see
 * {@link GatedClock}), each reporting {@code inprogress}, then its final word after a random life from
 * {@code minSeconds} to {@code maxSeconds} (milliseconds drawn uniformly): {@code success} (80 %), {@code fail}
 * (15 %) or {@code canceled} (5 %).
 *
 * @param deployments how many
 * @param projects    over how many NCP projects
 * @param minSeconds  shortest life
 * @param maxSeconds  longest life
 * @param seed        the random seed (same workload every run)
 */
public record ScaleWorkload(int deployments, int projects, int minSeconds, int maxSeconds, long seed) {

    /**
     * What {@code benchmarks/run} measures: 10,000 deployments over 100 NCP projects (100 each: one list page), 5 to
     * 30 s each.
     */
    public static ScaleWorkload standard() {
        return new ScaleWorkload(10_000, 100, 5, 30, 20_251_126L);
    }

    /** {@code tracker.scale50k}: the same shape at 50,000 deployments over 500 NCP projects (100 each). */
    public static ScaleWorkload standard50k() {
        return new ScaleWorkload(50_000, 500, 5, 30, 20_251_127L);
    }

    /** {@code tracker.pg3}: 3,000 deployments over 30 NCP projects, 5 to 30 s each, for three trackers. */
    public static ScaleWorkload pg3() {
        return new ScaleWorkload(3_000, 30, 5, 30, 20_251_128L);
    }

    /** One deployment of the workload. */
    public record Item(int index, long projectId, Duration duration, String finalWord, DeploymentStatus expected) {
        /** What the emulator runs for it. */
        public NcpScript script() {
            return NcpScript.of(step("inprogress", duration), end(finalWord));
        }

        /** A 40-hex commit SHA unique to this deployment. */
        public String commitSha() {
            return String.format("%040x", 0xdec0de000000L + index);
        }

        /** The GitHub repository it deploys. */
        public String repo() {
            return "service-" + projectId;
        }
    }

    /** The deployments, in start order. */
    public List<Item> items() {
        Random random = new Random(seed);
        List<Item> out = new ArrayList<>(deployments);
        long spanMillis = (maxSeconds - minSeconds) * 1000L;
        for (int i = 0; i < deployments; i++) {
            long millis = minSeconds * 1000L + (spanMillis == 0 ? 0 : (long) (random.nextDouble() * spanMillis));
            double r = random.nextDouble();
            String word = r < 0.80 ? "success" : r < 0.95 ? "fail" : "canceled";
            DeploymentStatus expected = switch (word) {
                case "success" -> DeploymentStatus.SUCCESS;
                case "fail" -> DeploymentStatus.FAILED;
                default -> DeploymentStatus.CANCELLED;
            };
            out.add(new Item(i, 1 + (i % projects), Duration.ofMillis(millis), word, expected));
        }
        return out;
    }
}
