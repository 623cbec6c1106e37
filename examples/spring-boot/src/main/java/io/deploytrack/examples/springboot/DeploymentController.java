package io.deploytrack.examples.springboot;

import io.deploytrack.core.DeploymentHistory;
import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.HistoryQuery;
import io.deploytrack.ncp.NcpApiException;
import io.deploytrack.spring.DeploymentViews;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@code POST /api/deployments} starts an NCP deployment and answers 202 with it (the CLI's {@code --json} keys);
 * {@code GET /api/deployments} lists the history; {@code GET /api/deployments/{id}} shows one with its checks and
 * events; {@code GET /api/deployments/{id}/events} streams its progress as Server-Sent Events.
 */
@RestController
@RequestMapping("/api/deployments")
public class DeploymentController {
    private final NcpDeploymentStarter starter;
    private final DeploymentHistory history;
    private final DeploymentFeed feed;

    /**
     * Wired by Spring.
     *
     * @param starter starts NCP deployments
     * @param tracker the tracker, for its history
     * @param feed    the Server-Sent Events feed
     */
    public DeploymentController(NcpDeploymentStarter starter, DeploymentTracker tracker, DeploymentFeed feed) {
        this.starter = starter;
        this.history = tracker.history();
        this.feed = feed;
    }

    /**
     * Starts a deployment.
     *
     * @param body {@code repo} (OWNER/REPO), {@code commit} (7 to 40 hex characters), {@code environment} (optional)
     * @return 202 with the deployment, 400 naming what is wrong, 502 when NCP refused
     */
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Map<String, Object>>> start(@RequestBody Map<String, String> body) {
        DeploymentRequest request;
        try {
            String repo = body.get("repo");
            if (repo == null || repo.isBlank()) {
                throw new IllegalArgumentException("repo is missing: expected \"OWNER/REPO\"");
            }
            DeploymentRequest.Builder b = DeploymentRequest.builder().project(repo).commitSha(body.get("commit"))
                    .attribute("requested_by", "spring-boot-example");
            String environment = body.get("environment");
            if (environment != null && !environment.isBlank()) {
                b.environment(environment);
            }
            request = b.build();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(error(HttpStatus.BAD_REQUEST, e.getMessage()));
        }
        return starter.start(request)
                .thenApply(h -> ResponseEntity.status(HttpStatus.ACCEPTED).body(DeploymentViews.deployment(h.deployment())))
                .exceptionally(e -> {
                    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    HttpStatus status = cause instanceof NcpApiException ? HttpStatus.BAD_GATEWAY
                            : HttpStatus.INTERNAL_SERVER_ERROR;
                    return error(status, cause.getMessage());
                });
    }

    /**
     * The history, newest first.
     *
     * @return up to 100 deployments
     */
    @GetMapping
    public Map<String, Object> list() {
        return Map.of("deployments", DeploymentViews.deployments(history.list(HistoryQuery.all(100))));
    }

    /**
     * One deployment with its checks and events.
     *
     * @param id its id
     * @return it, or 404
     */
    @GetMapping("/{id}")
    public ResponseEntity<Map<String, Object>> show(@PathVariable("id") long id) {
        return history.find(id).map(d -> ResponseEntity.ok(DeploymentViews.detail(d, history.events(id))))
                .orElseGet(() -> error(HttpStatus.NOT_FOUND, "no deployment " + id));
    }

    /**
     * Its progress as Server-Sent Events: {@code started}, then {@code status} for each source status, then
     * {@code completed}; the stream ends after {@code completed}.
     *
     * @param id its id
     * @return the stream, or 404
     */
    @GetMapping(path = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public ResponseEntity<SseEmitter> events(@PathVariable("id") long id) {
        if (history.find(id).isEmpty()) {
            return ResponseEntity.notFound().build();
        }
        return ResponseEntity.ok(feed.subscribe(id));
    }

    private static ResponseEntity<Map<String, Object>> error(HttpStatus status, String message) {
        return ResponseEntity.status(status).body(Map.of("error", message == null ? status.toString() : message));
    }
}
