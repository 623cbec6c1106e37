package io.deploytrack.core;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one rule that turns the statuses of a deployment's checks into the deployment's status. The tracker, the
 * store's maintenance ({@code repair}) and anything else that must agree with them call {@link #of(List)}.
 *
 * <ul>
 *   <li>the first check (in the deployment's order) that {@code failed} or {@code timed_out} decides: the deployment
 *       takes that status, with the check's name as {@code errorStage};</li>
 *   <li>otherwise the first {@code cancelled} check cancels the deployment, naming that check;</li>
 *   <li>otherwise, when every check succeeded, the deployment succeeded;</li>
 *   <li>otherwise (a check still runs, or there are none) the deployment is still {@code running}.</li>
 * </ul>
 *
 * @param status the deployment's status by this rule ({@code running} when nothing is decided yet)
 * @param cause  the name of the check that decided a failure, time-out or cancellation; null otherwise
 */
public record DeploymentOutcome(DeploymentStatus status, String cause) {

    /** Requires a status; a cause only with a status that has one. */
    public DeploymentOutcome {
        Objects.requireNonNull(status, "status");
        if (cause != null && (status == DeploymentStatus.RUNNING || status == DeploymentStatus.SUCCESS)) {
            throw new IllegalArgumentException("a '" + status + "' outcome has no cause, got '" + cause + "'");
        }
    }

    /** Whether the checks decide the deployment (its status is terminal). */
    public boolean isDecided() {
        return status.isTerminal();
    }

    /** The outcome of the given checks, in their order. */
    public static DeploymentOutcome of(List<DeploymentCheck> checks) {
        Objects.requireNonNull(checks, "checks");
        String[] names = new String[checks.size()];
        DeploymentStatus[] statuses = new DeploymentStatus[checks.size()];
        for (int i = 0; i < checks.size(); i++) {
            names[i] = checks.get(i).name();
            statuses[i] = checks.get(i).status();
        }
        return decide(names, statuses);
    }

    /**
     * The outcome of checks given as name to status, in the map's iteration order (use a {@code LinkedHashMap}), for
     * callers that hold statuses without whole {@link DeploymentCheck}s (a repair that asked the sources).
     */
    public static DeploymentOutcome ofStatuses(Map<String, DeploymentStatus> statusByCheckName) {
        Objects.requireNonNull(statusByCheckName, "statusByCheckName");
        String[] names = statusByCheckName.keySet().toArray(String[]::new);
        DeploymentStatus[] statuses = statusByCheckName.values().toArray(DeploymentStatus[]::new);
        return decide(names, statuses);
    }

    private static DeploymentOutcome decide(String[] names, DeploymentStatus[] statuses) {
        int cancelled = -1;
        boolean allSucceeded = statuses.length > 0;
        for (int i = 0; i < statuses.length; i++) {
            DeploymentStatus s = statuses[i];
            if (s == null) {
                throw new NullPointerException("no status for check '" + names[i] + "'");
            }
            if (s == DeploymentStatus.FAILED || s == DeploymentStatus.TIMED_OUT) {
                return new DeploymentOutcome(s, names[i]);
            }
            if (s == DeploymentStatus.CANCELLED && cancelled < 0) {
                cancelled = i;
            }
            allSucceeded &= s == DeploymentStatus.SUCCESS;
        }
        if (cancelled >= 0) {
            return new DeploymentOutcome(DeploymentStatus.CANCELLED, names[cancelled]);
        }
        return new DeploymentOutcome(allSucceeded ? DeploymentStatus.SUCCESS : DeploymentStatus.RUNNING, null);
    }
}
