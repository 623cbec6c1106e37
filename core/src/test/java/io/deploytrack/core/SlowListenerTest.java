package io.deploytrack.core;

import io.deploytrack.core.testkit.ManualClock;
import io.deploytrack.core.testkit.ManualScheduler;
import io.deploytrack.core.testkit.ScriptedWatchingSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Listeners run after the tracker released the deployment's lock: a listener that blocks holds up neither the
 * deployment's other work (here: closing the tracker, which stops every following under that lock) nor any other
 * deployment's.
 */
class SlowListenerTest {
    private final ManualClock clock = ManualClock.of(Instant.parse("2026-03-01T10:00:00Z"));
    private final ManualScheduler scheduler = ManualScheduler.of(clock);
    private final ExecutorService workers = Executors.newFixedThreadPool(2);
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        workers.shutdownNow();
    }

    @Test
    void aBlockedListenerHoldsUpNeitherAnotherDeploymentNorClose() throws Exception {
        InMemoryHistoryStore store = InMemoryHistoryStore.of(clock);
        ScriptedWatchingSource source = ScriptedWatchingSource.of();
        DeploymentTracker tracker = DeploymentTracker.builder(store).clock(clock).scheduler(scheduler).executor(workers)
                .discoverSources(false).source(source).instanceId("slow").listener(new DeploymentListener() {
                    @Override
                    public void onStatusChanged(Deployment d, DeploymentCheck check) {
                        if (d.commitSha().equals("aaaaaaa")) {
                            entered.countDown();
                            try {
                                release.await(30, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                    }
                }).build().start();
        CheckRef slow = source.ref("slow");
        CheckRef other = source.ref("other");
        DeploymentHandle blocked = tracker.track(DeploymentRequest.builder("acme", "web", "aaaaaaa").build(), slow);
        DeploymentHandle free = tracker.track(DeploymentRequest.builder("acme", "api", "bbbbbbb").build(), other);

        source.emit(slow, Observation.inProgress("deploying"));
        assertThat(entered.await(30, TimeUnit.SECONDS)).as("the listener was called").isTrue();

        source.emit(other, Observation.succeeded("done"));
        assertThat(free.completion().get(30, TimeUnit.SECONDS).status()).as("the other deployment, meanwhile")
                .isEqualTo(DeploymentStatus.SUCCESS);
        CompletableFuture.runAsync(tracker::close).get(30, TimeUnit.SECONDS);
        assertThat(source.followers(slow)).as("followings open after close").isZero();
        assertThat(blocked.completion()).isCompletedExceptionally();
        assertThat(store.find(blocked.id()).orElseThrow().checks().get(0).lastSourceStatus()).isEqualTo("deploying");
    }
}
