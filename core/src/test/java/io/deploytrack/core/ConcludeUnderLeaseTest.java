package io.deploytrack.core;

import io.deploytrack.core.testkit.ManualClock;
import io.deploytrack.core.testkit.ManualScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An instance ends a deployment and notifies its end under a lease it has just extended: another instance, which
 * claims ended-but-unnotified rows once their lease expired (their instance died before {@code onCompleted}), must not
 * notify it a second time. Found by the several-processes test (four processes on one SQLite file, where writes wait
 * for seconds): a poll answered after the lease had expired ended the row, and another process claimed and notified it
 * again before the first one had marked it notified.
 */
class ConcludeUnderLeaseTest {
    private final ManualClock clock = ManualClock.of(Instant.parse("2026-03-01T10:00:00Z"));
    private final InMemoryHistoryStore store = InMemoryHistoryStore.of(clock);
    private final List<DeploymentTracker> trackers = new ArrayList<>();

    /** Answers each poll with a future the test completes. */
    private static final class HeldSource implements PollingSource {
        final Map<CheckRef, CompletableFuture<Observation>> pending = new ConcurrentHashMap<>();

        @Override
        public String type() {
            return "held";
        }

        @Override
        public CompletionStage<Observation> poll(CheckRef ref) {
            CompletableFuture<Observation> f = new CompletableFuture<>();
            pending.put(ref, f);
            return f;
        }
    }

    @AfterEach
    void close() {
        trackers.forEach(DeploymentTracker::close);
    }

    private DeploymentTracker tracker(String id, ManualScheduler scheduler, HeldSource source, DeploymentListener l) {
        DeploymentTracker t = DeploymentTracker.builder(store).clock(clock).scheduler(scheduler).executor(scheduler)
                .discoverSources(false).source(source).instanceId(id).pollInterval(Duration.ofSeconds(5)).pollJitter(0)
                .leaseDuration(Duration.ofSeconds(30)).listener(l).build();
        trackers.add(t);
        return t.start();
    }

    @Test
    void anAnswerThatArrivesAfterTheLeaseExpiredIsNotifiedOnce() {
        HeldSource source = new HeldSource();
        ManualScheduler aScheduler = ManualScheduler.of(clock);
        ManualScheduler bScheduler = ManualScheduler.of(clock);
        List<String> notified = new ArrayList<>();
        DeploymentTracker b = tracker("b", bScheduler, source, new DeploymentListener() {
            @Override
            public void onCompleted(Deployment d) {
                notified.add("b");
            }
        });
        AtomicBoolean slowToMark = new AtomicBoolean(true);
        DeploymentTracker a = tracker("a", aScheduler, source, new DeploymentListener() {
            @Override
            public void onCompleted(Deployment d) {
                notified.add("a");
                if (slowToMark.getAndSet(false)) {
                    // Before a marks it notified, b's periodic lease work runs (a is slow: its store writes queue).
                    bScheduler.runPending();
                }
            }
        });
        CheckRef ref = CheckRef.of("held", "id", "x");
        DeploymentHandle h = a.track(DeploymentRequest.builder("acme", "web", "abc1234").build(), ref);

        aScheduler.advance(Duration.ofSeconds(1)); // a polls; the answer takes long
        assertThat(source.pending).containsKey(ref);
        clock.advance(Duration.ofSeconds(31));      // a's lease (30 s, not renewed meanwhile) has expired
        source.pending.get(ref).complete(Observation.succeeded("success"));
        aScheduler.runPending();                    // a ends the deployment

        assertThat(h.completion()).isCompletedWithValueMatching(d -> d.status() == DeploymentStatus.SUCCESS);
        bScheduler.advance(Duration.ofSeconds(60), Duration.ofSeconds(1));
        aScheduler.runPending();
        assertThat(notified).as("instances whose onCompleted ran").containsExactly("a");
        assertThat(b.inFlight()).isZero();
        assertThat(store.find(h.id()).orElseThrow().status()).isEqualTo(DeploymentStatus.SUCCESS);
        assertThat(store.lease(h.id())).as("lease after the notification").isEmpty();
    }
}
