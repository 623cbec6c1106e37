package io.deploytrack.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.notify.internal.DeploymentJson;
import io.deploytrack.notify.internal.Http;
import io.deploytrack.notify.internal.HttpOptions;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * GitHub Deployments: when a deployment starts, creates the GitHub deployment of (owner, repo, commit, environment)
 * ({@code POST /repos/{owner}/{repo}/deployments}) and posts {@code in_progress}; when it ends, posts its status
 * ({@code POST /repos/{owner}/{repo}/deployments/{id}/statuses}): {@code success}, {@code failure}, {@code error} for
 * timed out, {@code inactive} for cancelled. The GitHub deployment id is kept as the deployment's attribute
 * {@value #DEPLOYMENT_ID_ATTRIBUTE}, so the statuses go to the one created for it (an end whose start was not
 * announced creates it then). The API URL is configurable for GitHub Enterprise ({@code https://ghe.example.com/api/v3}).
 * The token never appears in logs, {@code toString} or errors.
 */
public final class GitHubChannel extends HttpChannel {
    /** The deployment attribute holding the GitHub deployment's id. */
    public static final String DEPLOYMENT_ID_ATTRIBUTE = "github_deployment_id";
    /** The public API. */
    public static final URI PUBLIC_API = URI.create("https://api.github.com");

    private final String token;
    private final String apiUrl;

    private GitHubChannel(Builder b) {
        super(b.name, b.filter, b.http);
        this.token = b.token;
        String u = b.apiUrl.toString();
        this.apiUrl = u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }

    /**
     * A builder with this token (a fine-grained token with "Deployments: read and write", or a classic one with
     * {@code repo_deployment}).
     */
    public static Builder builder(String token) {
        return new Builder(token);
    }

    /** The GitHub deployment status state for a deploytrack status. */
    public static String state(DeploymentStatus status) {
        return switch (status) {
            case RUNNING -> "in_progress";
            case SUCCESS -> "success";
            case FAILED -> "failure";
            case TIMED_OUT -> "error";
            case CANCELLED -> "inactive";
        };
    }

    @Override
    public CompletionStage<DeliveryResult> deliver(Notification n) {
        Deployment d = n.deployment();
        String known = d.attributes().get(DEPLOYMENT_ID_ATTRIBUTE);
        CompletableFuture<Step> created = known != null
                ? CompletableFuture.completedFuture(new Step(known, null))
                : create(d);
        return created.thenCompose(step -> {
            if (step.failure != null) {
                return CompletableFuture.completedFuture(step.failure);
            }
            Map<String, String> keep = known == null ? Map.of(DEPLOYMENT_ID_ATTRIBUTE, step.id) : Map.of();
            // the id is kept whatever the status call answers, so a retry does not create a second deployment
            return postStatus(d, step.id, n).thenApply(r -> r.withAttributes(keep));
        }).exceptionally(e -> DeliveryResult.retry("GitHub not reachable: " + Http.cause(e), null));
    }

    private record Step(String id, DeliveryResult failure) {
    }

    private CompletableFuture<Step> create(Deployment d) {
        ObjectNode body = DeploymentJson.MAPPER.createObjectNode();
        body.put("ref", d.commitSha());
        body.put("environment", d.environment());
        body.put("auto_merge", false);
        body.putArray("required_contexts");
        body.put("description", truncate("deploytrack #" + d.id() + (d.rollback() ? " (rollback)" : ""), 140));
        body.put("production_environment", "production".equals(d.environment()));
        HttpRequest request = request("/repos/" + d.owner() + "/" + d.repo() + "/deployments", body.toString());
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
            if (r.statusCode() == 201) {
                try {
                    JsonNode id = DeploymentJson.MAPPER.readTree(r.body()).get("id");
                    if (id != null && id.canConvertToLong()) {
                        return new Step(String.valueOf(id.asLong()), null);
                    }
                } catch (java.io.IOException e) {
                    // fall through: the answer is not what GitHub documents
                }
                return new Step(null, DeliveryResult.retry("GitHub created a deployment but its answer has no id"
                        + Http.snippet(r.body()), null));
            }
            DeliveryResult failure = r.statusCode() / 100 == 2
                    ? DeliveryResult.failed("GitHub did not create the deployment (HTTP " + r.statusCode() + ")"
                    + Http.snippet(r.body()))
                    : Http.classify(r, "GitHub (create deployment for " + d.project() + ")", clock);
            return new Step(null, failure);
        });
    }

    private CompletableFuture<DeliveryResult> postStatus(Deployment d, String githubId, Notification n) {
        ObjectNode body = DeploymentJson.MAPPER.createObjectNode();
        body.put("state", state(n.status()));
        String description = n.status() == DeploymentStatus.RUNNING ? "deploying " + d.shortSha()
                : n.status().word() + (d.errorMessage() == null ? "" : ": " + d.errorMessage());
        body.put("description", truncate(description, 140));
        body.put("environment", d.environment());
        if (n.status() == DeploymentStatus.SUCCESS) {
            body.put("auto_inactive", true);
        }
        HttpRequest request = request("/repos/" + d.owner() + "/" + d.repo() + "/deployments/" + githubId + "/statuses",
                body.toString());
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> Http.classify(r, "GitHub (deployment status for " + d.project() + ")", clock));
    }

    private HttpRequest request(String path, String json) {
        return HttpRequest.newBuilder(URI.create(apiUrl + path)).timeout(timeout)
                .header("Accept", "application/vnd.github+json")
                .header("Authorization", "Bearer " + token)
                .header("X-GitHub-Api-Version", "2022-11-28")
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build();
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    @Override
    public String toString() {
        return "GitHubChannel[" + name + ", " + apiUrl + ", token=***]";
    }

    /** Configuration of a {@link GitHubChannel}. */
    public static final class Builder {
        private final String token;
        private String name = "github";
        private URI apiUrl = PUBLIC_API;
        private NotificationFilter filter = NotificationFilter.ALL;
        private final HttpOptions http = new HttpOptions();

        private Builder(String token) {
            if (token == null || token.isBlank()) {
                throw new IllegalArgumentException("the GitHub token is empty: set DEPLOYTRACK_GITHUB_TOKEN (or pass "
                        + "a token) with permission to write deployments");
            }
            this.token = token.strip();
        }

        /** The channel's name in the delivery log (default {@code github}). */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** The API base URL (default {@code https://api.github.com}; GitHub Enterprise: {@code https://HOST/api/v3}). */
        public Builder apiUrl(URI apiUrl) {
            Objects.requireNonNull(apiUrl, "apiUrl");
            if (!"https".equals(apiUrl.getScheme()) && !"http".equals(apiUrl.getScheme())) {
                throw new IllegalArgumentException("the GitHub API URL must be http(s)://...: got " + apiUrl);
            }
            this.apiUrl = apiUrl;
            return this;
        }

        /**
         * Which projects and environments (default: all). Starts are always wanted when the filter accepts the
         * project: GitHub needs the deployment created when it starts.
         */
        public Builder filter(NotificationFilter filter) {
            this.filter = Objects.requireNonNull(filter, "filter").withStatus(DeploymentStatus.RUNNING);
            return this;
        }

        /** The HTTP client (default: a JDK client with a 5 s connect timeout). */
        public Builder httpClient(HttpClient http) {
            this.http.client(http);
            return this;
        }

        /** How long one request may take (default 10 s). */
        public Builder timeout(Duration timeout) {
            this.http.timeout(timeout);
            return this;
        }

        /** The clock that turns a {@code Retry-After} date into a delay. */
        public Builder clock(Clock clock) {
            this.http.clock(clock);
            return this;
        }

        /** Builds the channel. */
        public GitHubChannel build() {
            return new GitHubChannel(this);
        }
    }
}
