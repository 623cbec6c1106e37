package io.deploytrack.examples.readme;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.deploytrack.core.CheckRef;
import io.deploytrack.core.CheckSpec;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentHandle;
import io.deploytrack.core.DeploymentListener;
import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.HistoryStore;
import io.deploytrack.core.Observation;
import io.deploytrack.core.PollingSource;
import io.deploytrack.core.RollbackTarget;
import io.deploytrack.core.StatusSource;
import io.deploytrack.jdbc.JdbcHistoryStore;
import io.deploytrack.kubernetes.KubernetesDeployments;
import io.deploytrack.kubernetes.KubernetesWatchingSource;
import io.deploytrack.kubernetes.WorkloadKind;
import io.deploytrack.ncp.NcpBuildPollingSource;
import io.deploytrack.ncp.NcpBuilds;
import io.deploytrack.ncp.NcpClient;
import io.deploytrack.ncp.NcpDeployments;
import io.deploytrack.ncp.NcpPipelinePollingSource;
import io.deploytrack.ncp.NcpPipelines;
import io.deploytrack.ncp.NcpPollingSource;
import io.deploytrack.notify.GitHubChannel;
import io.deploytrack.notify.NotificationFilter;
import io.deploytrack.notify.Notifier;
import io.deploytrack.notify.SlackChannel;
import io.deploytrack.notify.SlackTemplates;
import io.deploytrack.notify.WebhookChannel;
import io.deploytrack.notify.WebhookVerifier;
import io.deploytrack.webhook.WebhookResponse;
import io.deploytrack.webhook.WebhookServer;
import io.deploytrack.webhook.WebhookPushSource;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The code blocks of the README and of {@code docs/*.md}, compiled: each block is the region between {@code // snippet-start: NAME} and
 * {@code // snippet-end: NAME} below, and {@code ReadmeSnippetsTest} fails when a document and this file differ.
 * Edit a snippet here, then copy it into every document that shows it (the test prints the expected block).
 *
 * <p>The methods' parameters stand for what a host has at hand (its source, its ids, its pool configuration).
 */
public final class ReadmeSnippets {
    private static final Logger log = LoggerFactory.getLogger(ReadmeSnippets.class);

    private ReadmeSnippets() {
    }

    /**
     * "Embedding it": a tracker on SQLite with one source and one listener, one deployment tracked and a rollback
     * target asked for.
     *
     * @param mySource a status source of the host
     * @return the deployment once it ended
     * @throws Exception when waiting for the deployment fails
     */
    public static Deployment embedding(StatusSource mySource) throws Exception {
        // snippet-start: embedding
        HistoryStore store = JdbcHistoryStore.sqlite(Path.of("deploytrack.db"));   // WAL, migrated at open
        DeploymentTracker tracker = DeploymentTracker.builder(store)
                .source(mySource)                        // a PollingSource or WatchingSource (or found via ServiceLoader)
                .listener(new DeploymentListener() {     // runs after the store committed
                    @Override public void onCompleted(Deployment d) {
                        log.info("{} {} in {}", d.project(), d.status(), d.totalDuration());
                    }
                })
                .build()
                .start();                                // resumes whatever was left running

        DeploymentRequest request = DeploymentRequest.builder("acme", "web", "3f2c1a9")
                .environment("production")
                .attribute("requested_by", "alice")
                .build();                                // validated: owner/repo as GitHub allows, a 7-40 hex SHA
        DeploymentHandle handle = tracker.track(request, CheckRef.of("mysource", "id", "run-17"));
        Deployment done = handle.completion().get(); // success, failed, cancelled or timed_out

        RollbackTarget target = tracker.history().rollbackTarget("acme", "web", "production");
        // snippet-end: embedding
        log.debug("rollback target {}", target);
        tracker.close();
        store.close();
        return done;
    }

    /**
     * "Tracking NCP SourceDeploy deployments": start and track in one call, or track one started elsewhere.
     *
     * @param projectId  the SourceDeploy project
     * @param stageId    the stage
     * @param scenarioId the scenario
     * @param historyId  a deployment started elsewhere
     * @return the tracker
     */
    public static DeploymentTracker ncp(long projectId, long stageId, long scenarioId, long historyId) {
        // snippet-start: ncp
        NcpPollingSource ncp = NcpPollingSource.fromEnvironment();      // NCP_ACCESS_KEY / NCP_SECRET_KEY, VPC endpoint
        DeploymentTracker tracker = DeploymentTracker.builder(JdbcHistoryStore.sqlite(Path.of("deploytrack.db")))
                .source(ncp).build().start();
        DeploymentRequest request = DeploymentRequest.builder("acme", "web", "3f2c1a9").environment("production").build();
        // Start a SourceDeploy deployment and track it in one call (key ncp:{projectId}:{historyId}, NCP ids as attributes):
        NcpDeployments deployments = NcpDeployments.of(ncp, tracker);
        DeploymentHandle h = deployments.deployAndTrack(request, projectId, stageId, scenarioId).join();
        // ...or track one started elsewhere:
        tracker.track(request, NcpPollingSource.ref(projectId, historyId));
        // snippet-end: ncp
        log.debug("started {}", h.id());
        return tracker;
    }

    /**
     * "Tracking Kubernetes rollouts": update an image and track the rollout, or track one started elsewhere.
     *
     * @param sha     the commit deployed
     * @param request what is deployed
     * @return the deployment the update started, once it ended
     */
    public static Deployment kubernetes(String sha, DeploymentRequest request) {
        // snippet-start: kubernetes
        KubernetesWatchingSource kubernetes = KubernetesWatchingSource.of(new KubernetesClientBuilder().build());
        DeploymentTracker tracker = DeploymentTracker.builder(JdbcHistoryStore.sqlite(Path.of("deploytrack.db")))
                .source(kubernetes).build().start();
        // Update the image and track the rollout that update started, in one asynchronous call:
        KubernetesDeployments deployments = KubernetesDeployments.of(kubernetes, tracker);
        DeploymentHandle h = deployments.updateImageAndTrack(
                DeploymentRequest.builder().project("acme/shop-web").commitSha(sha).build(),
                WorkloadKind.DEPLOYMENT, "shop", "web", "app", "registry.local:5000/web:2.0").join();
        Deployment done = h.completion().join();   // success only when `kubectl rollout status` would say so
        // Or track a rollout started elsewhere:
        tracker.track(request, CheckSpec.of(kubernetes.currentRef(WorkloadKind.DEPLOYMENT, "shop", "web")));
        // snippet-end: kubernetes
        return done;
    }

    /**
     * "The whole NCP pipeline": a SourceBuild build then a SourceDeploy deploy as one deployment, or a SourcePipeline
     * run with one stage per task.
     *
     * @param ncp            the SourceDeploy source, whose client starts builds, deploys and runs
     * @param store          the host's store
     * @param request        what is built and deployed
     * @param buildProjectId the SourceBuild project
     * @param projectId      the SourceDeploy project
     * @param stageId        its stage
     * @param scenarioId     its scenario
     * @param pipelineId     the SourcePipeline project
     * @return the pipeline run's deployment, once recorded
     */
    public static DeploymentHandle ncpPipeline(NcpPollingSource ncp, HistoryStore store, DeploymentRequest request,
                                               long buildProjectId, long projectId, long stageId, long scenarioId,
                                               long pipelineId) {
        // snippet-start: ncp-pipeline
        NcpClient client = ncp.client();                                  // one signed client for the three services
        NcpPipelinePollingSource pipelines = NcpPipelinePollingSource.of(client);
        DeploymentTracker tracker = DeploymentTracker.builder(store)
                .source(ncp).source(NcpBuildPollingSource.of(client)).source(pipelines).build().start();
        // A build, then the deploy once it succeeded: one deployment, stages sourcebuild and sourcedeploy
        DeploymentHandle h = NcpBuilds.of(client, tracker).buildThenDeploy(request, buildProjectId,
                projectId, stageId, scenarioId, null, null).join();      // null: the tracker's default deadlines
        // Or a SourcePipeline run, one stage per task:
        DeploymentHandle run = NcpPipelines.of(pipelines, tracker).runAndTrack(request, pipelineId, null).join();
        // snippet-end: ncp-pipeline
        log.debug("build then deploy {}", h.id());
        return run;
    }

    /**
     * "Your own status source": a polling source for a service whose {@code GET /version} answers the commit it runs.
     *
     * @param store   the host's store
     * @param http    the host's HTTP client
     * @param request what is deployed
     * @return the tracker
     */
    public static DeploymentTracker ownSource(HistoryStore store, HttpClient http, DeploymentRequest request) {
        // snippet-start: own-source
        PollingSource version = new PollingSource() {                   // or a WatchingSource that pushes to a sink
            @Override public String type() {
                return "http-version";                                  // stored with each check: any process resumes it
            }
            @Override public CompletionStage<Observation> poll(CheckRef ref) {
                HttpRequest get = HttpRequest.newBuilder(URI.create(ref.require("url"))).build();
                return http.sendAsync(get, BodyHandlers.ofString()).thenApply(r -> r.body().strip().equals(ref.require("sha"))
                        ? Observation.succeeded(r.body()) : Observation.inProgress(r.body()));
            }
        };
        DeploymentTracker tracker = DeploymentTracker.builder(store).source(version).build().start();
        tracker.track(request, CheckRef.of("http-version", "url", "http://web:8080/version", "sha", "3f2c1a9"));
        // snippet-end: own-source
        return tracker;
    }

    /**
     * "Running several instances": a tracker per instance over the service's own pool, with a lease duration.
     *
     * @param hikariConfig the service's pool configuration
     * @return the tracker
     */
    public static DeploymentTracker severalInstances(HikariConfig hikariConfig) {
        // snippet-start: several-instances
        HikariDataSource pool = new HikariDataSource(hikariConfig);          // your service's pool
        HistoryStore store = JdbcHistoryStore.builder().dataSource(pool).build();
        DeploymentTracker tracker = DeploymentTracker.builder(store)
                .leaseDuration(Duration.ofSeconds(60))                       // default 60 s
                .build().start();
        // snippet-end: several-instances
        return tracker;
    }

    /**
     * "Push: webhooks": a check pushed by a webhook and polled as the safety net, the receiver standalone.
     *
     * @param store     the host's store
     * @param ncp       the NCP source (the safety net)
     * @param request   what is deployed
     * @param projectId the SourceDeploy project
     * @param historyId the deployment
     * @return the standalone server, to close
     */
    public static WebhookServer webhook(HistoryStore store, NcpPollingSource ncp, DeploymentRequest request,
                                        long projectId, long historyId) {
        // snippet-start: webhook
        WebhookPushSource webhook = WebhookPushSource.builder()
                .secret(System.getenv("DEPLOYTRACK_RECEIVER_SECRET"))  // .secret(old) too while rotating
                .build();                                         // tolerance 5 min, body limit 64 KiB by default
        DeploymentTracker tracker = DeploymentTracker.builder(store)
                .source(ncp).source(webhook)
                .pushPollInterval(Duration.ofSeconds(60))         // polls stretch to this while pushes arrive (default)
                .build().start();
        tracker.track(request, CheckSpec.of(NcpPollingSource.ref(projectId, historyId)).pushedBy(webhook));
        WebhookServer server = webhook.listen(8090, "/hooks");   // standalone, every interface
        // snippet-end: webhook
        return server;
    }

    /**
     * "Push: webhooks": the receiver mounted in a host's own web stack.
     *
     * @param webhook the source registered with the tracker
     * @param method  the request's method
     * @param headers the request's headers (Spring's {@code HttpHeaders} is such a map)
     * @param body    the request's body
     * @return what to answer
     */
    public static WebhookResponse webhookInYourWebStack(WebhookPushSource webhook, String method,
                                                        Map<String, List<String>> headers, byte[] body) {
        // snippet-start: webhook-in-your-web-stack
        WebhookResponse r = webhook.receiver().handle(method, headers, body);
        // answer r.status() with r.body() as WebhookResponse.CONTENT_TYPE (application/json), and r.headers()
        // (Retry-After on a 503: the store could not keep the push; the sender sends the same delivery again)
        // snippet-end: webhook-in-your-web-stack
        return r;
    }

    /**
     * "Notifications": a notifier with the three channels over the SQLite store.
     *
     * @param slackWebhookUrl the Slack incoming webhook (a secret)
     * @param webhookSecret   the shared secret of the signed webhook
     * @param githubToken     a GitHub token allowed to create deployments
     * @return the started notifier
     */
    public static Notifier notifications(String slackWebhookUrl, String webhookSecret, String githubToken) {
        // snippet-start: notifications
        JdbcHistoryStore store = JdbcHistoryStore.sqlite(Path.of("deploytrack.db"));
        Notifier notifier = Notifier.builder(store)
                .channel(SlackChannel.builder(URI.create(slackWebhookUrl))          // a secret: never logged
                        .startedMessages(true)                                      // default: ends only
                        .templates(SlackTemplates.KOREAN)                           // default: ENGLISH
                        .filter(NotificationFilter.ENDS.onlyEnvironments(List.of("production")))
                        .build())
                .channel(WebhookChannel.builder(URI.create("https://ops.example.com/deploys"), webhookSecret).build())
                .channel(GitHubChannel.builder(githubToken)
                        .apiUrl(URI.create("https://ghe.example.com/api/v3"))       // default https://api.github.com
                        .build())
                .build()
                .start();                                                           // runs until notifier.close()
        // snippet-end: notifications
        return notifier;
    }

    /** A received HTTP request, as any web framework offers it. */
    public interface ReceivedRequest {
        /**
         * A header's value.
         *
         * @param name the header's name
         * @return its value, or null
         */
        String getHeader(String name);
    }

    /**
     * "Notifications", for receivers: verify a signed webhook before parsing it.
     *
     * @param secret    the shared secret
     * @param request   the received request
     * @param bodyBytes the exact bytes received
     * @return the status code to answer (401, or 200 with the delivery id seen)
     */
    public static int receiveWebhook(String secret, ReceivedRequest request, byte[] bodyBytes) {
        // snippet-start: webhook-receiver
        WebhookVerifier verifier = WebhookVerifier.of(secret);                // several secrets while rotating
        if (!verifier.isValid(request::getHeader, bodyBytes)) {               // also refuses timestamps > 5 min off
            return 401;
        }
        String deliveryId = request.getHeader("X-Deploytrack-Delivery");      // seen before: answer 2xx, do nothing
        // snippet-end: webhook-receiver
        log.info("delivery {}", deliveryId);
        return 200;
    }
}
