package io.deploytrack.spring;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentHistory;
import io.deploytrack.core.DeploymentNotFoundException;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.HistoryQuery;
import io.deploytrack.core.IllegalTransitionException;
import io.deploytrack.core.InvalidRequestException;
import io.deploytrack.core.NoRollbackTargetException;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.lang.Nullable;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code deployments} actuator endpoint, secured by whatever secures the application's actuator:
 * <ul>
 *   <li>{@code GET /actuator/deployments?project=acme/web&environment=production&status=failed&limit=20}: history,
 *       newest first, with the filters of the CLI's {@code history};</li>
 *   <li>{@code GET /actuator/deployments/{id}}: one deployment with its checks and events (404 when unknown);</li>
 *   <li>{@code GET /actuator/deployments/{owner}/{repo}/{environment}}: the rollback target (404 when none);</li>
 *   <li>{@code POST /actuator/deployments/{id}} with {@code {"status":"cancelled","reason":"..."}} (and optionally
 *       {@code "at"}): a manual terminal transition, the reason kept in the event log.</li>
 * </ul>
 */
@Endpoint(id = "deployments")
public class DeploymentsEndpoint {
    private static final int DEFAULT_LIMIT = 20;

    private final DeploymentHistory history;

    /**
     * An endpoint over a history.
     *
     * @param history the tracker's history
     */
    public DeploymentsEndpoint(DeploymentHistory history) {
        this.history = history;
    }

    /**
     * History, newest first.
     *
     * @param project     {@code owner/repo}, or null for all
     * @param environment an environment, or null for all
     * @param status      a status word, or null for all
     * @param limit       at most this many, 1 to 10,000 (default 20)
     * @return {@code deployments}: one entry each, with the CLI's {@code --json} keys
     */
    @ReadOperation
    public Map<String, Object> history(@Nullable String project, @Nullable String environment,
                                       @Nullable String status, @Nullable Integer limit) {
        String owner = null;
        String repo = null;
        if (project != null && !project.isBlank()) {
            int slash = project.indexOf('/');
            if (slash <= 0 || slash == project.length() - 1 || project.indexOf('/', slash + 1) >= 0) {
                throw new InvalidEndpointRequestException("project '" + project + "' is not usable: expected "
                        + "OWNER/REPO", "bad project");
            }
            owner = project.substring(0, slash);
            repo = project.substring(slash + 1);
        }
        DeploymentStatus wanted = status == null || status.isBlank() ? null : status(status);
        List<Deployment> page;
        try {
            page = history.list(new HistoryQuery(owner, repo, blankToNull(environment), wanted,
                    limit == null ? DEFAULT_LIMIT : limit, 0));
        } catch (IllegalArgumentException e) {
            throw new InvalidEndpointRequestException(e.getMessage(), "bad query");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("deployments", DeploymentViews.deployments(page));
        return out;
    }

    /**
     * One deployment with its checks and events.
     *
     * @param id the deployment's id
     * @return the deployment; 404 with {@code {"error": ...}} naming the id when there is no such deployment
     */
    @ReadOperation
    public WebEndpointResponse<Map<String, Object>> deployment(@Selector long id) {
        return history.find(id).map(d -> new WebEndpointResponse<>(DeploymentViews.detail(d, history.events(id))))
                .orElseGet(() -> notFound("no deployment " + id + ": list them at /actuator/deployments"));
    }

    /**
     * What runs now and what to roll back to.
     *
     * @param owner       the GitHub owner
     * @param repo        the repository
     * @param environment the environment
     * @return {@code current} and {@code target}; 404 with {@code {"error": ...}} saying why when there is no target
     */
    @ReadOperation
    public WebEndpointResponse<Map<String, Object>> rollbackTarget(@Selector String owner, @Selector String repo,
                                                                   @Selector String environment) {
        try {
            return new WebEndpointResponse<>(DeploymentViews.rollbackTarget(history.rollbackTarget(owner, repo, environment)));
        } catch (NoRollbackTargetException e) {
            return notFound(e.getMessage());
        }
    }

    private static WebEndpointResponse<Map<String, Object>> notFound(String reason) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", reason);
        return new WebEndpointResponse<>(body, WebEndpointResponse.STATUS_NOT_FOUND);
    }

    /**
     * Marks a deployment with a terminal status and a reason (an operator's decision, kept in the event log).
     *
     * @param id     the deployment's id
     * @param status {@code success}, {@code failed} or {@code cancelled}
     * @param reason why, e.g. {@code alice: superseded by hotfix}
     * @param at     when it really ended (ISO-8601), or null for now
     * @return the deployment as marked
     * @throws InvalidEndpointRequestException (400) when there is no such id, or the change is not allowed
     */
    @WriteOperation
    public Map<String, Object> mark(@Selector long id, String status, String reason, @Nullable String at) {
        if (reason == null || reason.isBlank()) {
            throw new InvalidEndpointRequestException("a reason is required: say who decided and why", "no reason");
        }
        Instant when;
        try {
            when = at == null || at.isBlank() ? null : Instant.parse(at);
        } catch (DateTimeParseException e) {
            throw new InvalidEndpointRequestException("at '" + at + "' is not usable: expected an ISO-8601 instant "
                    + "such as 2026-03-01T10:30:00Z", "bad time");
        }
        try {
            return DeploymentViews.deployment(history.mark(id, status(status), reason, when));
        } catch (DeploymentNotFoundException e) {
            throw new InvalidEndpointRequestException("no deployment " + id, "no such deployment");
        } catch (IllegalTransitionException | InvalidRequestException e) {
            throw new InvalidEndpointRequestException(e.getMessage(), "transition not allowed");
        }
    }

    private static DeploymentStatus status(String word) {
        try {
            return DeploymentStatus.fromWord(word);
        } catch (IllegalArgumentException e) {
            throw new InvalidEndpointRequestException("status '" + word + "' is not usable: expected running, success, "
                    + "failed, cancelled or timed_out", "bad status");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
