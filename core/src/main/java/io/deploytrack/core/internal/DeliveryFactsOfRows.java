package io.deploytrack.core.internal;

import io.deploytrack.core.DeliveryFacts;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.Insights;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link DeliveryFacts} worked out in Java from one target's rows, by the rules in DeliveryFacts' javadoc: what the
 * in-memory store does, and the same rules the JDBC store's SQL follows.
 */
public final class DeliveryFactsOfRows {
    private static final Comparator<Deployment> BY_DEPLOYED = Comparator.comparing(Deployment::deployedAt)
            .thenComparingLong(Deployment::id);

    private DeliveryFactsOfRows() {
    }

    /** The facts of {@code rows} (all of one project and environment, any status) over {@code [from, to)}. */
    public static DeliveryFacts of(List<Deployment> rows, Instant from, Instant to) {
        List<Deployment> successes = rows.stream()
                .filter(d -> d.status() == DeploymentStatus.SUCCESS && d.deployedAt() != null && d.deployedAt().isBefore(to))
                .sorted(BY_DEPLOYED).toList();
        int n = successes.size();
        boolean[] rollback = new boolean[n];
        int[] restored = new int[n];
        Map<String, Integer> lastOfCommit = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Deployment d = successes.get(i);
            Integer before = lastOfCommit.get(d.commitSha());
            restored[i] = before == null ? -1 : before;
            rollback[i] = d.rollback() || (before != null && !successes.get(i - 1).commitSha().equals(d.commitSha()));
            lastOfCommit.put(d.commitSha(), i);
        }
        Instant[] rolledBackAt = new Instant[n];
        for (int r = 0; r < n; r++) {
            if (!rollback[r] || restored[r] < 0) {
                continue;
            }
            for (int f = restored[r] + 1; f < r; f++) {
                if (!rollback[f]) {
                    Instant at = successes.get(r).deployedAt();
                    if (rolledBackAt[f] == null || at.isBefore(rolledBackAt[f])) {
                        rolledBackAt[f] = at;
                    }
                    break;
                }
            }
        }
        List<DeliveryFacts.Shipped> shipped = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Deployment d = successes.get(i);
            if (d.deployedAt().isBefore(from)) {
                continue;
            }
            Deployment prev = i == 0 ? null : successes.get(i - 1);
            Deployment next = i + 1 < n ? successes.get(i + 1) : null;
            shipped.add(new DeliveryFacts.Shipped(d.id(), d.commitSha(), rollback[i], isFix(d), d.startedAt(),
                    d.deployedAt(), prev == null ? null : prev.commitSha(), prev == null ? null : prev.deployedAt(),
                    prev != null && rollback[i - 1], next == null ? null : next.deployedAt(),
                    next != null && !rollback[i + 1] && isFix(next), rolledBackAt[i]));
        }
        int failed = (int) rows.stream().filter(d -> d.status() == DeploymentStatus.FAILED
                        || d.status() == DeploymentStatus.CANCELLED || d.status() == DeploymentStatus.TIMED_OUT)
                .filter(d -> !d.startedAt().isBefore(from) && d.startedAt().isBefore(to)).count();
        return new DeliveryFacts(from, to, shipped, failed);
    }

    private static boolean isFix(Deployment d) {
        return "true".equals(d.attributes().get(Insights.FIX_ATTRIBUTE));
    }
}
