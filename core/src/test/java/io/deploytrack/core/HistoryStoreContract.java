package io.deploytrack.core;

import io.deploytrack.core.testkit.ManualClock;
import io.deploytrack.core.testkit.ManualScheduler;
import io.deploytrack.core.testkit.ScriptedPollingSource;
import io.deploytrack.core.testkit.ScriptedWatchingSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract every {@link HistoryStore} keeps, with the tracker running on it. One subclass per store: in-memory,
 * SQLite, PostgreSQL. Time is a {@link ManualClock}; the tracker's scheduler and executor are a
 * {@link ManualScheduler}, so every test is deterministic.
 */
public abstract class HistoryStoreContract {

    protected final ManualClock clock = ManualClock.of(Instant.parse("2026-03-01T10:00:00Z"));
    protected final ManualScheduler scheduler = ManualScheduler.of(clock);
    protected HistoryStore store;
    private final List<DeploymentTracker> trackers = new ArrayList<>();
    private final List<HistoryStore> stores = new ArrayList<>();

    /**
     * Opens the store under test on {@code clock}. Each call within one test must open the same data (the same file
     * or database, or the same in-memory instance), as a restarted process would.
     */
    protected abstract HistoryStore openStore(Clock clock);

    /** Whether closing and reopening keeps data (false for a store that is shared in memory). */
    protected HistoryStore reopen() {
        return track(openStore(clock));
    }

    private HistoryStore track(HistoryStore s) {
        stores.add(s);
        return s;
    }

    @BeforeEach
    void openContractStore() {
        store = track(openStore(clock));
    }

    @AfterEach
    void closeContractStore() {
        trackers.forEach(DeploymentTracker::close);
        stores.forEach(HistoryStore::close);
    }

    protected DeploymentTracker.Builder trackerBuilder(HistoryStore s, ManualScheduler sched) {
        return DeploymentTracker.builder(s).clock(clock).scheduler(sched).executor(sched).discoverSources(false)
                .pollInterval(Duration.ofSeconds(5)).pollJitter(0).leaseDuration(Duration.ofSeconds(30));
    }

    protected DeploymentTracker started(DeploymentTracker.Builder b) {
        DeploymentTracker t = b.build();
        trackers.add(t);
        t.start();
        return t;
    }

    protected static DeploymentRequest request(String repo, String sha) {
        return DeploymentRequest.builder("acme", repo, sha).build();
    }

    protected Deployment draft(String repo, String sha, String key) {
        Instant now = clock.instant();
        CheckRef ref = CheckRef.of("scripted", "id", repo + "-" + sha);
        return new Deployment(0, "acme", repo, "production", sha, false, null, key, DeploymentStatus.RUNNING, now,
                null, null, null, null, null,
                List.of(new DeploymentCheck("scripted", ref, DeploymentStatus.RUNNING, now, null,
                        now.plus(Duration.ofMinutes(5)), null, false, null, Duration.ofMinutes(5), Duration.ofHours(24))),
                Map.of("image", "registry.local:5000/web:1.2"));
    }

    protected Deployment complete(Deployment d, DeploymentStatus status, Instant at) {
        assertThat(store.update(new DeploymentUpdate(d.id(), DeploymentStatus.RUNNING, status, null,
                status == DeploymentStatus.SUCCESS ? at : null, at, null, null, List.of(), List.of()))).isTrue();
        return store.find(d.id()).orElseThrow();
    }

    // ------------------------------------------------------------------ the store alone

    @Test
    void createdDeploymentReadsBackWhole() {
        CreateResult r = store.create(draft("web", "abc1234", "key-1"), "me", Duration.ofSeconds(30));
        assertThat(r.created()).isTrue();
        assertThat(r.leaseOwner()).isEqualTo("me");
        Deployment d = store.find(r.deployment().id()).orElseThrow();
        assertThat(d.id()).isPositive();
        assertThat(d.owner()).isEqualTo("acme");
        assertThat(d.repo()).isEqualTo("web");
        assertThat(d.environment()).isEqualTo("production");
        assertThat(d.commitSha()).isEqualTo("abc1234");
        assertThat(d.status()).isEqualTo(DeploymentStatus.RUNNING);
        assertThat(d.startedAt()).isEqualTo(clock.instant());
        assertThat(d.idempotencyKey()).isEqualTo("key-1");
        assertThat(d.attributes()).containsEntry("image", "registry.local:5000/web:1.2");
        assertThat(d.checks()).hasSize(1);
        DeploymentCheck c = d.checks().get(0);
        assertThat(c.ref()).isEqualTo(CheckRef.of("scripted", "id", "web-abc1234"));
        assertThat(c.deadlineAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(5)));
        assertThat(c.timeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.approvalTimeout()).isEqualTo(Duration.ofHours(24));
        assertThat(store.findByIdempotencyKey("key-1")).contains(d);
        assertThat(store.events(d.id())).extracting(DeploymentEvent::type).containsExactly("started");
    }

    @Test
    void sameIdempotencyKeyNeverMakesASecondRow() {
        Deployment first = store.create(draft("web", "abc1234", "k"), "me", Duration.ofSeconds(30)).deployment();
        complete(first, DeploymentStatus.SUCCESS, clock.instant());
        CreateResult again = store.create(draft("web", "abc1234", "k"), "me", Duration.ofSeconds(30));
        assertThat(again.created()).isFalse();
        assertThat(again.deployment().id()).isEqualTo(first.id());
        assertThat(again.deployment().status()).isEqualTo(DeploymentStatus.SUCCESS);
        assertThat(store.list(HistoryQuery.all(100))).hasSize(1);
    }

    @Test
    void oneRunningRowPerIdentityButRedeploysAreKept() {
        Deployment first = store.create(draft("web", "abc1234", null), "me", Duration.ofSeconds(30)).deployment();
        CreateResult second = store.create(draft("web", "abc1234", null), "other", Duration.ofSeconds(30));
        assertThat(second.created()).isFalse();
        assertThat(second.deployment().id()).isEqualTo(first.id());
        assertThat(second.leaseOwner()).isEqualTo("me");
        complete(first, DeploymentStatus.SUCCESS, clock.instant());
        clock.advance(Duration.ofMinutes(1));
        CreateResult redeploy = store.create(draft("web", "abc1234", null), "me", Duration.ofSeconds(30));
        assertThat(redeploy.created()).isTrue();
        assertThat(redeploy.deployment().id()).isNotEqualTo(first.id());
        assertThat(store.list(HistoryQuery.project("acme", "web", 10))).hasSize(2);
    }

    @Test
    void aTerminalRowNeverChangesAgain() {
        Deployment d = store.create(draft("web", "abc1234", null), "me", Duration.ofSeconds(30)).deployment();
        Deployment done = complete(d, DeploymentStatus.FAILED, clock.instant());
        for (DeploymentStatus s : DeploymentStatus.values()) {
            if (s == DeploymentStatus.RUNNING) {
                continue; // running -> running is no transition: refused with an exception (illegalTransitionsAreRefused)
            }
            boolean applied = store.update(new DeploymentUpdate(d.id(), DeploymentStatus.RUNNING, s, null, null,
                    clock.instant().plusSeconds(5), "late", "late", List.of(), List.of()));
            assertThat(applied).as("late update to %s", s).isFalse();
        }
        assertThat(store.find(d.id())).contains(done);
        assertThat(store.update(new DeploymentUpdate(404_404, DeploymentStatus.RUNNING, DeploymentStatus.SUCCESS,
                null, null, null, null, null, List.of(), List.of()))).isFalse();
    }

    /** Every (from, to, reconcile) that {@link DeploymentStatus#canTransitionTo} refuses. */
    static Stream<Arguments> illegalTransitions() {
        List<Arguments> out = new ArrayList<>();
        for (DeploymentStatus from : DeploymentStatus.values()) {
            for (DeploymentStatus to : DeploymentStatus.values()) {
                for (boolean reconcile : new boolean[]{false, true}) {
                    if (!from.canTransitionTo(to, reconcile)) {
                        out.add(Arguments.of(from, to, reconcile));
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} -> {1} (reconcile {2})")
    @MethodSource("illegalTransitions")
    void illegalTransitionsAreRefusedWhateverTheStoredStatus(DeploymentStatus from, DeploymentStatus to, boolean reconcile) {
        Deployment atFrom = store.create(draft("web", "abc1234", null), "me", Duration.ofSeconds(30)).deployment();
        if (from != DeploymentStatus.RUNNING) {
            atFrom = complete(atFrom, from, clock.instant());
        }
        Deployment running = store.create(draft("api", "abc1234", null), "me", Duration.ofSeconds(30)).deployment();
        for (Deployment d : List.of(atFrom, running)) {
            int events = store.events(d.id()).size();
            DeploymentUpdate illegal = new DeploymentUpdate(d.id(), from, to, null, clock.instant(),
                    clock.instant().plusSeconds(5), "late", "late", List.of(), List.of(DeploymentEvent.of(d.id(),
                    clock.instant(), "marked", null, from, to, null, "illegal")), reconcile);
            assertThatThrownBy(() -> store.update(illegal)).as("%s stored as %s", illegal, d.status())
                    .isInstanceOf(IllegalTransitionException.class)
                    .hasMessageContaining("from " + from.word() + " to " + (to == null ? "null" : to.word()))
                    .satisfies(e -> {
                        assertThat(((IllegalTransitionException) e).from()).isEqualTo(from);
                        assertThat(((IllegalTransitionException) e).to()).isEqualTo(to);
                    });
            assertThat(store.find(d.id())).as("the row after a refused update").contains(d);
            assertThat(store.events(d.id())).as("events after a refused update").hasSize(events);
        }
    }

    @Test
    void aReconcileMovesATimedOutDeploymentOnAndAStatusKeepingUpdateIsNoTransition() {
        Deployment d = store.create(draft("web", "abc1234", null), "me", Duration.ofSeconds(30)).deployment();
        complete(d, DeploymentStatus.TIMED_OUT, clock.instant());
        assertThat(store.update(new DeploymentUpdate(d.id(), DeploymentStatus.TIMED_OUT, null, null, null, null, null,
                null, List.of(), List.of(DeploymentEvent.of(d.id(), clock.instant(), "note", null, null, null, null,
                "a late note"))))).as("an update that keeps the status").isTrue();
        assertThat(store.update(new DeploymentUpdate(d.id(), DeploymentStatus.TIMED_OUT, DeploymentStatus.SUCCESS,
                null, clock.instant(), clock.instant(), null, null, List.of(), List.of(), true))).isTrue();
        assertThat(store.find(d.id()).orElseThrow().status()).isEqualTo(DeploymentStatus.SUCCESS);
    }

    @Test
    void historyIsNewestFirstPagedAndFiltered() {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            Deployment d = store.create(draft(i % 2 == 0 ? "web" : "api", "abc123" + i, null), "me",
                    Duration.ofSeconds(30)).deployment();
            ids.add(d.id());
            complete(d, i == 3 ? DeploymentStatus.FAILED : DeploymentStatus.SUCCESS, clock.instant().plusSeconds(1));
            clock.advance(Duration.ofMinutes(1));
        }
        List<Deployment> all = store.list(HistoryQuery.all(100));
        assertThat(all).extracting(Deployment::id).containsExactlyElementsOf(reversed(ids));
        assertThat(store.list(HistoryQuery.all(3))).extracting(Deployment::id).containsExactly(ids.get(6), ids.get(5), ids.get(4));
        assertThat(store.list(HistoryQuery.all(3).next())).extracting(Deployment::id).containsExactly(ids.get(3), ids.get(2), ids.get(1));
        assertThat(store.list(HistoryQuery.project("acme", "api", 10))).extracting(Deployment::id)
                .containsExactly(ids.get(5), ids.get(3), ids.get(1));
        assertThat(store.list(HistoryQuery.project("acme", "api", 10).withStatus(DeploymentStatus.FAILED)))
                .extracting(Deployment::id).containsExactly(ids.get(3));
        assertThat(store.list(HistoryQuery.all(10).inEnvironment("staging"))).isEmpty();
    }

    @Test
    void rollbackTargetFollowsTheRule() {
        DeploymentHistory history = DeploymentHistory.of(store, clock);
        assertThatThrownBy(() -> history.rollbackTarget("acme", "web", "production"))
                .isInstanceOf(NoRollbackTargetException.class).hasMessageContaining("no successful deployment");
        Deployment a = success("web", "aaaaaaa");
        assertThatThrownBy(() -> history.rollbackTarget("acme", "web", "production"))
                .isInstanceOf(NoRollbackTargetException.class).hasMessageContaining("other than aaaaaaa");
        Deployment b = success("web", "bbbbbbb");
        Deployment b2 = success("web", "bbbbbbb"); // a redeploy of the same commit
        Deployment failed = store.create(draft("web", "ccccccc", null), "me", Duration.ofSeconds(30)).deployment();
        complete(failed, DeploymentStatus.FAILED, clock.instant());
        store.create(draft("web", "ddddddd", null), "me", Duration.ofSeconds(30)); // still running
        RollbackTarget t = history.rollbackTarget("acme", "web", "production");
        assertThat(t.current().id()).isEqualTo(b2.id());
        assertThat(t.target().id()).isEqualTo(a.id());
        assertThat(b.id()).isNotEqualTo(t.target().id());
        assertThat(history.current("acme", "web", "production")).map(Deployment::id).contains(b2.id());
        assertThatThrownBy(() -> history.rollbackTarget("acme", "web", "staging"))
                .isInstanceOf(NoRollbackTargetException.class).hasMessageContaining("staging");
    }

    @Test
    void rollbackTargetNeverOffersAVersionARollbackLeft() {
        DeploymentHistory history = DeploymentHistory.of(store, clock);
        Deployment v1 = success("web", "1111111");
        Deployment v2 = success("web", "2222222");
        Deployment v3 = success("web", "3333333");
        Deployment back = rollbackTo("web", "2222222", v3); // V3 broke: back to V2
        RollbackTarget t = history.rollbackTarget("acme", "web", "production");
        assertThat(t.current().id()).isEqualTo(back.id());
        assertThat(t.target().id()).isEqualTo(v1.id()); // not V3, which the team just left
        assertThat(t.skipped()).extracting(s -> s.deployment().id()).containsExactly(v3.id());
        assertThat(t.skipped().get(0).rollback().id()).isEqualTo(back.id());
        assertThat(t.skipped().get(0).reason()).contains("#" + v3.id()).contains("3333333").contains("went back past it");

        // V4 then a rollback to V1: V4, the first rollback, V3 and V2 were all gone back past; nothing is left
        Deployment v4 = success("web", "4444444");
        Deployment toV1 = rollbackTo("web", "1111111", v4);
        assertThatThrownBy(() -> history.rollbackTarget("acme", "web", "production"))
                .isInstanceOf(NoRollbackTargetException.class)
                .hasMessageContaining("skipped #" + v4.id()).hasMessageContaining("#" + v2.id() + " 2222222");
        assertThat(toV1.rollback()).isTrue();

        // a new version after all that: the target is V1 again (what runs before it), nothing skipped
        success("web", "5555555");
        RollbackTarget after = history.rollbackTarget("acme", "web", "production");
        assertThat(after.target().id()).isEqualTo(toV1.id());
        assertThat(after.skipped()).isEmpty();
    }

    @Test
    void aRollbackToACommitNeverDeployedHereLeavesOnlyWhatItNames() {
        Deployment v1 = success("web", "1111111");
        Deployment v2 = success("web", "2222222");
        Deployment v3 = success("web", "3333333");
        Deployment back = rollbackTo("web", "9999999", v3); // an older build this table never saw
        RollbackTarget t = DeploymentHistory.of(store, clock).rollbackTarget("acme", "web", "production");
        assertThat(t.current().id()).isEqualTo(back.id());
        assertThat(t.target().id()).isEqualTo(v2.id());
        assertThat(t.skipped()).extracting(s -> s.deployment().id()).containsExactly(v3.id());
        assertThat(v1.id()).isLessThan(v2.id());
    }

    /** A successful rollback to {@code sha}, replacing {@code of}. */
    protected Deployment rollbackTo(String repo, String sha, Deployment of) {
        Deployment plain = draft(repo, sha, null);
        Deployment draft = new Deployment(0, plain.owner(), plain.repo(), plain.environment(), sha, true, of.id(), null,
                DeploymentStatus.RUNNING, plain.startedAt(), null, null, null, null, null, plain.checks(),
                plain.attributes());
        Deployment d = store.create(draft, "me", Duration.ofSeconds(30)).deployment();
        clock.advance(Duration.ofSeconds(40));
        Deployment done = complete(d, DeploymentStatus.SUCCESS, clock.instant());
        clock.advance(Duration.ofMinutes(1));
        return done;
    }

    @Test
    void rollbackTargetTiesBreakById() {
        Instant same = clock.instant().plusSeconds(30);
        Deployment x = store.create(draft("web", "1111111", null), "me", Duration.ofSeconds(30)).deployment();
        Deployment y = store.create(draft("web", "2222222", null), "me", Duration.ofSeconds(30)).deployment();
        complete(y, DeploymentStatus.SUCCESS, same);
        complete(x, DeploymentStatus.SUCCESS, same);
        RollbackTarget t = DeploymentHistory.of(store, clock).rollbackTarget("acme", "web", "production");
        assertThat(t.current().id()).isEqualTo(Math.max(x.id(), y.id()));
        assertThat(t.target().id()).isEqualTo(Math.min(x.id(), y.id()));
    }

    private static List<Long> reversed(List<Long> in) {
        List<Long> out = new ArrayList<>(in);
        java.util.Collections.reverse(out);
        return out;
    }

    protected Deployment success(String repo, String sha) {
        Deployment d = store.create(draft(repo, sha, null), "me", Duration.ofSeconds(30)).deployment();
        clock.advance(Duration.ofSeconds(40));
        Deployment done = complete(d, DeploymentStatus.SUCCESS, clock.instant());
        clock.advance(Duration.ofMinutes(1));
        return done;
    }

    @Test
    void groupCommitAppliesEachUpdateAsItsOwnCompareAndSetUnderTheLease() {
        Deployment ours = store.create(draft("web", "abc1234", null), "a", Duration.ofSeconds(30)).deployment();
        Deployment alsoOurs = store.create(draft("api", "abc1234", null), "a", Duration.ofSeconds(30)).deployment();
        Deployment theirs = store.create(draft("db", "abc1234", null), "b", Duration.ofSeconds(30)).deployment();
        Deployment ended = store.create(draft("ui", "abc1234", null), "a", Duration.ofSeconds(30)).deployment();
        Deployment endedBefore = complete(ended, DeploymentStatus.FAILED, clock.instant());
        clock.advance(Duration.ofSeconds(10));
        Instant at = clock.instant();
        DeploymentCheck checkDone = ours.checks().get(0).withProgress(DeploymentStatus.SUCCESS, ours.startedAt(), at,
                ours.checks().get(0).deadlineAt(), "success", false, null);
        List<DeploymentUpdate> batch = List.of(
                end(ours, DeploymentStatus.SUCCESS, at, List.of(checkDone)),
                end(alsoOurs, DeploymentStatus.FAILED, at, List.of()),
                end(theirs, DeploymentStatus.SUCCESS, at, List.of()),
                end(ended, DeploymentStatus.SUCCESS, at, List.of()),
                end(ours, DeploymentStatus.FAILED, at, List.of()));
        int theirEvents = store.events(theirs.id()).size();
        int ourEvents = store.events(ours.id()).size();
        Instant leaseBefore = store.lease(ours.id()).orElseThrow().until();

        List<UpdateOutcome> outcomes = store.updateUnderLease("a", Duration.ofSeconds(60), batch);

        assertThat(outcomes).containsExactly(UpdateOutcome.APPLIED, UpdateOutcome.APPLIED, UpdateOutcome.LEASE_LOST,
                UpdateOutcome.STATUS_CHANGED, UpdateOutcome.STATUS_CHANGED);
        Deployment oursNow = store.find(ours.id()).orElseThrow();
        assertThat(oursNow.status()).as("the second update of the same row compared against the first")
                .isEqualTo(DeploymentStatus.SUCCESS);
        assertThat(oursNow.completedAt()).isEqualTo(at);
        assertThat(oursNow.checks().get(0).status()).isEqualTo(DeploymentStatus.SUCCESS);
        assertThat(store.find(alsoOurs.id()).orElseThrow().status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(store.find(theirs.id()).orElseThrow()).as("another instance's row").isEqualTo(theirs);
        assertThat(store.find(ended.id()).orElseThrow()).as("an ended row").isEqualTo(endedBefore);
        assertThat(store.events(ours.id())).as("one event, of the applied update").hasSize(ourEvents + 1)
                .last().extracting(DeploymentEvent::type).isEqualTo("completed");
        assertThat(store.events(theirs.id())).hasSize(theirEvents);
        assertThat(store.lease(ours.id()).orElseThrow().until()).as("the applied row's lease is extended")
                .isAfter(leaseBefore);
        assertThat(store.lease(theirs.id()).orElseThrow().owner()).isEqualTo("b");
        assertThat(store.updateUnderLease("a", Duration.ofSeconds(60), List.of())).isEmpty();
    }

    @Test
    void anIllegalUpdateRefusesTheWholeGroupBeforeAnythingIsWritten() {
        Deployment d = store.create(draft("web", "abc1234", null), "a", Duration.ofSeconds(30)).deployment();
        Deployment other = store.create(draft("api", "abc1234", null), "a", Duration.ofSeconds(30)).deployment();
        List<DeploymentUpdate> batch = List.of(end(d, DeploymentStatus.SUCCESS, clock.instant(), List.of()),
                new DeploymentUpdate(other.id(), DeploymentStatus.SUCCESS, DeploymentStatus.FAILED, null, null,
                        clock.instant(), null, null, List.of(), List.of()));
        assertThatThrownBy(() -> store.updateUnderLease("a", Duration.ofSeconds(30), batch))
                .isInstanceOf(IllegalTransitionException.class);
        assertThat(store.find(d.id()).orElseThrow()).isEqualTo(d);
        assertThat(store.find(other.id()).orElseThrow()).isEqualTo(other);
    }

    private static DeploymentUpdate end(Deployment d, DeploymentStatus status, Instant at, List<DeploymentCheck> checks) {
        return new DeploymentUpdate(d.id(), DeploymentStatus.RUNNING, status, null,
                status == DeploymentStatus.SUCCESS ? at : null, at, null, null, checks,
                List.of(DeploymentEvent.of(d.id(), at, "completed", null, DeploymentStatus.RUNNING, status, null, null)));
    }

    @Test
    void leasesAreClaimedRenewedAndReleased() {
        Deployment d = store.create(draft("web", "abc1234", null), "a", Duration.ofSeconds(30)).deployment();
        assertThat(store.claim("b", Duration.ofSeconds(30), 10, Set.of("scripted"))).isEmpty();
        assertThat(store.renew("a", List.of(d.id()), Duration.ofSeconds(30))).containsExactly(d.id());
        clock.advance(Duration.ofSeconds(31));
        assertThat(store.claim("b", Duration.ofSeconds(30), 10, Set.of("other"))).as("unknown source type").isEmpty();
        assertThat(store.claim("b", Duration.ofSeconds(30), 10, Set.of("scripted"))).extracting(Deployment::id).containsExactly(d.id());
        assertThat(store.lease(d.id()).orElseThrow().owner()).isEqualTo("b");
        assertThat(store.renew("a", List.of(d.id()), Duration.ofSeconds(30))).as("a lost it").isEmpty();
        assertThat(store.claim("c", Duration.ofSeconds(30), 10, Set.of("scripted"))).isEmpty();
        store.release("b", null);
        assertThat(store.claim("c", Duration.ofSeconds(30), 10, Set.of("scripted"))).extracting(Deployment::id).containsExactly(d.id());
    }

    @Test
    void unnotifiedCompletionsAreClaimedUntilMarked() {
        Deployment d = store.create(draft("web", "abc1234", null), "a", Duration.ofSeconds(30)).deployment();
        complete(d, DeploymentStatus.SUCCESS, clock.instant());
        clock.advance(Duration.ofSeconds(31));
        assertThat(store.claim("b", Duration.ofSeconds(30), 10, Set.of())).extracting(Deployment::id).containsExactly(d.id());
        store.markNotified(d.id());
        clock.advance(Duration.ofSeconds(31));
        assertThat(store.claim("c", Duration.ofSeconds(30), 10, Set.of("scripted"))).isEmpty();
    }

    @Test
    void severalCompletionsAreMarkedNotifiedAtOnce() {
        Deployment a = store.create(draft("web", "abc1234", null), "a", Duration.ofSeconds(30)).deployment();
        Deployment b = store.create(draft("api", "abc1234", null), "a", Duration.ofSeconds(30)).deployment();
        Deployment c = store.create(draft("db", "abc1234", null), "a", Duration.ofSeconds(30)).deployment();
        complete(a, DeploymentStatus.SUCCESS, clock.instant());
        complete(b, DeploymentStatus.FAILED, clock.instant());
        complete(c, DeploymentStatus.SUCCESS, clock.instant());
        store.markAllNotified(List.of(a.id(), b.id()));
        store.markAllNotified(List.of());
        assertThat(store.lease(a.id())).as("a marked row frees its lease").isEmpty();
        assertThat(store.lease(b.id())).isEmpty();
        clock.advance(Duration.ofSeconds(31));
        assertThat(store.claim("b", Duration.ofSeconds(30), 10, Set.of("scripted"))).extracting(Deployment::id)
                .containsExactly(c.id());
    }

    @Test
    void pruningKeepsRunningRowsAndTheNewestSuccess() {
        Deployment old = success("web", "aaaaaaa");
        Deployment newest = success("web", "bbbbbbb");
        Deployment running = store.create(draft("web", "ccccccc", null), "me", Duration.ofSeconds(30)).deployment();
        for (Deployment d : List.of(old, newest, running)) {
            store.appendEvent(DeploymentEvent.of(d.id(), clock.instant(), "note", null, null, null, null, "x"));
        }
        int oldEvents = store.events(old.id()).size();
        assertThat(oldEvents).isEqualTo(2); // started, note
        clock.advance(Duration.ofDays(40));
        Deployment recent = success("api", "eeeeeee");
        int deleted = store.pruneEvents(clock.instant().minus(Duration.ofDays(30)));
        assertThat(deleted).isEqualTo(oldEvents);
        assertThat(store.events(recent.id())).isNotEmpty();
        assertThat(store.events(old.id())).isEmpty();
        assertThat(store.events(newest.id())).isNotEmpty();
        assertThat(store.events(running.id())).isNotEmpty();
    }

    // ------------------------------------------------------------------ the tracker on the store

    @Test
    void sixtyFourThreadsTrackingTheSameRequestMakeOneRow() throws Exception {
        ScriptedWatchingSource source = ScriptedWatchingSource.of();
        DeploymentTracker tracker = started(trackerBuilder(store, scheduler).source(source));
        DeploymentRequest req = request("web", "abc1234");
        CheckRef ref = source.ref("web-1");
        ExecutorService pool = Executors.newFixedThreadPool(64);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<DeploymentHandle>> results = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return tracker.track(req, ref);
                }));
            }
            go.countDown();
            Set<Long> ids = ConcurrentHashMap.newKeySet();
            int created = 0;
            List<CompletableFuture<Deployment>> futures = new ArrayList<>();
            for (Future<DeploymentHandle> f : results) {
                DeploymentHandle h = f.get(30, TimeUnit.SECONDS);
                ids.add(h.id());
                created += h.created() ? 1 : 0;
                futures.add(h.completion());
            }
            assertThat(ids).hasSize(1);
            assertThat(created).isEqualTo(1);
            assertThat(store.list(HistoryQuery.all(100))).hasSize(1);
            scheduler.runPending();
            source.emit(ref, Observation.succeeded("done"));
            scheduler.runPending();
            for (CompletableFuture<Deployment> f : futures) {
                assertThat(f).isCompleted();
                assertThat(f.join().status()).isEqualTo(DeploymentStatus.SUCCESS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aSecondTrackerResumesWhatTheFirstLeftRunning() {
        ScriptedWatchingSource source = ScriptedWatchingSource.of();
        DeploymentTracker first = started(trackerBuilder(store, scheduler).source(source));
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(first.track(request("web" + i, "abc1234"), source.ref("d" + i)).id());
        }
        scheduler.runPending();
        source.emit(source.ref("d0"), Observation.inProgress("rolling"));
        scheduler.runPending();
        first.close();
        assertThat(store.list(HistoryQuery.all(10))).allMatch(d -> d.status() == DeploymentStatus.RUNNING);

        HistoryStore reopened = reopen();
        ManualScheduler second = ManualScheduler.of(clock);
        List<Deployment> completed = new CopyOnWriteArrayList<>();
        DeploymentTracker next = started(trackerBuilder(reopened, second).source(source).listener(new DeploymentListener() {
            @Override
            public void onCompleted(Deployment d) {
                completed.add(d);
            }
        }));
        assertThat(next.inFlight()).isEqualTo(5);
        for (int i = 0; i < 5; i++) {
            source.emit(source.ref("d" + i), i == 4 ? Observation.failed("fail", "boom") : Observation.succeeded("success"));
        }
        second.runPending();
        assertThat(completed).extracting(Deployment::id).containsExactlyInAnyOrderElementsOf(ids);
        for (long id : ids) {
            Deployment d = reopened.find(id).orElseThrow();
            assertThat(d.isTerminal()).isTrue();
            assertThat(d.completedAt()).isNotNull();
        }
        assertThat(reopened.find(ids.get(4)).orElseThrow().status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(reopened.find(ids.get(4)).orElseThrow().errorStage()).isEqualTo("scripted");
        assertThat(reopened.find(ids.get(0)).orElseThrow().deployedAt()).isNotNull();
    }

    @Test
    void aPassedDeadlineGivesTimedOutNamingTheLastStatus() {
        ScriptedPollingSource source = ScriptedPollingSource.of();
        DeploymentTracker tracker = started(trackerBuilder(store, scheduler).source(source).defaultTimeout(Duration.ofMinutes(2)));
        CheckRef ref = source.ref("slow");
        source.script(ref, Observation.inProgress("waiting"), Observation.inProgress("inprogress"));
        DeploymentHandle h = tracker.track(request("web", "abc1234"), ref);
        scheduler.advance(Duration.ofSeconds(119), Duration.ofSeconds(1));
        assertThat(h.completion()).isNotDone();
        scheduler.advance(Duration.ofSeconds(3), Duration.ofSeconds(1));
        assertThat(h.completion()).isCompleted();
        Deployment d = h.completion().join();
        assertThat(d.status()).isEqualTo(DeploymentStatus.TIMED_OUT);
        assertThat(d.errorMessage()).contains("within 2m").contains("last status seen: inprogress");
        assertThat(d.errorStage()).isEqualTo("scripted-poll");
        assertThat(store.find(d.id()).orElseThrow().status()).isEqualTo(DeploymentStatus.TIMED_OUT);
        int polls = source.polls(ref);
        scheduler.advance(Duration.ofMinutes(1), Duration.ofSeconds(1));
        assertThat(source.polls(ref)).as("no polling after the end").isEqualTo(polls);
    }

    @Test
    void waitingForApprovalCountsAgainstTheApprovalDeadline() {
        ScriptedWatchingSource source = ScriptedWatchingSource.of();
        DeploymentTracker tracker = started(trackerBuilder(store, scheduler).source(source)
                .defaultTimeout(Duration.ofMinutes(5)).defaultApprovalTimeout(Duration.ofHours(1)));
        CheckRef ref = source.ref("approval");
        DeploymentHandle h = tracker.track(request("web", "abc1234"), ref);
        source.emit(ref, Observation.awaitingApproval("pending"));
        scheduler.advance(Duration.ofMinutes(50), Duration.ofSeconds(30));
        assertThat(h.completion()).as("5 minutes of rollout deadline do not apply while pending").isNotDone();
        source.emit(ref, Observation.inProgress("inprogress"));
        scheduler.advance(Duration.ofMinutes(4), Duration.ofSeconds(30));
        assertThat(h.completion()).isNotDone();
        scheduler.advance(Duration.ofMinutes(2), Duration.ofSeconds(30));
        Deployment d = h.completion().join();
        assertThat(d.status()).isEqualTo(DeploymentStatus.TIMED_OUT);
        assertThat(d.errorMessage()).contains("last status seen: inprogress");

        DeploymentHandle never = tracker.track(request("api", "abc1234"), source.ref("never-approved"));
        source.emit(source.ref("never-approved"), Observation.awaitingApproval("pending"));
        scheduler.advance(Duration.ofMinutes(61), Duration.ofMinutes(1));
        assertThat(never.completion().join().errorMessage()).contains("approval deadline of 1h").contains("pending");
    }

    @Test
    void aThrowingListenerNeverStopsTrackingAndOnCompletedFiresOnce() {
        ScriptedWatchingSource source = ScriptedWatchingSource.of();
        AtomicInteger completed = new AtomicInteger();
        AtomicInteger changes = new AtomicInteger();
        DeploymentListener throwing = new DeploymentListener() {
            @Override
            public void onStarted(Deployment d) {
                throw new IllegalStateException("listener bug on start");
            }

            @Override
            public void onStatusChanged(Deployment d, DeploymentCheck c) {
                changes.incrementAndGet();
                throw new IllegalStateException("listener bug on change");
            }

            @Override
            public void onCompleted(Deployment d) {
                completed.incrementAndGet();
                throw new IllegalStateException("listener bug on completion");
            }
        };
        DeploymentTracker tracker = started(trackerBuilder(store, scheduler).source(source).listener(throwing));
        CheckRef ref = source.ref("x");
        DeploymentHandle h = tracker.track(request("web", "abc1234"), ref);
        source.emit(ref, Observation.inProgress("inprogress"));
        scheduler.runPending();
        source.emit(ref, Observation.succeeded("success"));
        source.emit(ref, Observation.failed("fail", "a late, contradicting observation"));
        scheduler.runPending();
        assertThat(h.completion().join().status()).isEqualTo(DeploymentStatus.SUCCESS);
        scheduler.advance(Duration.ofMinutes(5), Duration.ofSeconds(10));
        assertThat(completed).hasValue(1);
        assertThat(changes.get()).isGreaterThanOrEqualTo(2);
        assertThat(store.find(h.id()).orElseThrow().status()).isEqualTo(DeploymentStatus.SUCCESS);
    }

    @Test
    void sourceTimesMakeTheDurationExact() {
        ScriptedWatchingSource source = ScriptedWatchingSource.of();
        DeploymentTracker tracker = started(trackerBuilder(store, scheduler).source(source));
        CheckRef ref = source.ref("timed");
        Instant sourceStart = clock.instant().minusSeconds(3);
        DeploymentHandle h = tracker.track(request("web", "abc1234"), ref);
        source.emit(ref, Observation.inProgress("inprogress").withTimes(sourceStart, null));
        scheduler.advance(Duration.ofSeconds(50), Duration.ofSeconds(5));
        Instant sourceEnd = sourceStart.plusSeconds(45);
        source.emit(ref, Observation.succeeded("success").withTimes(sourceStart, sourceEnd));
        scheduler.runPending();
        Deployment d = store.find(h.id()).orElseThrow();
        assertThat(d.startedAt()).isEqualTo(sourceStart);
        assertThat(d.completedAt()).isEqualTo(sourceEnd);
        assertThat(d.deployedAt()).isEqualTo(sourceEnd);
        assertThat(d.totalDuration()).isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void transientErrorsBackOffAndHonourRetryAfterThenPermanentOnesEndTheCheck() {
        ScriptedPollingSource source = ScriptedPollingSource.of();
        DeploymentTracker tracker = started(trackerBuilder(store, scheduler).source(source));
        CheckRef flaky = source.ref("flaky");
        source.script(flaky, SourceException.transientFailure("503 Endpoint Error", null, null),
                SourceException.transientFailure("429 Throttled", Duration.ofSeconds(60), null),
                Observation.inProgress("inprogress"), Observation.succeeded("success"));
        DeploymentHandle h = tracker.track(request("web", "abc1234"), flaky);
        scheduler.advance(Duration.ofSeconds(1), Duration.ofMillis(500));
        assertThat(source.polls(flaky)).isEqualTo(1);
        scheduler.advance(Duration.ofSeconds(6), Duration.ofMillis(500));
        assertThat(source.polls(flaky)).as("second try after the first backoff (5 s)").isEqualTo(2);
        scheduler.advance(Duration.ofSeconds(50), Duration.ofSeconds(1));
        assertThat(source.polls(flaky)).as("Retry-After: 60 holds the next poll back").isEqualTo(2);
        scheduler.advance(Duration.ofSeconds(30), Duration.ofSeconds(1));
        assertThat(h.completion()).isCompleted();
        assertThat(h.completion().join().status()).isEqualTo(DeploymentStatus.SUCCESS);
        assertThat(store.events(h.id())).extracting(DeploymentEvent::type).contains("poll_error");

        CheckRef denied = source.ref("denied");
        source.script(denied, SourceException.permanent("authentication failed: check the access key", null));
        DeploymentHandle d = tracker.track(request("api", "abc1234"), denied);
        scheduler.advance(Duration.ofSeconds(1), Duration.ofMillis(500));
        assertThat(d.completion().join().status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(d.completion().join().errorMessage()).contains("access key");

        CheckRef missing = source.ref("missing");
        DeploymentHandle m = tracker.track(request("db", "abc1234"), missing);
        scheduler.advance(Duration.ofMinutes(4), Duration.ofSeconds(1));
        assertThat(m.completion().join().status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(m.completion().join().errorMessage()).contains("still not found after 6 attempts");
    }

    @Test
    void anExpiredLeaseIsTakenOverAndTheDeploymentEndsOnce() {
        ScriptedWatchingSource source = ScriptedWatchingSource.of();
        AtomicInteger completions = new AtomicInteger();
        DeploymentListener counting = new DeploymentListener() {
            @Override
            public void onCompleted(Deployment d) {
                completions.incrementAndGet();
            }
        };
        ManualScheduler crashed = ManualScheduler.of(clock);
        DeploymentTracker a = started(trackerBuilder(store, crashed).source(source).listener(counting).instanceId("a"));
        DeploymentHandle h = a.track(request("web", "abc1234"), source.ref("x"));
        crashed.runPending();
        HistoryStore other = reopen();
        ManualScheduler bSched = ManualScheduler.of(clock);
        DeploymentTracker b = started(trackerBuilder(other, bSched).source(source).listener(counting).instanceId("b"));
        assertThat(b.inFlight()).as("a's lease is alive").isZero();
        // a "crashes": its scheduler never runs again, so its lease is not renewed
        bSched.advance(Duration.ofSeconds(45), Duration.ofSeconds(1));
        assertThat(b.inFlight()).isEqualTo(1);
        assertThat(other.lease(h.id()).orElseThrow().owner()).isEqualTo("b");
        source.emit(source.ref("x"), Observation.succeeded("success"));
        bSched.runPending();
        crashed.runPending(); // a wakes up late and sees the same success
        assertThat(completions).hasValue(1);
        assertThat(other.find(h.id()).orElseThrow().status()).isEqualTo(DeploymentStatus.SUCCESS);
    }

    @Test
    void manualMarksFollowTheRulesAndAreLogged() {
        DeploymentHistory history = DeploymentHistory.of(store, clock);
        Deployment d = store.create(draft("web", "abc1234", null), "me", Duration.ofSeconds(30)).deployment();
        Deployment marked = history.mark(d.id(), DeploymentStatus.CANCELLED, "stopped by ops", null);
        assertThat(marked.status()).isEqualTo(DeploymentStatus.CANCELLED);
        assertThat(store.events(d.id())).extracting(DeploymentEvent::type).contains("marked");
        assertThatThrownBy(() -> history.mark(d.id(), DeploymentStatus.SUCCESS, "oops", null))
                .isInstanceOf(IllegalTransitionException.class);
        assertThatThrownBy(() -> history.mark(999_999, DeploymentStatus.SUCCESS, "x", null))
                .isInstanceOf(DeploymentNotFoundException.class);
        assertThatThrownBy(() -> history.mark(d.id(), DeploymentStatus.SUCCESS, " ", null))
                .hasMessageContaining("reason");

        Deployment t = store.create(draft("api", "abc1234", null), "me", Duration.ofSeconds(30)).deployment();
        store.update(new DeploymentUpdate(t.id(), DeploymentStatus.RUNNING, DeploymentStatus.TIMED_OUT, null, null,
                clock.instant(), "scripted", "no terminal status", List.of(), List.of()));
        Deployment reconciled = history.mark(t.id(), DeploymentStatus.SUCCESS, "NCP shows success at 10:05", clock.instant());
        assertThat(reconciled.status()).isEqualTo(DeploymentStatus.SUCCESS);
        assertThat(reconciled.deployedAt()).isNotNull();
    }

    @Test
    void unknownSourceTypesAndBadChecksWriteNothing() {
        DeploymentTracker tracker = started(trackerBuilder(store, scheduler).source(ScriptedWatchingSource.of()));
        assertThatThrownBy(() -> tracker.track(request("web", "abc1234"), CheckRef.of("nope", "id", "1")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("'nope'").hasMessageContaining("scripted");
        assertThatThrownBy(() -> tracker.track(request("web", "abc1234"), List.of()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("at least one check");
        assertThat(store.list(HistoryQuery.all(10))).isEmpty();
    }

    // ------------------------------------------------------------------ pushes (webhooks)

    /** A push source for tests: whatever is pushed through it goes to the tracker it was connected to. */
    protected static final class TestPushSource implements PushSource {
        private volatile PushTarget target;

        @Override
        public String type() {
            return "test-push";
        }

        @Override
        public void connect(PushTarget target) {
            this.target = target;
        }

        PushResult push(CheckRef ref, Observation o) {
            return target.push(Push.forRef(type(), "delivery-" + System.nanoTime(), ref, o));
        }
    }

    @Test
    void pushesRecordedForTheHolderAreReturnedToItUntilForgotten() {
        Deployment d = store.create(draft("web", "abc1234", null), "holder", Duration.ofSeconds(30)).deployment();
        Instant started = clock.instant().minusSeconds(40);
        Observation o = Observation.failed("failure", "step 3 failed").withTimes(started, clock.instant());
        store.recordPush(new PendingPush(0, d.id(), "scripted", "webhook", "gh-1", o, clock.instant()));
        store.recordPush(new PendingPush(0, d.id(), "scripted", "webhook", null, Observation.inProgress("queued"),
                clock.instant()));
        assertThat(store.pendingPushes("someone-else", 10)).isEmpty();
        List<PendingPush> taken = store.pendingPushes("holder", 10);
        assertThat(taken).hasSize(2);
        PendingPush first = taken.get(0);
        assertThat(first.id()).isPositive();
        assertThat(first.deploymentId()).isEqualTo(d.id());
        assertThat(first.checkName()).isEqualTo("scripted");
        assertThat(first.via()).isEqualTo("webhook");
        assertThat(first.deliveryId()).isEqualTo("gh-1");
        assertThat(first.observation()).isEqualTo(o);
        assertThat(first.receivedAt()).isEqualTo(clock.instant());
        assertThat(taken.get(1).observation()).isEqualTo(Observation.inProgress("queued"));
        assertThat(taken.get(1).deliveryId()).isNull();
        assertThat(store.pendingPushes("holder", 10)).as("kept until forgotten: a failed application is taken again")
                .isEqualTo(taken);
        assertThat(store.pendingPushes("holder", 1)).containsExactly(first);
        store.forgetPushes(List.of(first.id(), first.id() + 1000));
        assertThat(store.pendingPushes("holder", 10)).as("an unknown id is ignored").containsExactly(taken.get(1));
        store.forgetPushes(List.of(taken.get(1).id()));
        assertThat(store.pendingPushes("holder", 10)).isEmpty();
        assertThat(store.find(d.id()).orElseThrow()).as("a recorded push changes nothing else").isEqualTo(d);
    }

    @Test
    void runningChecksAreFoundByPartOfTheirRefAndByAttribute() {
        Deployment d = store.create(draft("web", "abc1234", null), "holder", Duration.ofSeconds(30)).deployment();
        Deployment ended = complete(store.create(draft("api", "abc1234", null), "holder", Duration.ofSeconds(30))
                .deployment(), DeploymentStatus.SUCCESS, clock.instant());
        Observation o = Observation.succeeded("success");
        assertThat(store.findRunning(Push.forRef("webhook", null, CheckRef.of("scripted", "id", "web-abc1234"), o), 10))
                .extracting(Deployment::id).containsExactly(d.id());
        assertThat(store.findRunning(Push.forRef("webhook", null, CheckRef.of("scripted"), o), 10))
                .as("fields left out match anything").extracting(Deployment::id).containsExactly(d.id());
        assertThat(store.findRunning(Push.forRef("webhook", null, CheckRef.of("scripted", "id", "web"), o), 10)).isEmpty();
        assertThat(store.findRunning(Push.forRef("webhook", null, CheckRef.of("other", "id", "web-abc1234"), o), 10)).isEmpty();
        assertThat(store.findRunning(Push.forRef("webhook", null, CheckRef.of("scripted", "id", "api-abc1234"), o), 10))
                .as("ended").isEmpty();
        assertThat(ended.isTerminal()).isTrue();
        assertThat(store.findRunning(Push.forAttribute("scripted", null, "image", "registry.local:5000/web:1.2", o), 10))
                .as("by attribute: the checks of the push source's own type").extracting(Deployment::id)
                .containsExactly(d.id());
        assertThat(store.findRunning(Push.forAttribute("webhook", null, "image", "registry.local:5000/web:1.2", o), 10))
                .as("no check is pushed by 'webhook'").isEmpty();
    }

    @Test
    void aPushToTheInstanceWithoutTheLeaseEndsTheDeploymentOnceAtTheHoldersNextTick() {
        ScriptedPollingSource polled = ScriptedPollingSource.of("polled", null);
        AtomicInteger completions = new AtomicInteger();
        DeploymentListener counting = new DeploymentListener() {
            @Override
            public void onCompleted(Deployment d) {
                completions.incrementAndGet();
            }
        };
        TestPushSource pushA = new TestPushSource();
        TestPushSource pushB = new TestPushSource();
        DeploymentTracker a = started(trackerBuilder(store, scheduler).source(polled).source(pushA).listener(counting)
                .instanceId("a"));
        CheckRef ref = polled.ref("x");
        polled.script(ref, Observation.inProgress("running"));
        DeploymentHandle h = a.track(request("web", "abc1234"), CheckSpec.of(ref).pushedBy(pushA));
        scheduler.advance(Duration.ofMillis(1250));
        assertThat(polled.polls(ref)).as("the first poll").isEqualTo(1);
        HistoryStore other = reopen();
        ManualScheduler bSched = ManualScheduler.of(clock);
        DeploymentTracker b = started(trackerBuilder(other, bSched).source(polled).source(pushB).listener(counting)
                .instanceId("b"));
        assertThat(b.inFlight()).isZero();
        Deployment before = other.find(h.id()).orElseThrow();

        PushResult r = pushB.push(CheckRef.of("polled", "id", "x"), Observation.succeeded("success"));

        assertThat(r.outcome()).isEqualTo(PushResult.Outcome.RECORDED_FOR_HOLDER);
        assertThat(r.deploymentIds()).containsExactly(h.id());
        assertThat(other.find(h.id()).orElseThrow()).as("b writes nothing to the row it does not hold").isEqualTo(before);
        bSched.advance(Duration.ofSeconds(1));
        assertThat(completions).as("b leaves it to the holder").hasValue(0);
        // a's next tick (a quarter of the 5 s poll interval, well before its next poll) takes and applies it
        int pollsBefore = polled.polls(ref);
        scheduler.advance(Duration.ofMillis(1250));
        assertThat(polled.polls(ref)).as("ended by the push, not by a poll").isEqualTo(pollsBefore);
        Deployment done = store.find(h.id()).orElseThrow();
        assertThat(done.status()).isEqualTo(DeploymentStatus.SUCCESS);
        assertThat(h.completion()).isCompletedWithValueMatching(d -> d.status() == DeploymentStatus.SUCCESS);
        scheduler.advance(Duration.ofSeconds(10), Duration.ofSeconds(1));
        bSched.advance(Duration.ofSeconds(10), Duration.ofSeconds(1));
        assertThat(completions).hasValue(1);
        assertThat(store.events(h.id())).filteredOn(e -> e.type().equals("completed")).singleElement()
                .satisfies(e -> assertThat(e.message()).isEqualTo("ended by push via test-push"));
        assertThat(store.pendingPushes("a", 10)).isEmpty();
    }

    @Test
    void aHolderWithoutAPushSourceTakesWhatAnotherInstanceReceivedAtItsNextTick() {
        ScriptedPollingSource polled = ScriptedPollingSource.of("polled", null);
        AtomicInteger completions = new AtomicInteger();
        DeploymentListener counting = new DeploymentListener() {
            @Override
            public void onCompleted(Deployment d) {
                completions.incrementAndGet();
            }
        };
        // a is what `ncp deploy` runs: its own source only, no push source registered
        DeploymentTracker a = started(trackerBuilder(store, scheduler).source(polled).listener(counting).instanceId("a"));
        CheckRef ref = polled.ref("x");
        polled.script(ref, Observation.inProgress("running"));
        DeploymentHandle h = a.track(request("web", "abc1234"), CheckSpec.of(ref));
        scheduler.advance(Duration.ofMillis(1250));
        assertThat(polled.polls(ref)).as("the first poll").isEqualTo(1);
        TestPushSource pushB = new TestPushSource();
        ManualScheduler bSched = ManualScheduler.of(clock);
        started(trackerBuilder(reopen(), bSched).source(polled).source(pushB).listener(counting).instanceId("b"));

        PushResult r = pushB.push(CheckRef.of("polled", "id", "x"), Observation.succeeded("success"));

        assertThat(r.outcome()).isEqualTo(PushResult.Outcome.RECORDED_FOR_HOLDER);
        int pollsBefore = polled.polls(ref);
        scheduler.advance(Duration.ofMillis(1250));
        assertThat(h.completion()).as("ended at a's next tick").isCompletedWithValueMatching(
                d -> d.status() == DeploymentStatus.SUCCESS);
        assertThat(polled.polls(ref)).as("ended by the push, not by a poll").isEqualTo(pollsBefore);
        scheduler.advance(Duration.ofSeconds(10), Duration.ofSeconds(1));
        bSched.advance(Duration.ofSeconds(10), Duration.ofSeconds(1));
        assertThat(completions).as("exactly once").hasValue(1);
        assertThat(store.events(h.id())).filteredOn(e -> e.type().equals("completed")).singleElement()
                .satisfies(e -> assertThat(e.message()).isEqualTo("ended by push via test-push"));
    }

    @Test
    void aPushForARowNobodyHoldsIsAppliedByTheNextClaimerBeforeItAsksTheSource() {
        ScriptedPollingSource polled = ScriptedPollingSource.of("polled", null);
        CheckRef ref = polled.ref("x");
        polled.script(ref, Observation.inProgress("running"));
        DeploymentTracker a = started(trackerBuilder(store, scheduler).source(polled).instanceId("a"));
        DeploymentHandle h = a.track(request("web", "abc1234"), CheckSpec.of(ref));
        scheduler.advance(Duration.ofMillis(1250));
        a.close();
        int pollsBefore = polled.polls(ref);
        TestPushSource pushB = new TestPushSource();
        DeploymentTracker b = trackerBuilder(reopen(), ManualScheduler.of(clock)).source(polled).source(pushB)
                .instanceId("b").build();
        trackers.add(b);

        PushResult r = pushB.push(CheckRef.of("polled", "id", "x"), Observation.succeeded("success"));

        assertThat(r.outcome()).as("nobody holds it: recorded").isEqualTo(PushResult.Outcome.RECORDED_FOR_HOLDER);
        assertThat(store.find(h.id()).orElseThrow().status()).isEqualTo(DeploymentStatus.RUNNING);
        ManualScheduler cSched = ManualScheduler.of(clock);
        DeploymentTracker c = started(trackerBuilder(reopen(), cSched).source(polled).instanceId("c"));
        cSched.advance(Duration.ofMillis(1250));
        assertThat(c.awaitCompletion(h.id())).isCompletedWithValueMatching(d -> d.status() == DeploymentStatus.SUCCESS);
        assertThat(polled.polls(ref)).as("applied before the source was asked").isEqualTo(pollsBefore);
        assertThat(store.pendingPushes("c", 10)).isEmpty();
    }
}
