package io.deploytrack.benchmarks.store;

import io.deploytrack.benchmarks.Figure;
import io.deploytrack.benchmarks.Percentiles;

/**
 * The harness of {@code store.sqlite} and {@code store.postgres}: the store and its baseline run in the same JVM,
 * interleaved one deployment life at a time (ours, plain, plain, ours, ...), so that whatever else the machine does
 * slows both alike. Warm-up rounds first (JIT, caches, file growth), then measured rounds; each round times
 * {@code perRound} lives of each side. Quoted: the median round of each side ({@code ops_per_s},
 * {@code baseline_ops_per_s}) and the median of the rounds' time ratios ({@code ratio}, ours / baseline: 1.0 = free).
 *
 * <p>Sequential JMH forks (one benchmark, then the other) drift apart on a shared machine whose load changes between
 * them; interleaving does not. The JMH benchmarks remain ({@code benchmarks/run --jmh}) for quiet machines.
 */
public final class Alternating {

    /** Rounds and their size. */
    public record Plan(int warmupRounds, int measuredRounds, int perRound) {
        /** What {@code benchmarks/run} uses for SQLite: 4 warm-up and 20 measured rounds of 60 lives of each side. */
        public static Plan standard() {
            return new Plan(4, 20, 60);
        }
    }

    private Alternating() {
    }

    /** Runs both sides and returns the figure {@code name}. */
    public static Figure compare(String name, Lifecycle ours, Lifecycle baseline, Plan plan) {
        double[] oursOps = new double[plan.measuredRounds()];
        double[] baseOps = new double[plan.measuredRounds()];
        double[] ratios = new double[plan.measuredRounds()];
        for (int round = -plan.warmupRounds(); round < plan.measuredRounds(); round++) {
            long oursNanos = 0;
            long baseNanos = 0;
            for (int i = 0; i < plan.perRound(); i++) {
                boolean oursFirst = ((i + round) & 1) == 0;
                for (int k = 0; k < 2; k++) {
                    boolean isOurs = (k == 0) == oursFirst;
                    long t0 = System.nanoTime();
                    (isOurs ? ours : baseline).run();
                    long t = System.nanoTime() - t0;
                    if (isOurs) {
                        oursNanos += t;
                    } else {
                        baseNanos += t;
                    }
                }
            }
            if (round >= 0) {
                oursOps[round] = plan.perRound() / (oursNanos / 1e9);
                baseOps[round] = plan.perRound() / (baseNanos / 1e9);
                ratios[round] = (double) oursNanos / baseNanos;
            }
        }
        return new Figure(name).put("ops_per_s", Percentiles.median(oursOps), 1)
                .put("baseline_ops_per_s", Percentiles.median(baseOps), 1)
                .put("ratio", Percentiles.median(ratios), 3);
    }
}
