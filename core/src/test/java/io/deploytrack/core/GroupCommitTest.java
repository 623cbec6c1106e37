package io.deploytrack.core;

import io.deploytrack.core.testkit.ManualClock;
import io.deploytrack.core.testkit.ManualScheduler;
import io.deploytrack.core.testkit.ScriptedWatchingSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ends that arrive together are written by one group commit ({@link HistoryStore#updateUnderLease}), and each is
 * still its own compare-and-set under this instance's lease with its own {@code onCompleted}, once, after the commit.
 * The store is a real {@link InMemoryHistoryStore}, seen through a wrapper that records each group's size.
 */
class GroupCommitTest {
    private final ManualClock clock = ManualClock.of(Instant.parse("2026-03-01T10:00:00Z"));
    private final ManualScheduler scheduler = ManualScheduler.of(clock);
    private final InMemoryHistoryStore memory = InMemoryHistoryStore.of(clock);
    private final RecordingStore store = new RecordingStore(memory);
    private final ScriptedWatchingSource source = ScriptedWatchingSource.of();
    private final Map<Long, AtomicInteger> completed = new ConcurrentHashMap<>();
    private final List<String> order = new CopyOnWriteArrayList<>();
    private DeploymentTracker tracker;

    @AfterEach
    void close() {
        if (tracker != null) {
            tracker.close();
        }
    }

    private DeploymentTracker start() {
        tracker = DeploymentTracker.builder(store).clock(clock).scheduler(scheduler).executor(scheduler)
                .discoverSources(false).source(source).instanceId("me").pollInterval(Duration.ofSeconds(5))
                .pollJitter(0).leaseDuration(Duration.ofSeconds(30)).listener(new DeploymentListener() {
                    @Override
                    public void onStatusChanged(Deployment d, DeploymentCheck check) {
                        order.add(d.id() + ":" + check.lastSourceStatus());
                    }

                    @Override
                    public void onCompleted(Deployment d) {
                        // The end is committed before anyone hears of it.
                        assertThat(memory.find(d.id()).orElseThrow().status()).isEqualTo(d.status());
                        completed.computeIfAbsent(d.id(), id -> new AtomicInteger()).incrementAndGet();
                        order.add(d.id() + ":completed");
                    }
                }).build();
        return tracker.start();
    }

    @Test
    void endsThatArriveTogetherShareOneCommitAndEachIsNotifiedOnceAfterIt() throws Exception {
        start();
        List<DeploymentHandle> handles = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            handles.add(tracker.track(DeploymentRequest.builder("acme", "svc" + i, "abc1234").build(),
                    source.ref("d" + i)));
        }
        scheduler.runPending();
        for (int i = 0; i < 20; i++) {
            source.emit(source.ref("d" + i), Observation.inProgress("deploying"));
        }
        scheduler.runPending();
        assertThat(store.groups).as("the status changes, in one group").containsExactly(20);
        for (int i = 0; i < 20; i++) {
            source.emit(source.ref("d" + i), i % 2 == 0 ? Observation.succeeded("success")
                    : Observation.failed("fail", "the rollout failed"));
        }
        scheduler.runPending();

        assertThat(store.groups).as("the ends, in one group").containsExactly(20, 20);
        for (int i = 0; i < 20; i++) {
            DeploymentHandle h = handles.get(i);
            DeploymentStatus expected = i % 2 == 0 ? DeploymentStatus.SUCCESS : DeploymentStatus.FAILED;
            assertThat(h.completion()).isCompleted();
            assertThat(h.completion().get().status()).isEqualTo(expected);
            assertThat(memory.find(h.deployment().id()).orElseThrow().status()).isEqualTo(expected);
            assertThat(completed.get(h.deployment().id())).as("onCompleted of %s", i).hasValue(1);
            long id = h.deployment().id();
            assertThat(order.stream().filter(s -> s.startsWith(id + ":")).toList())
                    .as("the listeners of one deployment in the order of its changes")
                    .containsExactly(id + ":deploying", id + ":" + (i % 2 == 0 ? "success" : "fail"), id + ":completed");
            assertThat(memory.lease(id)).as("notified rows free their lease").isEmpty();
        }
        // Nothing is claimed again as unnotified, nor notified twice, later on.
        scheduler.advance(Duration.ofMinutes(2), Duration.ofSeconds(5));
        assertThat(completed.values()).allSatisfy(n -> assertThat(n).hasValue(1));
        assertThat(tracker.inFlight()).isZero();
    }

    @Test
    void inOneGroupALostLeaseAndAChangedRowAreLeftToTheStoreWhileTheOthersEnd() throws Exception {
        start();
        DeploymentHandle kept = tracker.track(DeploymentRequest.builder("acme", "web", "abc1234").build(),
                source.ref("kept"));
        DeploymentHandle stolen = tracker.track(DeploymentRequest.builder("acme", "api", "abc1234").build(),
                source.ref("stolen"));
        DeploymentHandle marked = tracker.track(DeploymentRequest.builder("acme", "db", "abc1234").build(),
                source.ref("marked"));
        scheduler.runPending();
        long stolenId = stolen.deployment().id();
        long markedId = marked.deployment().id();
        for (String r : List.of("kept", "stolen", "marked")) {
            source.emit(source.ref(r), Observation.succeeded("success"));
        }
        // Before the group commits: another instance takes one row over, a person cancels another.
        memory.release("me", List.of(stolenId));
        assertThat(memory.claim("thief", Duration.ofSeconds(30), 10, Set.of(source.type())))
                .extracting(Deployment::id).containsExactly(stolenId);
        assertThat(memory.update(new DeploymentUpdate(markedId, DeploymentStatus.RUNNING, DeploymentStatus.CANCELLED,
                null, null, clock.instant(), null, "cancelled by hand", List.of(), List.of()))).isTrue();
        scheduler.runPending();

        assertThat(store.groups).containsExactly(3);
        assertThat(kept.completion().get().status()).isEqualTo(DeploymentStatus.SUCCESS);
        assertThat(completed.get(kept.deployment().id())).hasValue(1);
        assertThat(memory.find(stolenId).orElseThrow().status()).as("left to the lease's holder")
                .isEqualTo(DeploymentStatus.RUNNING);
        assertThat(memory.lease(stolenId).orElseThrow().owner()).isEqualTo("thief");
        assertThat(completed).as("no onCompleted for rows this instance did not end").doesNotContainKeys(stolenId,
                markedId);
        assertThat(marked.completion().get().status()).as("what the store says is adopted")
                .isEqualTo(DeploymentStatus.CANCELLED);
        assertThat(memory.events(markedId)).extracting(DeploymentEvent::type).doesNotContain("completed");
        assertThat(stolen.completion()).isNotDone();
    }

    /** A real store, with each group commit's size recorded. */
    private static final class RecordingStore implements HistoryStore {
        final HistoryStore delegate;
        final List<Integer> groups = new CopyOnWriteArrayList<>();

        RecordingStore(HistoryStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public List<UpdateOutcome> updateUnderLease(String leaseOwner, Duration leaseDuration,
                                                    List<DeploymentUpdate> updates) {
            groups.add(updates.size());
            return delegate.updateUnderLease(leaseOwner, leaseDuration, updates);
        }

        @Override
        public CreateResult create(Deployment draft, String leaseOwner, Duration leaseDuration) {
            return delegate.create(draft, leaseOwner, leaseDuration);
        }

        @Override
        public boolean update(DeploymentUpdate update) {
            return delegate.update(update);
        }

        @Override
        public Optional<Deployment> find(long id) {
            return delegate.find(id);
        }

        @Override
        public Optional<Deployment> findByIdempotencyKey(String idempotencyKey) {
            return delegate.findByIdempotencyKey(idempotencyKey);
        }

        @Override
        public List<Deployment> list(HistoryQuery query) {
            return delegate.list(query);
        }

        @Override
        public Optional<Deployment> latestSuccess(String owner, String repo, String environment, Deployment before,
                                                  String excludingCommit) {
            return delegate.latestSuccess(owner, repo, environment, before, excludingCommit);
        }

        @Override
        public List<DeploymentEvent> events(long deploymentId) {
            return delegate.events(deploymentId);
        }

        @Override
        public void appendEvent(DeploymentEvent event) {
            delegate.appendEvent(event);
        }

        @Override
        public int pruneEvents(Instant olderThan) {
            return delegate.pruneEvents(olderThan);
        }

        @Override
        public List<Deployment> claim(String owner, Duration leaseDuration, int limit, Set<String> sourceTypes) {
            return delegate.claim(owner, leaseDuration, limit, sourceTypes);
        }

        @Override
        public Set<Long> renew(String owner, Collection<Long> ids, Duration leaseDuration) {
            return delegate.renew(owner, ids, leaseDuration);
        }

        @Override
        public void release(String owner, Collection<Long> ids) {
            delegate.release(owner, ids);
        }

        @Override
        public Optional<LeaseInfo> lease(long id) {
            return delegate.lease(id);
        }

        @Override
        public void markNotified(long id) {
            delegate.markNotified(id);
        }

        @Override
        public void recordPush(PendingPush push) {
            delegate.recordPush(push);
        }

        @Override
        public List<PendingPush> pendingPushes(String leaseOwner, int limit) {
            return delegate.pendingPushes(leaseOwner, limit);
        }

        @Override
        public void forgetPushes(java.util.Collection<Long> ids) {
            delegate.forgetPushes(ids);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
