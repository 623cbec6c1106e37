package io.deploytrack.ncp.emulator;

import io.deploytrack.ncp.emulator.internal.BuildState;
import io.deploytrack.ncp.emulator.internal.EmulatorDispatcher;
import io.deploytrack.ncp.emulator.internal.EmulatorState;
import io.deploytrack.ncp.emulator.internal.PipelineState;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import static io.deploytrack.ncp.emulator.NcpScript.end;
import static io.deploytrack.ncp.emulator.NcpScript.step;

/**
 * An in-process NCP SourceDeploy, SourceBuild and SourcePipeline, each on its own real HTTP port (MockWebServer; at
 * NCP each has its own host): {@link #baseUri()}, {@link #sourceBuildUri()}, {@link #sourcePipelineUri()}. For tests,
 * the demo and benchmarks. SourceBuild answers start, history list, cancel and project detail; SourcePipeline run,
 * list, detail (its tasks really run in the emulated SourceBuild and SourceDeploy) and cancel, with the same signature
 * check, error bodies, faults and request log as SourceDeploy. It speaks SourceDeploy's paths, JSON shapes and status words, checks every request's
 * signature v2 and timestamp like the API gateway, runs each deployment through an
 * {@link NcpScript} on an injected {@link Clock}, injects {@link NcpFault}s, and logs requests.
 *
 * <pre>{@code
 * try (NcpEmulator ncp = NcpEmulator.builder().clock(clock).start()) {
 *     ncp.addScenario(1234, 56, 78);
 *     ncp.onDeploy(78, NcpScript.of(step("inprogress", Duration.ofSeconds(20)), end("success")));
 *     // point a client at ncp.baseUri() with ncp.accessKey() / ncp.secretKey()
 * }
 * }</pre>
 *
 * <p>Calls answered (paths under {@code /api/v1}): deploy, deploy/request, approval/accept, history
 * detail, history list (paged, in a deliberately unsorted order), cancel. Unknown projects and
 * histories get 404 with NCP's error body; bad signatures, unknown access keys and timestamps 5
 * minutes or more from the emulator's clock get 401. Projects are never created by HTTP calls:
 * register them with {@link #addScenario} or {@link #createHistory}.
 *
 * <p>Thread-safe. Each request costs O(1), a list O(page size): it serves thousands of concurrent
 * deployments.
 */
public final class NcpEmulator implements AutoCloseable {

    private final EmulatorState state;
    private final BuildState builds;
    private final PipelineState pipelines;
    private final EmulatorServers servers;
    private final EmulatorDispatcher dispatcher;
    private final String accessKey;
    private final String secretKey;

    private NcpEmulator(Builder b) throws IOException {
        this.accessKey = b.accessKey;
        this.secretKey = b.secretKey;
        this.state = new EmulatorState(b.clock, b.executor, b.cancelDuration, b.firstHistoryId, b.defaultScript);
        this.dispatcher = new EmulatorDispatcher(state, accessKey, secretKey, b.requestLogCapacity, b.numericErrorCodes);
        this.builds = new BuildState(b.clock, b.executor);
        this.pipelines = new PipelineState(b.clock, builds, state);
        this.servers = new EmulatorServers(dispatcher, builds, pipelines, b.backlog);
    }

    /** @return SourceBuild's base URI (its own port), e.g. {@code http://127.0.0.1:53125} */
    public URI sourceBuildUri() {
        return servers.sourceBuildUri();
    }

    /** @return SourcePipeline's base URI (its own port) */
    public URI sourcePipelineUri() {
        return servers.sourcePipelineUri();
    }

    /**
     * Registers a SourceBuild project whose docker build pushes {@code registry/image:tag} (what its project detail
     * shows in {@code cmd.dockerbuild}).
     *
     * @param projectId positive id
     * @param name      its name
     * @param registry  the container registry, e.g. {@code acme.kr.ncr.ntruss.com}
     * @param image     the image name
     * @param tag       the tag
     */
    public void addBuildProject(long projectId, String name, String registry, String image, String tag) {
        builds.addProject(positive("projectId", projectId), Objects.requireNonNull(name, "name"), registry, image, tag);
    }

    /**
     * Sets what the builds of a project go through from now on (SourceBuild's words: {@code prepare}, {@code upload},
     * then {@code success}, {@code fail} or {@code canceled}).
     *
     * @param projectId   a registered build project
     * @param script      the words and their durations
     * @param failedPhase the {@code failedPhase} a build ending {@code fail} reports (e.g. {@code post-build}), or
     *                    null for {@code build}
     */
    public void onBuild(long projectId, NcpScript script, String failedPhase) {
        builds.onBuild(projectId, script, failedPhase);
    }

    /**
     * Makes a build report {@code word} from now on (a terminal word ends it now).
     *
     * @param projectId   the build project
     * @param buildId     the build
     * @param word        the status word
     * @param failedPhase its failed phase, or null
     */
    public void setBuildStatus(long projectId, String buildId, String word, String failedPhase) {
        builds.setStatus(projectId, buildId, word, failedPhase);
    }

    /**
     * Registers a SourcePipeline whose tasks run one after the other.
     *
     * @param projectId the pipeline (project) id
     * @param name      its name
     * @param tasks     its tasks in order
     */
    public void addPipeline(long projectId, String name, PipelineTask... tasks) {
        pipelines.addPipeline(positive("projectId", projectId), Objects.requireNonNull(name, "name"),
                java.util.Arrays.stream(tasks).map(t -> new PipelineState.TaskDef(t.id(), t.name(), t.type(),
                        t.projectId(), t.stageId(), t.scenarioId())).toList());
    }

    /**
     * An emulator with the defaults: system clock, fresh random credentials, the default script.
     *
     * @return the running emulator
     */
    public static NcpEmulator start() {
        return builder().start();
    }

    /** @return a builder for an emulator */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the URI to give a client, e.g. {@code http://127.0.0.1:53124} (no trailing slash) */
    public URI baseUri() {
        return servers.baseUri();
    }

    /** @return the access key the emulator accepts */
    public String accessKey() {
        return accessKey;
    }

    /** @return the secret key requests must be signed with */
    public String secretKey() {
        return secretKey;
    }

    /** @return the emulator's clock, which decides script progress and timestamp checks */
    public Clock clock() {
        return state.clock();
    }

    /**
     * Registers a project.
     *
     * @param projectId positive id
     * @param name      its name in responses
     */
    public void addProject(long projectId, String name) {
        state.addProject(positive("projectId", projectId), Objects.requireNonNull(name, "name"));
    }

    /**
     * Registers a scenario, with its project and stage if they are new, named
     * {@code project-<id>}, {@code stage-<id>}, {@code scenario-<id>}.
     *
     * @param projectId  positive id
     * @param stageId    positive id
     * @param scenarioId positive id
     */
    public void addScenario(long projectId, long stageId, long scenarioId) {
        addScenario(projectId, stageId, "stage-" + stageId, scenarioId, "scenario-" + scenarioId);
    }

    /**
     * Registers a named scenario, with its project and stage if they are new.
     *
     * @param projectId    positive id
     * @param stageId      positive id
     * @param stageName    the stage's name when it is new
     * @param scenarioId   positive id
     * @param scenarioName the scenario's name when it is new
     * @throws IllegalArgumentException when the scenario exists in another stage
     */
    public void addScenario(long projectId, long stageId, String stageName, long scenarioId, String scenarioName) {
        state.addScenario(positive("projectId", projectId), positive("stageId", stageId),
                Objects.requireNonNull(stageName, "stageName"), positive("scenarioId", scenarioId),
                Objects.requireNonNull(scenarioName, "scenarioName"));
    }

    /**
     * Sets the script that deploys of a scenario run from now on.
     *
     * @param scenarioId positive id
     * @param script     the script
     */
    public void onDeploy(long scenarioId, NcpScript script) {
        state.onDeploy(positive("scenarioId", scenarioId), script);
    }

    /**
     * Sets the script of deploys whose scenario has none of its own.
     *
     * @param script the script
     */
    public void defaultScript(NcpScript script) {
        state.defaultScript(script);
    }

    /**
     * Creates a deployment directly, as if it had been started in the console, in the project's
     * first scenario (registering project, stage 1 and scenario 1 when needed).
     *
     * @param projectId positive id
     * @param script    what it goes through
     * @return its history id
     */
    public long createHistory(long projectId, NcpScript script) {
        return state.createHistory(positive("projectId", projectId), script);
    }

    /**
     * Creates a deployment directly in a scenario (registering it when needed).
     *
     * @param projectId  positive id
     * @param stageId    positive id
     * @param scenarioId positive id
     * @param script     what it goes through
     * @return its history id
     */
    public long createHistory(long projectId, long stageId, long scenarioId, NcpScript script) {
        return state.createHistory(positive("projectId", projectId), positive("stageId", stageId),
                positive("scenarioId", scenarioId), script);
    }

    /**
     * Makes a history report {@code word} from now on, leaving its script. A terminal word sets
     * its end time to now. Any lowercase word is accepted, undocumented ones included, so that a
     * client's handling of unknown words can be tested; {@code pending} is not (use a script with
     * {@link NcpScript#awaitApproval()}).
     *
     * @param projectId the project
     * @param historyId the history
     * @param word      the status word
     * @throws IllegalArgumentException when the history does not exist or the word is not a word
     */
    public void setStatus(long projectId, long historyId, String word) {
        state.setStatus(projectId, historyId, word);
    }

    /**
     * @param projectId the project
     * @param historyId the history
     * @return the status word the history reports now
     * @throws IllegalArgumentException when the history does not exist
     */
    public String status(long projectId, long historyId) {
        return state.status(projectId, historyId);
    }

    /**
     * Approves a pending deployment, as a human in the console would.
     *
     * @param projectId the project
     * @param historyId the history
     * @throws IllegalArgumentException when the history does not exist or is not pending
     */
    public void approve(long projectId, long historyId) {
        state.approveDirectly(projectId, historyId);
    }

    /**
     * Queues a fault for the next matching requests.
     *
     * @param fault the fault
     */
    public void inject(NcpFault fault) {
        dispatcher.inject(Objects.requireNonNull(fault, "fault"));
    }

    /** Forgets every fault not yet applied. */
    public void clearFaults() {
        dispatcher.clearFaults();
    }

    /** @return how many faulted answers are still to come */
    public int pendingFaults() {
        return dispatcher.pendingFaults();
    }

    /** @return the logged requests (the newest ones, up to the log's capacity), oldest first */
    public List<EmulatorRequest> requests() {
        return dispatcher.requests();
    }

    /**
     * @param kind a call kind
     * @return the logged requests of that kind, oldest first
     */
    public List<EmulatorRequest> requests(RequestKind kind) {
        return dispatcher.requests().stream().filter(r -> r.kind() == kind).toList();
    }

    /**
     * @param historyId a history id
     * @return the logged requests about that history, oldest first
     */
    public List<EmulatorRequest> requestsFor(long historyId) {
        return dispatcher.requests().stream().filter(r -> r.historyId() != null && r.historyId() == historyId).toList();
    }

    /** @return how many requests arrived (exact, whatever the log's capacity) */
    public long requestCount() {
        return dispatcher.total();
    }

    /** @return how many detail calls ({@code GET .../history/{id}}) arrived */
    public long detailCalls() {
        return dispatcher.count(RequestKind.DETAIL);
    }

    /** @return how many list calls ({@code GET .../history}) arrived */
    public long listCalls() {
        return dispatcher.count(RequestKind.LIST);
    }

    /** Empties the request log and resets the counters. */
    public void clearRequests() {
        dispatcher.clearRequests();
    }

    /** Stops the servers. */
    @Override
    public void close() {
        try {
            servers.shutdown();
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop the NCP emulator at " + servers.baseUri(), e);
        }
    }

    @Override
    public String toString() {
        return "NcpEmulator[" + servers.baseUri() + ", sourceBuild=" + servers.sourceBuildUri() + ", sourcePipeline="
                + servers.sourcePipelineUri() + ", accessKey=" + accessKey + "]";
    }

    private static long positive(String name, long id) {
        if (id <= 0) {
            throw new IllegalArgumentException(name + " must be a positive number, got " + id);
        }
        return id;
    }

    /** Configuration of an {@link NcpEmulator}; {@link #start()} starts it. */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private String accessKey = "EMULATOR" + randomHex(6).toUpperCase(Locale.ROOT);
        private String secretKey = randomHex(20);
        private NcpScript defaultScript = NcpScript.of(step("waiting", Duration.ofSeconds(2)),
                step("inprogress", Duration.ofSeconds(10)), end("success"));
        private Duration cancelDuration = Duration.ofSeconds(2);
        private String executor = "deploytrack-emulator";
        private long firstHistoryId = 8001;
        private int requestLogCapacity = 100_000;
        private int backlog = 1024;
        private boolean numericErrorCodes;

        private Builder() {
        }

        /**
         * @param clock the clock for scripts, start/end times and timestamp checks (default: system UTC)
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @param accessKey the access key to accept (default: random)
         * @param secretKey the secret key to check signatures with (default: random)
         * @return this builder
         */
        public Builder credentials(String accessKey, String secretKey) {
            if (accessKey == null || accessKey.isBlank()) {
                throw new IllegalArgumentException("accessKey must not be blank");
            }
            if (secretKey == null || secretKey.isBlank()) {
                throw new IllegalArgumentException("secretKey must not be blank");
            }
            this.accessKey = accessKey;
            this.secretKey = secretKey;
            return this;
        }

        /**
         * @param script what a deploy runs when its scenario has no script
         *               (default: waiting 2 s, inprogress 10 s, success)
         * @return this builder
         */
        public Builder defaultScript(NcpScript script) {
            this.defaultScript = Objects.requireNonNull(script, "script");
            return this;
        }

        /**
         * @param duration how long {@code canceling} lasts before {@code canceled} (default 2 s)
         * @return this builder
         */
        public Builder cancelDuration(Duration duration) {
            Objects.requireNonNull(duration, "duration");
            if (duration.isNegative()) {
                throw new IllegalArgumentException("cancelDuration must not be negative, got " + duration);
            }
            this.cancelDuration = duration;
            return this;
        }

        /**
         * @param executor the {@code executor} of every deployment (default "deploytrack-emulator")
         * @return this builder
         */
        public Builder executor(String executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * @param id the id of the first history (default 8001); ids then go up by one across all projects
         * @return this builder
         */
        public Builder firstHistoryId(long id) {
            this.firstHistoryId = positive("firstHistoryId", id);
            return this;
        }

        /**
         * @param capacity how many recent requests the log keeps (default 100,000); counters stay exact
         * @return this builder
         */
        public Builder requestLogCapacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("requestLogCapacity must be 1 or more, got " + capacity);
            }
            this.requestLogCapacity = capacity;
            return this;
        }

        /**
         * @param backlog the accept queue of the server socket (default 1024)
         * @return this builder
         */
        public Builder backlog(int backlog) {
            if (backlog < 1) {
                throw new IllegalArgumentException("backlog must be 1 or more, got " + backlog);
            }
            this.backlog = backlog;
            return this;
        }

        /**
         * @param numeric true to write {@code errorCode} as a Number, as NCP's older documents show;
         *                false (default) writes a String
         * @return this builder
         */
        public Builder numericErrorCodes(boolean numeric) {
            this.numericErrorCodes = numeric;
            return this;
        }

        /**
         * Starts the emulator on a free loopback port.
         *
         * @return the running emulator
         * @throws UncheckedIOException when the port cannot be opened
         */
        public NcpEmulator start() {
            try {
                return new NcpEmulator(this);
            } catch (IOException e) {
                throw new UncheckedIOException("could not start the NCP emulator", e);
            }
        }

        private static String randomHex(int bytes) {
            byte[] random = new byte[bytes];
            new SecureRandom().nextBytes(random);
            return HexFormat.of().formatHex(random);
        }
    }
}
