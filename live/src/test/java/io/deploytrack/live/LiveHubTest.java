package io.deploytrack.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deploytrack.core.CheckRef;
import io.deploytrack.core.CheckSpec;
import io.deploytrack.core.DeploymentHandle;
import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.InMemoryHistoryStore;
import io.deploytrack.core.Observation;
import io.deploytrack.core.testkit.ManualClock;
import io.deploytrack.core.testkit.ManualScheduler;
import io.deploytrack.core.testkit.ScriptedPollingSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The message set from the event log, on the manual clock: exact fields, the replay on subscribe, no event told twice,
 * progress that rises and reaches 100 only with a stage's real end, a deployment failing in its second stage.
 */
class LiveHubTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration POLL = Duration.ofSeconds(1);

    final ManualClock clock = ManualClock.of(Instant.parse("2026-03-01T10:00:00Z"));
    final ManualScheduler scheduler = ManualScheduler.of(clock);
    final InMemoryHistoryStore store = InMemoryHistoryStore.of(clock);
    final ScriptedPollingSource source = ScriptedPollingSource.of();
    final DeploymentTracker tracker = DeploymentTracker.builder(store).clock(clock).scheduler(scheduler)
            .executor(scheduler).discoverSources(false).source(source).instanceId("live").pollInterval(POLL)
            .pollJitter(0).build().start();
    final LiveHub hub = LiveHub.builder(store).clock(clock).scheduler(scheduler).build().start();

    @AfterEach
    void close() {
        hub.close();
        tracker.close();
    }

    static final class Client {
        final List<JsonNode> got = new CopyOnWriteArrayList<>();
        LiveSession session;

        Client(LiveHub hub) {
            session = hub.connect(text -> {
                try {
                    got.add(JSON.readTree(text));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        List<String> types() {
            return got.stream().map(n -> n.get("type").asText()).toList();
        }

        /** Every message but the progress ticks, as "type stage status". */
        List<String> story() {
            return LiveTestbed.story(got);
        }
    }

    /** Build, then deploy: the deploy's reference is given once the build succeeded, as a host does. */
    private DeploymentHandle buildThenDeploy(String user, Observation... deployAnswers) {
        CheckRef build = source.ref("build-" + user);
        source.script(build, Observation.inProgress("inprogress"), Observation.inProgress("inprogress"),
                Observation.inProgress("inprogress"), Observation.succeeded("success"));
        CheckRef deploy = source.ref("deploy-" + user);
        source.script(deploy, (Object[]) deployAnswers);
        DeploymentHandle h = tracker.track(DeploymentRequest.builder("acme", "web", "abcdef" + user.length())
                        .attribute("user_id", user).build(),
                List.of(CheckSpec.stage("sourcebuild", build), CheckSpec.pendingStage("sourcedeploy", source.type())));
        tracker.awaitStage(h.id(), "sourcebuild").thenAccept(c -> {
            if (c.status() == DeploymentStatus.SUCCESS) {
                tracker.startStage(h.id(), "sourcedeploy", deploy);
            }
        });
        return h;
    }

    @Test
    void aLateSubscriberIsReplayedTheStorySoFarThenLiveAndNoEventTwiceWhenTheSecondStageFails() {
        DeploymentHandle h = buildThenDeploy("alice", Observation.inProgress("inprogress"),
                Observation.inProgress("inprogress"), Observation.inProgress("inprogress"),
                Observation.failed("fail", "the deploy failed on server 2"));
        Client early = new Client(hub);
        early.session.receive("{\"type\":\"subscribe\",\"deployment_id\":" + h.id() + "}");
        scheduler.advance(Duration.ofSeconds(2), Duration.ofMillis(250));

        Client late = new Client(hub);
        late.session.receive("{\"type\":\"subscribe\",\"deployment_id\":\"" + h.id() + "\"}");
        assertThat(late.types()).startsWith("connection_established", "deployment_started", "stage_started");
        scheduler.advance(Duration.ofSeconds(10), Duration.ofMillis(250));

        assertThat(store.find(h.id()).orElseThrow().status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(early.story()).containsExactly("deployment_started", "stage_started sourcebuild",
                "stage_progress sourcebuild", "stage_completed sourcebuild success", "stage_started sourcedeploy",
                "stage_completed sourcedeploy failed", "deployment_completed failed");
        assertThat(late.story()).isEqualTo(early.story());

        Client reconnected = new Client(hub);
        reconnected.session.receive("{\"type\":\"subscribe\",\"deployment_id\":" + h.id() + "}");
        assertThat(reconnected.story()).as("a page opened after the end draws the same state").isEqualTo(early.story());

        for (Client c : List.of(early, late)) {
            Map<String, List<Integer>> percents = new HashMap<>();
            for (JsonNode n : c.got) {
                if (n.get("type").asText().equals("stage_progress")) {
                    percents.computeIfAbsent(n.get("stage").asText(), k -> new ArrayList<>()).add(n.get("progress").asInt());
                }
            }
            assertThat(percents.get("sourcebuild")).isSorted().endsWith(100);
            assertThat(percents.get("sourcebuild").subList(0, percents.get("sourcebuild").size() - 1))
                    .allSatisfy(p -> assertThat(p).isLessThan(100));
            assertThat(percents.get("sourcedeploy")).isSorted().allSatisfy(p -> assertThat(p).isLessThan(100));
            assertThat(percents.get("sourcebuild")).filteredOn(p -> p == 100).hasSize(1);
        }
        JsonNode done = early.got.get(early.got.size() - 1);
        assertThat(done.get("type").asText()).isEqualTo("deployment_completed");
        assertThat(done.get("completed_at").asText()).endsWith("+00:00");
        assertThat(done.get("total_duration").asLong())
                .isEqualTo(io.deploytrack.core.support.DeploymentFields.seconds(store.find(h.id()).orElseThrow().totalDuration()));
    }

    @Test
    void everyMessageHasExactlyTheFieldsOfTheSetAndTimesWithAnOffset() {
        DeploymentHandle h = buildThenDeploy("bob", Observation.inProgress("inprogress")
                .withProgress("1 of 3 targets deployed"), Observation.succeeded("success"));
        Client c = new Client(hub);
        scheduler.advance(Duration.ofSeconds(10), Duration.ofMillis(250));
        assertThat(h.completion()).isCompleted();
        Map<String, Set<String>> fields = new HashMap<>();
        for (JsonNode n : c.got) {
            Set<String> names = new TreeSet<>();
            n.fieldNames().forEachRemaining(names::add);
            fields.merge(n.get("type").asText(), names, (a, b) -> {
                assertThat(b).isEqualTo(a);
                return a;
            });
            for (String time : List.of("timestamp", "started_at", "completed_at")) {
                if (n.hasNonNull(time)) {
                    assertThat(n.get(time).asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+00:00");
                }
            }
        }
        assertThat(fields.get("connection_established")).containsExactlyInAnyOrder("type", "timestamp");
        assertThat(fields.get("deployment_started")).contains("type", "deployment_id", "user_id", "timestamp");
        assertThat(fields.get("stage_started")).containsExactlyInAnyOrder("type", "deployment_id", "user_id",
                "timestamp", "stage", "started_at");
        assertThat(fields.get("stage_progress")).contains("type", "deployment_id", "user_id", "timestamp", "stage",
                "progress", "elapsed_time", "message", "started_at");
        assertThat(fields.get("stage_completed")).containsExactlyInAnyOrder("type", "deployment_id", "user_id",
                "timestamp", "stage", "status", "duration", "completed_at");
        assertThat(fields.get("deployment_completed")).contains("type", "deployment_id", "user_id", "timestamp",
                "status", "total_duration", "completed_at");
        assertThat(c.got).filteredOn(n -> n.path("type").asText().equals("stage_progress")
                        && n.path("stage").asText().equals("sourcedeploy") && n.path("targets_done").asInt() == 1)
                .isNotEmpty().allSatisfy(n -> assertThat(n.get("message").asText()).startsWith("1 of 3 targets done"));
        assertThat(c.got).filteredOn(n -> n.has("user_id") && !n.get("type").asText().equals("connection_established"))
                .allSatisfy(n -> assertThat(n.get("user_id").asText()).isEqualTo("bob"));
    }

    @Test
    void twoSubscribersByDeploymentAndByUserGetTheSameStoryAndPingIsAnsweredPong() {
        Client byUser = new Client(hub);
        byUser.session.receive("{\"type\":\"subscribe\",\"user_id\":\"carol\"}");
        DeploymentHandle other = buildThenDeploy("dave", Observation.succeeded("success"));
        DeploymentHandle h = buildThenDeploy("carol", Observation.succeeded("success"));
        scheduler.advance(Duration.ofMillis(500));
        Client byId = new Client(hub);
        byId.session.receive("{\"type\":\"subscribe\",\"deployment_id\":" + h.id() + "}");
        scheduler.advance(Duration.ofSeconds(10), Duration.ofMillis(250));
        assertThat(other.completion()).isCompleted();
        assertThat(byUser.story()).isEqualTo(byId.story()).contains("deployment_completed success");
        assertThat(byUser.got).filteredOn(n -> n.has("deployment_id"))
                .allSatisfy(n -> assertThat(n.get("deployment_id").asLong()).isEqualTo(h.id()));

        byId.session.receive("{\"type\":\"ping\"}");
        assertThat(byId.types()).endsWith("pong");
        byId.session.receive("{\"type\":\"subscribe\",\"deployment_id\":-3}");
        assertThat(byId.got.get(byId.got.size() - 1).get("message").asText()).contains("-3", "positive whole number");
        byId.session.receive("not json");
        assertThat(byId.types()).endsWith("error");
        byId.session.receive("{\"type\":\"subscribe\",\"deployment_id\":99999}");
        assertThat(byId.got.get(byId.got.size() - 1).get("message").asText()).contains("99999");
    }

    @Test
    void statusesAreWrittenInTheHostsWordsThroughTheHook() {
        LiveCodec codec = LiveCodec.builder().statusWords(s -> s == DeploymentStatus.SUCCESS ? "completed" : s.word())
                .userAttribute("requested_by").build();
        try (LiveHub own = LiveHub.builder(store).codec(codec).clock(clock).scheduler(scheduler).build().start()) {
            CheckRef ref = source.ref("single");
            source.script(ref, Observation.inProgress("inprogress"), Observation.succeeded("success"));
            DeploymentHandle h = tracker.track(DeploymentRequest.builder("acme", "api", "1234567")
                    .attribute("requested_by", "erin").build(), CheckSpec.of("deploy", ref));
            Client c = new Client(own);
            c.session.subscribeDeployment(h.id());
            scheduler.advance(Duration.ofSeconds(5), Duration.ofMillis(250));
            assertThat(c.story()).containsExactly("deployment_started", "stage_started deploy",
                    "stage_progress deploy", "stage_completed deploy completed", "deployment_completed completed");
            assertThat(c.got).filteredOn(n -> n.has("user_id"))
                    .allSatisfy(n -> assertThat(n.get("user_id").asText()).isEqualTo("erin"));
        }
    }
}
