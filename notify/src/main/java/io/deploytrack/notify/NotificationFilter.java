package io.deploytrack.notify;

import io.deploytrack.core.DeploymentStatus;

import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Which events a channel delivers: by the status they announce ({@code running} = "started"), by project
 * ({@code owner/repo}) and by environment. An empty project or environment set means all.
 *
 * @param statuses     the statuses announced; {@link DeploymentStatus#RUNNING} for start messages
 * @param projects     {@code owner/repo} values, or empty for every project
 * @param environments environments, or empty for every environment
 */
public record NotificationFilter(Set<DeploymentStatus> statuses, Set<String> projects, Set<String> environments) {

    /** Every end (success, failed, cancelled, timed out), every project and environment; no start messages. */
    public static final NotificationFilter ENDS = new NotificationFilter(EnumSet.of(DeploymentStatus.SUCCESS,
            DeploymentStatus.FAILED, DeploymentStatus.CANCELLED, DeploymentStatus.TIMED_OUT), Set.of(), Set.of());

    /** Starts and ends, every project and environment. */
    public static final NotificationFilter ALL = ENDS.withStatus(DeploymentStatus.RUNNING);

    /** Copies the sets. */
    public NotificationFilter {
        if (statuses == null || statuses.isEmpty()) {
            throw new IllegalArgumentException("a filter needs at least one status: running (started), success, "
                    + "failed, cancelled or timed_out");
        }
        statuses = Set.copyOf(statuses);
        projects = projects == null ? Set.of() : Set.copyOf(projects);
        environments = environments == null ? Set.of() : Set.copyOf(environments);
        for (String p : projects) {
            if (p.indexOf('/') <= 0 || p.indexOf('/') == p.length() - 1) {
                throw new IllegalArgumentException("project '" + p + "' is not usable in a filter: expected owner/repo");
            }
        }
    }

    /** Only these statuses. */
    public NotificationFilter onlyStatuses(Collection<DeploymentStatus> only) {
        return new NotificationFilter(Set.copyOf(only), projects, environments);
    }

    /** Also this status ({@code RUNNING}: also "started" messages). */
    public NotificationFilter withStatus(DeploymentStatus status) {
        Set<DeploymentStatus> s = EnumSet.copyOf(statuses);
        s.add(status);
        return new NotificationFilter(s, projects, environments);
    }

    /** Only these projects ({@code owner/repo}). */
    public NotificationFilter onlyProjects(Collection<String> only) {
        return new NotificationFilter(statuses, new LinkedHashSet<>(only), environments);
    }

    /** Only these environments. */
    public NotificationFilter onlyEnvironments(Collection<String> only) {
        return new NotificationFilter(statuses, projects, new LinkedHashSet<>(only));
    }

    /** Whether an event announcing {@code status} for this project and environment passes. */
    public boolean accepts(DeploymentStatus status, String owner, String repo, String environment) {
        return statuses.contains(status)
                && (projects.isEmpty() || projects.contains(owner + "/" + repo))
                && (environments.isEmpty() || environments.contains(environment));
    }
}
