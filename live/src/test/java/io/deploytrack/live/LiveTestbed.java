package io.deploytrack.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deploytrack.core.CheckRef;
import io.deploytrack.core.CheckSpec;
import io.deploytrack.core.DeploymentHandle;
import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.Observation;
import io.deploytrack.core.testkit.ManualClock;
import io.deploytrack.core.testkit.ManualScheduler;
import io.deploytrack.core.testkit.ScriptedPollingSource;
import io.deploytrack.jdbc.JdbcHistoryStore;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A real SQLite history in a temporary folder, a tracker following scripted deployments on a manual clock, and the
 * live server over it (its hub ticking on the same manual scheduler), for tests over real sockets and in Chromium.
 */
final class LiveTestbed implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration POLL = Duration.ofSeconds(1);
    /** How long a test waits for a message that must come; generous, it returns as soon as the message is there. */
    static final Duration PATIENCE = Duration.ofSeconds(30);

    final ManualClock clock = ManualClock.of(Instant.parse("2026-03-01T10:00:00Z"));
    final ManualScheduler scheduler = ManualScheduler.of(clock);
    final JdbcHistoryStore store;
    final ScriptedPollingSource source = ScriptedPollingSource.of();
    final DeploymentTracker tracker;

    LiveTestbed(Path dir) {
        store = JdbcHistoryStore.builder().sqlite(dir.resolve("history.db")).clock(clock).build();
        tracker = DeploymentTracker.builder(store).clock(clock).scheduler(scheduler).executor(scheduler)
                .discoverSources(false).source(source).instanceId("live-test").pollInterval(POLL).pollJitter(0)
                .build().start();
    }

    LiveServer.Builder server() {
        return LiveServer.builder(store).clock(clock).scheduler(scheduler);
    }

    /** Build, then deploy: the deploy's reference is given once the build succeeded, as a host does. */
    DeploymentHandle buildThenDeploy(String project, String user, int buildPolls, Observation... deployAnswers) {
        CheckRef build = source.ref("build-" + project + "-" + user);
        Object[] buildAnswers = new Object[buildPolls];
        for (int i = 0; i < buildPolls - 1; i++) {
            buildAnswers[i] = Observation.inProgress("inprogress");
        }
        buildAnswers[buildPolls - 1] = Observation.succeeded("success");
        source.script(build, buildAnswers);
        CheckRef deploy = source.ref("deploy-" + project + "-" + user);
        source.script(deploy, (Object[]) deployAnswers);
        DeploymentHandle h = tracker.track(DeploymentRequest.builder("acme", project, user.length() + "abc1234")
                        .attribute("user_id", user).build(),
                List.of(CheckSpec.stage("sourcebuild", build), CheckSpec.pendingStage("sourcedeploy", source.type())));
        tracker.awaitStage(h.id(), "sourcebuild").thenAccept(c -> {
            if (c.status() == DeploymentStatus.SUCCESS) {
                tracker.startStage(h.id(), "sourcedeploy", deploy);
            }
        });
        return h;
    }

    static Observation[] running(int polls, Observation last) {
        Observation[] out = new Observation[polls];
        for (int i = 0; i < polls - 1; i++) {
            out[i] = Observation.inProgress("inprogress");
        }
        out[polls - 1] = last;
        return out;
    }

    @Override
    public void close() {
        tracker.close();
        store.close();
    }

    /** What one client received, in order, parsed. */
    static final class Received {
        final List<JsonNode> all = new CopyOnWriteArrayList<>();
        private final BlockingQueue<JsonNode> fresh = new LinkedBlockingQueue<>();

        void add(String text) {
            try {
                JsonNode n = JSON.readTree(text);
                all.add(n);
                fresh.add(n);
            } catch (Exception e) {
                throw new IllegalStateException("not a JSON message: " + text, e);
            }
        }

        /** Waits until a message matching {@code p} arrived (at most {@link #PATIENCE}); returns it. */
        JsonNode await(String what, Predicate<JsonNode> p) throws InterruptedException {
            for (JsonNode n : all) {
                if (p.test(n)) {
                    return n;
                }
            }
            long until = System.nanoTime() + PATIENCE.toNanos();
            while (System.nanoTime() < until) {
                JsonNode n = fresh.poll(100, TimeUnit.MILLISECONDS);
                if (n != null && p.test(n)) {
                    return n;
                }
            }
            throw new AssertionError("no " + what + " within " + PATIENCE + "; received " + types());
        }

        JsonNode awaitType(String type) throws InterruptedException {
            return await(type, n -> n.path("type").asText().equals(type));
        }

        List<String> types() {
            return all.stream().map(n -> n.path("type").asText()).toList();
        }

        /** Every message but the progress ticks below 100, as "type stage status". */
        List<String> story() {
            return LiveTestbed.story(all);
        }
    }

    /** Every message of {@code got} but the progress ticks below 100, as "type stage status". */
    static List<String> story(List<JsonNode> got) {
        return got.stream().filter(n -> !n.path("type").asText().equals("stage_progress")
                            || n.path("progress").asInt() == 100)
                    .filter(n -> n.has("deployment_id"))
                    .map(n -> String.join(" ", Stream.of(n.get("type").asText(), n.path("stage").asText(""),
                            n.path("status").asText("")).filter(x -> !x.isEmpty()).toList()))
                .toList();
    }
}
