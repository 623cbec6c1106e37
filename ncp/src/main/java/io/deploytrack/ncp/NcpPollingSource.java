package io.deploytrack.ncp;

import io.deploytrack.core.CheckRef;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.InvalidRequestException;
import io.deploytrack.core.Observation;
import io.deploytrack.core.PollingSource;
import io.deploytrack.core.SourceException;
import io.deploytrack.ncp.internal.DeployObservations;
import io.deploytrack.ncp.internal.HistoryListBatch;
import io.deploytrack.ncp.internal.NcpTarget;
import io.deploytrack.ncp.internal.ProjectGroups;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Follows NCP SourceDeploy deployments for a {@link DeploymentTracker}: the {@code ncp} status source.
 *
 * <pre>{@code
 * NcpPollingSource ncp = NcpPollingSource.fromEnvironment();        // NCP_ACCESS_KEY / NCP_SECRET_KEY, NCP_ENDPOINT or VPC
 * DeploymentTracker tracker = DeploymentTracker.builder(JdbcHistoryStore.sqlite(Path.of("deploytrack.db")))
 *         .source(ncp).build().start();
 * // start a SourceDeploy deployment and track it in one call (NcpDeployments starts, the tracker follows):
 * DeploymentHandle h = NcpDeployments.of(ncp, tracker).deployAndTrack(request, projectId, stageId, scenarioId).join();
 * // or track one started elsewhere:
 * tracker.track(request, NcpPollingSource.ref(projectId, historyId));
 * }</pre>
 *
 * <p>Each of NCP's status words is mapped exactly: {@code success} succeeds; {@code fail}, {@code error},
 * {@code reject}, {@code canary_reject} and {@code canary_waiting_timeout} fail (the word is in the message);
 * {@code canceled} is cancelled; {@code pending} waits for a human's approval (the approval deadline applies, not the
 * rollout deadline); every other word, an undocumented one included (logged once), keeps polling. NCP's
 * {@code startTime} and {@code endTime} become the check's times, so durations are exact whatever the poll interval.
 *
 * <p>Errors are classified for the tracker: 5xx, 429 (with its {@code Retry-After}), timeouts, dropped connections
 * and malformed answers are transient (back off, keep polling); 401 and 403 end the check at once with a message
 * saying the access key, secret key or the machine's clock are wrong; 404 is "not found" (retried a few times, then
 * the check fails).
 *
 * <p>The checks of one NCP project share one poll timer ({@link #pollGroup}), so they are due together once per
 * interval whenever they started. When two or more checks of one NCP project are due together, one list call
 * ({@code GET .../history?pageNo=1&pageSize=100}) serves them, each matched by its history id (never by its position:
 * the list's order is not documented). An id not on that page gets its own detail call, and so does an id whose list
 * entry shows a terminal status, because only the detail carries {@code endTime}. A single due check uses the detail
 * call.
 *
 * <p>No per-target progress: the history detail's {@code result.config} is documented only as one of
 * {@code THistoryServer | THistoryAutoScaling | THisotryKubernetesService | THistoryObjectStorage}, whose fields the
 * NCP API reference (devtools-sourcedeploy-historydetail) does not list readably; the Go SDK models
 * {@code config[].targets[]} with {@code status}, {@code step.pre/deploy/post} and {@code time.*}, but neither source
 * documents their words, nor whether {@code time.*} is a start or a duration, nor its unit. Observations therefore
 * carry no progress rather than an invented one.
 *
 * <p>Stateless apart from its client; thread-safe; never blocks the caller.
 */
public final class NcpPollingSource implements PollingSource {

    /** The source type stored with every NCP check: {@value}. */
    public static final String TYPE = NcpTarget.TYPE;
    /** The default page size of the list call that serves several checks of a project at once: {@value}. */
    public static final int DEFAULT_LIST_PAGE_SIZE = 100;
    private static final Logger log = LoggerFactory.getLogger(NcpPollingSource.class);

    private final NcpClient client;
    private final int listPageSize;
    private final boolean listBatching;
    private final Duration pollInterval;
    private final HistoryListBatch listBatch;

    private NcpPollingSource(Builder b) {
        this.client = b.client;
        this.listPageSize = b.listPageSize;
        this.listBatching = b.listBatching;
        this.pollInterval = b.pollInterval;
        this.listBatch = new HistoryListBatch(client, listPageSize, this::detail, log);
    }

    /**
     * A builder around a client.
     *
     * @param client the SourceDeploy client every poll goes through
     * @return the builder
     */
    public static Builder builder(NcpClient client) {
        return new Builder(client);
    }

    /**
     * A source with the defaults (list batching on, page size {@value #DEFAULT_LIST_PAGE_SIZE}, the tracker's poll
     * interval).
     *
     * @param client the SourceDeploy client
     * @return the source
     */
    public static NcpPollingSource of(NcpClient client) {
        return builder(client).build();
    }

    /**
     * A source on a client to the endpoint of the environment ({@link NcpEndpoint#fromEnvironment()}:
     * {@code NCP_ENDPOINT}, {@code NCP_SOURCEBUILD_ENDPOINT}, {@code NCP_SOURCEPIPELINE_ENDPOINT}, else VPC) with the
     * credentials of the environment variables {@code NCP_ACCESS_KEY} and {@code NCP_SECRET_KEY}.
     *
     * @return the source
     * @throws IllegalStateException    naming the variable that is missing
     * @throws IllegalArgumentException naming the endpoint variable that is not an http(s) URL
     */
    public static NcpPollingSource fromEnvironment() {
        return of(NcpClient.builder().endpoint(NcpEndpoint.fromEnvironment())
                .credentials(NcpCredentials.fromEnvironment()).build());
    }

    /**
     * The reference of one SourceDeploy deployment, to pass to {@link DeploymentTracker#track}.
     *
     * @param projectId the project, positive
     * @param historyId the deployment's history id, positive
     * @return {@code CheckRef("ncp", {projectId, historyId})}
     * @throws InvalidRequestException when an id is not positive
     */
    public static CheckRef ref(long projectId, long historyId) {
        return checked(CheckRef.of(TYPE, NcpTarget.PROJECT_ID, Long.toString(projectId), NcpTarget.HISTORY_ID,
                Long.toString(historyId)));
    }

    /**
     * The reference of one SourceDeploy deployment, with the stage and scenario it runs in.
     *
     * @param projectId  the project, positive
     * @param historyId  the deployment's history id, positive
     * @param stageId    the stage, positive
     * @param scenarioId the scenario, positive
     * @return {@code CheckRef("ncp", {projectId, historyId, stageId, scenarioId})}
     * @throws InvalidRequestException when an id is not positive
     */
    public static CheckRef ref(long projectId, long historyId, long stageId, long scenarioId) {
        return checked(CheckRef.of(TYPE, NcpTarget.PROJECT_ID, Long.toString(projectId), NcpTarget.HISTORY_ID,
                Long.toString(historyId), NcpTarget.STAGE_ID, Long.toString(stageId), NcpTarget.SCENARIO_ID,
                Long.toString(scenarioId)));
    }

    /**
     * The idempotency key of a SourceDeploy deployment, as {@link #idempotencyKey(CheckRef)} derives it.
     *
     * @param projectId the project
     * @param historyId the history id
     * @return {@code ncp:{projectId}:{historyId}}
     */
    public static String keyOf(long projectId, long historyId) {
        return NcpTarget.key(projectId, historyId);
    }

    private static CheckRef checked(CheckRef ref) {
        NcpTarget.parse(ref, true);
        return ref;
    }

    /** @return the client polls go through */
    public NcpClient client() {
        return client;
    }

    /** @return {@value #TYPE} */
    @Override
    public String type() {
        return TYPE;
    }

    /**
     * Checks an NCP reference: {@code projectId} and {@code historyId} positive numbers, {@code stageId} and
     * {@code scenarioId} positive numbers when present, no other field.
     *
     * @throws InvalidRequestException naming the field that is missing or wrong
     */
    @Override
    public void validate(CheckRef ref) {
        NcpTarget.parse(ref, true);
    }

    /** @return {@code ncp:{projectId}:{historyId}} */
    @Override
    public String idempotencyKey(CheckRef ref) {
        return NcpTarget.parse(ref, false).idempotencyKey();
    }

    /** @return the poll interval given to the builder, or null for the tracker's */
    @Override
    public Duration pollInterval() {
        return pollInterval;
    }

    /**
     * The checks of one NCP project share one timer, so one list call per project per interval serves them all.
     *
     * @return {@code ncp-project:{projectId}}, or null for a reference that does not parse
     */
    @Override
    public String pollGroup(CheckRef ref) {
        return ProjectGroups.pollGroup("ncp-project:", () -> NcpTarget.parse(ref, false).projectId());
    }

    /** What NCP says now about one deployment: one detail call. */
    @Override
    public CompletionStage<Observation> poll(CheckRef ref) {
        NcpTarget target;
        try {
            target = NcpTarget.parse(ref, false);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(SourceException.permanent(e.getMessage(), e));
        }
        return detail(target);
    }

    /**
     * Several deployments at once: for each project with two or more of them, one list call, matched by history id;
     * detail calls for the rest (single ones, ids not on the first page, terminal entries whose {@code endTime} only
     * the detail has). When the list call fails, the detail calls serve its deployments, except after a 429 (every
     * deployment of the project backs off, honouring {@code Retry-After}) or a 401/403 (they fail).
     */
    @Override
    public Map<CheckRef, CompletionStage<Observation>> pollAll(Collection<CheckRef> refs) {
        Map<CheckRef, CompletionStage<Observation>> out = new LinkedHashMap<>();
        Map<Long, List<NcpTarget>> byProject = ProjectGroups.byProject(refs, ref -> NcpTarget.parse(ref, false),
                NcpTarget::projectId, out);
        for (Map.Entry<Long, List<NcpTarget>> group : byProject.entrySet()) {
            List<NcpTarget> targets = group.getValue();
            if (!listBatching || targets.size() < 2) {
                targets.forEach(t -> out.put(t.ref(), detail(t)));
            } else {
                listBatch.serve(group.getKey(), targets, out);
            }
        }
        return out;
    }

    private CompletableFuture<Observation> detail(NcpTarget t) {
        CompletableFuture<NcpHistory> call = ProjectGroups.started(() -> client.getHistory(t.projectId(), t.historyId()));
        CompletableFuture<Observation> result = new CompletableFuture<>();
        call.whenComplete((history, error) -> {
            if (error != null) {
                result.completeExceptionally(DeployObservations.failure(error, t));
                return;
            }
            try {
                Observation o = observation(history, t.projectId());
                log.debug("deployment_status_checked project_id={} history_id={} ncp_status={} via=detail",
                        t.projectId(), t.historyId(), history.statusWord());
                result.complete(o);
            } catch (RuntimeException e) {
                result.completeExceptionally(SourceException.transientFailure(
                        "NCP SourceDeploy history " + t.historyId() + " could not be read: " + e.getMessage(), null, e));
            }
        });
        return result;
    }

    /**
     * Translates one SourceDeploy deployment into an observation: the state its status word means and NCP's own
     * start and end times.
     *
     * @param history   what the detail call returned
     * @param projectId the project it belongs to (named in messages)
     * @return the observation
     */
    public static Observation observation(NcpHistory history, long projectId) {
        Objects.requireNonNull(history, "history");
        return DeployObservations.observation(history.statusWord(), history.startTime(), history.endTime(), projectId,
                history.id());
    }

    @Override
    public String toString() {
        return "NcpPollingSource[client=" + client + ", listBatching=" + listBatching + ", listPageSize=" + listPageSize
                + (pollInterval == null ? "" : ", pollInterval=" + pollInterval) + "]";
    }

    /** Configuration of an {@link NcpPollingSource}. */
    public static final class Builder {
        private final NcpClient client;
        private int listPageSize = DEFAULT_LIST_PAGE_SIZE;
        private boolean listBatching = true;
        private Duration pollInterval;

        private Builder(NcpClient client) {
            this.client = Objects.requireNonNull(client, "client");
        }

        /**
         * @param size the page size of the list call that serves several deployments of one project, 1 to 100
         *             (default {@value NcpPollingSource#DEFAULT_LIST_PAGE_SIZE}); deployments not on the first page
         *             get a detail call
         * @return this builder
         */
        public Builder listPageSize(int size) {
            if (size < 1 || size > 100) {
                throw new IllegalArgumentException("listPageSize must be from 1 to 100 (NCP's limit), got " + size);
            }
            this.listPageSize = size;
            return this;
        }

        /**
         * @param enabled whether one list call serves the due deployments of a project (default true); off, every
         *                deployment gets its own detail call
         * @return this builder
         */
        public Builder listBatching(boolean enabled) {
            this.listBatching = enabled;
            return this;
        }

        /**
         * @param interval how often NCP checks are polled, or null for the tracker's poll interval (the default)
         * @return this builder
         */
        public Builder pollInterval(Duration interval) {
            this.pollInterval = ProjectGroups.checkedPollInterval(interval);
            return this;
        }

        /** @return the source */
        public NcpPollingSource build() {
            return new NcpPollingSource(this);
        }
    }
}
