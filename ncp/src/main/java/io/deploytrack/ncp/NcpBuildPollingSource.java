package io.deploytrack.ncp;

import io.deploytrack.core.CheckRef;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.InvalidRequestException;
import io.deploytrack.core.Observation;
import io.deploytrack.core.PollingSource;
import io.deploytrack.core.SourceException;
import io.deploytrack.ncp.internal.BuildTarget;
import io.deploytrack.ncp.internal.ProjectGroups;
import io.deploytrack.ncp.internal.SourceFailures;
import io.deploytrack.ncp.internal.UnknownStatusWords;
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
import java.util.concurrent.ConcurrentHashMap;

/**
 * Follows NCP SourceBuild builds for a {@link DeploymentTracker}: the {@code sourcebuild} status source.
 *
 * <pre>{@code
 * NcpBuildPollingSource builds = NcpBuildPollingSource.of(client);
 * DeploymentTracker tracker = DeploymentTracker.builder(store).source(builds).build().start();
 * tracker.track(request, CheckSpec.stage("sourcebuild", NcpBuildPollingSource.ref(projectId, buildId)));
 * }</pre>
 *
 * <p>SourceBuild has no call that reads one build (neither the NCP API reference nor the Go SDK has one; pollers that
 * guessed {@code .../build/{buildId}} got 404): a build is read from its project's history list
 * ({@code GET /api/v1/project/{projectId}/history}) and matched by its {@code buildId}, never by position (the list's
 * order is not documented). The builds of one project share one timer ({@link #pollGroup}) and one list call serves
 * them all, so a project costs one call per interval however many builds it has in flight; a list call still on its
 * way is shared by whoever asks for the same project meanwhile.
 *
 * <p>Every word SourceBuild documents is mapped: {@code prepare} and {@code upload} run; {@code success} succeeds;
 * {@code fail} fails at once with the {@code failedPhase} in the message ("SourceBuild project 14 build ... failed in
 * post-build"); {@code canceled} is cancelled; no status yet (null: no job has run) and any undocumented word (logged
 * once) keep polling. NCP's {@code begin} and {@code end} are the check's times. Errors are classified as for
 * SourceDeploy ({@link NcpPollingSource}): 401/403 end the check, 404 is "not found", 5xx/429/timeouts are transient.
 *
 * <p>Thread-safe; never blocks the caller.
 */
public final class NcpBuildPollingSource implements PollingSource {

    /** The source type stored with every SourceBuild check, and the name of a build stage: {@value}. */
    public static final String TYPE = BuildTarget.TYPE;
    private static final Logger log = LoggerFactory.getLogger(NcpBuildPollingSource.class);

    private final NcpSourceBuild builds;
    private final Duration pollInterval;
    private final UnknownStatusWords unknownWords = new UnknownStatusWords();
    /** The list call in flight per project: asked again meanwhile, it is shared, not repeated. */
    private final Map<Long, CompletableFuture<List<NcpBuild>>> inFlight = new ConcurrentHashMap<>();

    private NcpBuildPollingSource(NcpClient client, Duration pollInterval) {
        this.builds = NcpSourceBuild.of(client);
        this.pollInterval = pollInterval;
    }

    /**
     * @param client the client (its endpoint's SourceBuild host) every poll goes through
     * @return the source, polled at the tracker's interval
     */
    public static NcpBuildPollingSource of(NcpClient client) {
        return new NcpBuildPollingSource(Objects.requireNonNull(client, "client"), null);
    }

    /**
     * @param client       the client every poll goes through
     * @param pollInterval how often builds are polled, or null for the tracker's interval
     * @return the source
     */
    public static NcpBuildPollingSource of(NcpClient client, Duration pollInterval) {
        return new NcpBuildPollingSource(Objects.requireNonNull(client, "client"),
                ProjectGroups.checkedPollInterval(pollInterval));
    }

    /**
     * The reference of one build, to pass to {@link DeploymentTracker#track} or {@link DeploymentTracker#startStage}.
     *
     * @param projectId the build project, positive
     * @param buildId   the build's id, as {@link NcpSourceBuild#startBuild} returned it
     * @return {@code CheckRef("sourcebuild", {projectId, buildId})}
     * @throws InvalidRequestException when an id is not usable
     */
    public static CheckRef ref(long projectId, String buildId) {
        CheckRef ref = CheckRef.of(TYPE, BuildTarget.PROJECT_ID, Long.toString(projectId), BuildTarget.BUILD_ID,
                buildId == null ? "" : buildId);
        BuildTarget.parse(ref, true);
        return ref;
    }

    /** @return the SourceBuild calls polls go through */
    public NcpSourceBuild builds() {
        return builds;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void validate(CheckRef ref) {
        BuildTarget.parse(ref, true);
    }

    /** @return {@code sourcebuild:{projectId}:{buildId}} */
    @Override
    public String idempotencyKey(CheckRef ref) {
        BuildTarget t = BuildTarget.parse(ref, false);
        return keyOf(t.projectId(), t.buildId());
    }

    /**
     * @param projectId the build project
     * @param buildId   the build
     * @return {@code sourcebuild:{projectId}:{buildId}}
     */
    public static String keyOf(long projectId, String buildId) {
        return TYPE + ":" + projectId + ":" + buildId;
    }

    @Override
    public Duration pollInterval() {
        return pollInterval;
    }

    /** @return {@code sourcebuild-project:{projectId}}: the builds of a project are due together */
    @Override
    public String pollGroup(CheckRef ref) {
        return ProjectGroups.pollGroup("sourcebuild-project:", () -> BuildTarget.parse(ref, false).projectId());
    }

    @Override
    public CompletionStage<Observation> poll(CheckRef ref) {
        return pollAll(List.of(ref)).get(ref);
    }

    /** One history list call per project, each build matched in it by its id. */
    @Override
    public Map<CheckRef, CompletionStage<Observation>> pollAll(Collection<CheckRef> refs) {
        Map<CheckRef, CompletionStage<Observation>> out = new LinkedHashMap<>();
        Map<Long, List<BuildTarget>> byProject = ProjectGroups.byProject(refs, ref -> BuildTarget.parse(ref, false),
                BuildTarget::projectId, out);
        byProject.forEach((projectId, targets) -> {
            CompletableFuture<List<NcpBuild>> history = history(projectId);
            log.debug("sourcebuild_history_checked project_id={} checks={}", projectId, targets.size());
            for (BuildTarget t : targets) {
                out.put(t.ref(), history.handle((list, error) -> {
                    if (error != null) {
                        throw SourceFailures.classify(error, "NCP SourceBuild", describe(t));
                    }
                    return observation(find(list, t), t);
                }));
            }
        });
        return out;
    }

    private CompletableFuture<List<NcpBuild>> history(long projectId) {
        CompletableFuture<List<NcpBuild>> mine = new CompletableFuture<>();
        CompletableFuture<List<NcpBuild>> shared = inFlight.putIfAbsent(projectId, mine);
        if (shared != null) {
            return shared;
        }
        ProjectGroups.started(() -> builds.history(projectId)).whenComplete((list, error) -> {
            inFlight.remove(projectId, mine);
            if (error != null) {
                mine.completeExceptionally(SourceFailures.unwrap(error));
            } else {
                mine.complete(list);
            }
        });
        return mine;
    }

    private static NcpBuild find(List<NcpBuild> list, BuildTarget t) {
        for (NcpBuild b : list) {
            if (b.buildId().equals(t.buildId())) {
                return b;
            }
        }
        throw SourceException.notFound("NCP SourceBuild has no build " + t.buildId() + " in the history of project "
                + t.projectId() + " (" + list.size() + " builds listed)", null);
    }

    private Observation observation(NcpBuild b, BuildTarget t) {
        if (b.statusWord() != null && b.status().isEmpty() && unknownWords.firstSighting(b.statusWord())) {
            log.warn("sourcebuild_unknown_status status={} project_id={} build_id={} "
                    + "note=not_in_documented_list_treated_as_not_terminal", b.statusWord(), t.projectId(), t.buildId());
        }
        return observation(b);
    }

    /**
     * Translates one build into an observation: the state its word means, NCP's {@code begin} and (once it ended)
     * {@code end}, and for a failed build its {@code failedPhase} in the message.
     *
     * @param b a build from the history list
     * @return the observation
     */
    public static Observation observation(NcpBuild b) {
        Objects.requireNonNull(b, "build");
        String what = "SourceBuild project " + b.projectId() + " build " + b.buildId();
        NcpBuildStatus status = b.status().orElse(null);
        if (status == null) {
            // No job has run yet (null), or an undocumented word: not terminal, the deadline still ends it.
            return Observation.inProgress(b.statusWord() == null ? "none" : b.statusWord()).withTimes(b.begin(), null);
        }
        Observation o = switch (status) {
            case SUCCESS -> Observation.succeeded(status.word());
            case FAIL -> Observation.failed(status.word(), b.failedPhase() == null
                    ? what + " failed (status 'fail', no failedPhase reported)"
                    : what + " failed in " + b.failedPhase() + " (status 'fail', failedPhase '" + b.failedPhase() + "')");
            case CANCELED -> Observation.cancelled(status.word(), what + " was canceled (status 'canceled')");
            case PREPARE, UPLOAD -> Observation.inProgress(status.word());
        };
        return o.withTimes(b.begin(), status.isTerminal() ? b.end() : null);
    }

    private static String describe(BuildTarget t) {
        return "build " + t.buildId() + " of SourceBuild project " + t.projectId();
    }

    @Override
    public String toString() {
        return "NcpBuildPollingSource[client=" + builds.client() + (pollInterval == null ? "" : ", pollInterval="
                + pollInterval) + "]";
    }
}
