package io.deploytrack.core;

/**
 * A page of history, newest first (by {@code startedAt}, then id).
 *
 * @param owner       only this owner, or null for all
 * @param repo        only this repository (with {@code owner}), or null
 * @param environment only this environment, or null
 * @param status      only this status, or null
 * @param limit       at most this many rows, 1 to 10,000
 * @param offset      skip this many rows first
 */
public record HistoryQuery(String owner, String repo, String environment, DeploymentStatus status, int limit,
                           int offset) {

    /** Validates the page. */
    public HistoryQuery {
        if (limit < 1 || limit > 10_000) {
            throw new InvalidRequestException("limit", "limit " + limit + " is not usable: expected 1 to 10000");
        }
        if (offset < 0) {
            throw new InvalidRequestException("offset", "offset " + offset + " is not usable: expected 0 or more");
        }
        if (repo != null && owner == null) {
            throw new InvalidRequestException("repo", "repo '" + repo + "' needs an owner too");
        }
    }

    /** The newest {@code limit} deployments of everything. */
    public static HistoryQuery all(int limit) {
        return new HistoryQuery(null, null, null, null, limit, 0);
    }

    /** The newest {@code limit} deployments of one project, all environments. */
    public static HistoryQuery project(String owner, String repo, int limit) {
        return new HistoryQuery(owner, repo, null, null, limit, 0);
    }

    /** A copy restricted to an environment. */
    public HistoryQuery inEnvironment(String env) {
        return new HistoryQuery(owner, repo, env, status, limit, offset);
    }

    /** A copy restricted to a status. */
    public HistoryQuery withStatus(DeploymentStatus s) {
        return new HistoryQuery(owner, repo, environment, s, limit, offset);
    }

    /** The next page. */
    public HistoryQuery next() {
        return new HistoryQuery(owner, repo, environment, status, limit, offset + limit);
    }

    /** Whether a deployment falls within the filters (not the page). */
    public boolean matches(Deployment d) {
        return (owner == null || owner.equals(d.owner())) && (repo == null || repo.equals(d.repo()))
                && (environment == null || environment.equals(d.environment()))
                && (status == null || status == d.status());
    }
}
