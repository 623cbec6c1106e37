package io.deploytrack.webhook;

import io.deploytrack.core.CheckRef;
import io.deploytrack.core.CheckSpec;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentEvent;
import io.deploytrack.core.DeploymentHandle;
import io.deploytrack.core.DeploymentListener;
import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.Observation;
import io.deploytrack.core.testkit.ManualClock;
import io.deploytrack.core.testkit.ManualScheduler;
import io.deploytrack.core.testkit.ScriptedPollingSource;
import io.deploytrack.jdbc.JdbcHistoryStore;
import io.deploytrack.jdbc.PostgresDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static io.deploytrack.webhook.WebhookFixture.SECRET;
import static io.deploytrack.webhook.WebhookFixture.callback;
import static io.deploytrack.webhook.WebhookFixture.callbackBody;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances on one embedded PostgreSQL: a push sent to the instance that does not hold the deployment's lease is
 * recorded for the holder, which ends the deployment once, at its next tick, whether or not the holder has a webhook
 * receiver (a push source) of its own.
 */
class WebhookTwoInstancesTest {

    @RegisterExtension
    final PostgresDatabase pg = new PostgresDatabase();

    @Test
    void aPushToTheInstanceWithoutTheLeaseEndsTheDeploymentOncePromptly() throws Exception {
        ManualClock clock = ManualClock.of(Instant.parse("2026-03-01T10:00:00Z"));
        ManualScheduler schedA = ManualScheduler.of(clock);
        ManualScheduler schedB = ManualScheduler.of(clock);
        ScriptedPollingSource ncp = ScriptedPollingSource.of("ncp", null);
        CheckRef ref = CheckRef.of("ncp", "projectId", "3", "historyId", "5001");
        ncp.script(ref, Observation.inProgress("inprogress"));
        AtomicInteger completions = new AtomicInteger();
        DeploymentListener counting = new DeploymentListener() {
            @Override
            public void onCompleted(Deployment d) {
                completions.incrementAndGet();
            }
        };
        try (JdbcHistoryStore storeA = JdbcHistoryStore.builder().dataSource(pg.hikari("a", 4)).clock(clock).build();
             JdbcHistoryStore storeB = JdbcHistoryStore.builder().dataSource(pg.hikari("b", 4)).clock(clock).build()) {
            WebhookPushSource hookA = WebhookPushSource.builder().secret(SECRET).clock(clock).build();
            WebhookPushSource hookB = WebhookPushSource.builder().secret(SECRET).clock(clock).build();
            try (DeploymentTracker a = instance(storeA, schedA, clock, ncp, hookA, counting, "a").start();
                 DeploymentTracker b = instance(storeB, schedB, clock, ncp, hookB, counting, "b").start();
                 WebhookServer serverA = hookA.listen(0, "/hooks");
                 WebhookServer serverB = hookB.listen(0, "/hooks")) {
                DeploymentHandle h = a.track(DeploymentRequest.builder("acme", "web", "abc1234").build(),
                        CheckSpec.of(ref).pushedBy(hookA));
                schedA.advance(Duration.ofMillis(1250));
                schedB.advance(Duration.ofMillis(1250));
                assertThat(ncp.polls(ref)).isEqualTo(1);
                assertThat(b.inFlight()).as("a holds the lease").isZero();
                assertThat(serverA.port()).isNotEqualTo(serverB.port());
                Deployment before = storeB.find(h.deployment().id()).orElseThrow();

                HttpResponse<String> r = callback(serverB, SECRET, clock.instant(), "two-1",
                        callbackBody("{\"type\": \"ncp\", \"projectId\": \"3\", \"historyId\": \"5001\"}", "success",
                                "\"finishedAt\": \"2026-03-01T10:00:01Z\""));

                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("{\"status\":\"recorded_for_holder\",\"detail\":\"recorded for the "
                        + "instance that follows it: that instance applies it at its next tick (a second at most), or, "
                        + "if none follows it now, the next one to resume it does, before asking its source; nothing "
                        + "more to send\",\"deployments\":[" + h.deployment().id() + "]}");
                schedB.advance(Duration.ofMillis(1250));
                assertThat(storeB.find(h.deployment().id()).orElseThrow()).as("b does not touch a's row").isEqualTo(before);

                // "promptly": a's next tick, a quarter of the 5 s poll interval, well before its next poll
                schedA.advance(Duration.ofMillis(1250));
                Deployment done = storeA.find(h.deployment().id()).orElseThrow();
                assertThat(done.status()).isEqualTo(DeploymentStatus.SUCCESS);
                assertThat(done.completedAt()).isEqualTo(Instant.parse("2026-03-01T10:00:01Z"));
                assertThat(ncp.polls(ref)).as("not ended by a poll").isEqualTo(1);
                assertThat(h.completion()).isCompletedWithValueMatching(d -> d.status() == DeploymentStatus.SUCCESS);

                for (int i = 0; i < 60; i++) {
                    schedA.advance(Duration.ofSeconds(1));
                    schedB.advance(Duration.ofSeconds(1));
                }
                assertThat(completions).as("ended once, across both instances").hasValue(1);
                List<DeploymentEvent> completed = storeA.events(done.id()).stream()
                        .filter(e -> e.type().equals("completed")).toList();
                assertThat(completed).singleElement().extracting(DeploymentEvent::message)
                        .isEqualTo("ended by push via webhook");
            }
        }
    }

    /**
     * Issue 28: the instance holding the deployment was built without a push source (as {@code ncp deploy} is); the
     * other one has the webhook. A push to the other is recorded for the holder, which takes it at its next tick,
     * a second later, long before its next poll, and ends the deployment once.
     */
    @Test
    void aHolderWithoutAPushSourceEndsTheDeploymentFromAPushTheOtherReceived() throws Exception {
        ManualClock clock = ManualClock.of(Instant.parse("2026-03-01T10:00:00Z"));
        ManualScheduler schedA = ManualScheduler.of(clock);
        ManualScheduler schedB = ManualScheduler.of(clock);
        ScriptedPollingSource ncp = ScriptedPollingSource.of("ncp", null);
        CheckRef ref = CheckRef.of("ncp", "projectId", "3", "historyId", "5001");
        ncp.script(ref, Observation.inProgress("inprogress"));
        AtomicInteger completions = new AtomicInteger();
        DeploymentListener counting = new DeploymentListener() {
            @Override
            public void onCompleted(Deployment d) {
                completions.incrementAndGet();
            }
        };
        try (JdbcHistoryStore storeA = JdbcHistoryStore.builder().dataSource(pg.hikari("a", 4)).clock(clock).build();
             JdbcHistoryStore storeB = JdbcHistoryStore.builder().dataSource(pg.hikari("b", 4)).clock(clock).build()) {
            WebhookPushSource hookB = WebhookPushSource.builder().secret(SECRET).clock(clock).build();
            try (DeploymentTracker a = DeploymentTracker.builder(storeA).clock(clock).scheduler(schedA).executor(schedA)
                    .discoverSources(false).pollInterval(Duration.ofSeconds(30)).pollJitter(0)
                    .leaseDuration(Duration.ofSeconds(30)).instanceId("a").source(ncp).listener(counting).build()
                    .start();
                 DeploymentTracker b = instance(storeB, schedB, clock, ncp, hookB, counting, "b").start();
                 WebhookServer serverB = hookB.listen(0, "/hooks")) {
                DeploymentHandle h = a.track(DeploymentRequest.builder("acme", "web", "abc1234").build(),
                        CheckSpec.of(ref));
                schedA.advance(Duration.ofSeconds(1));
                schedB.advance(Duration.ofSeconds(1));
                assertThat(ncp.polls(ref)).as("a's first poll").isEqualTo(1);
                assertThat(b.inFlight()).as("a holds the lease").isZero();

                HttpResponse<String> r = callback(serverB, SECRET, clock.instant(), "no-source-1",
                        callbackBody("{\"type\": \"ncp\", \"projectId\": \"3\", \"historyId\": \"5001\"}", "success",
                                null));

                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).contains("\"status\":\"recorded_for_holder\"");
                assertThat(storeA.find(h.deployment().id()).orElseThrow().status()).isEqualTo(DeploymentStatus.RUNNING);
                // a's next tick: its tick is a second (a quarter of 30 s, at most 1 s)
                schedA.advance(Duration.ofSeconds(1));
                Deployment done = storeA.find(h.deployment().id()).orElseThrow();
                assertThat(done.status()).isEqualTo(DeploymentStatus.SUCCESS);
                assertThat(ncp.polls(ref)).as("ended by the push, not by a poll").isEqualTo(1);
                assertThat(h.completion()).isCompletedWithValueMatching(d -> d.status() == DeploymentStatus.SUCCESS);

                for (int i = 0; i < 60; i++) {
                    schedA.advance(Duration.ofSeconds(1));
                    schedB.advance(Duration.ofSeconds(1));
                }
                assertThat(completions).as("ended once, across both instances").hasValue(1);
                assertThat(storeA.events(done.id())).filteredOn(e -> e.type().equals("completed")).singleElement()
                        .extracting(DeploymentEvent::message).isEqualTo("ended by push via webhook");
                assertThat(storeA.pendingPushes("a", 10)).as("nothing left recorded").isEmpty();
            }
        }
    }

    private static DeploymentTracker instance(JdbcHistoryStore store, ManualScheduler sched, ManualClock clock,
                                              ScriptedPollingSource ncp, WebhookPushSource hook,
                                              DeploymentListener listener, String id) {
        return DeploymentTracker.builder(store).clock(clock).scheduler(sched).executor(sched).discoverSources(false)
                .pollInterval(Duration.ofSeconds(5)).pollJitter(0).leaseDuration(Duration.ofSeconds(30))
                .instanceId(id).source(ncp).source(hook).listener(listener).build();
    }
}
