package io.deploytrack.jdbc;

import io.deploytrack.core.CheckRef;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.DeploymentEvent;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.DeploymentUpdate;
import io.deploytrack.core.UpdateOutcome;
import io.deploytrack.core.testkit.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On SQLite a group of updates writes the rows' compare-and-sets and the events as multi-row statements, a single
 * update as per-row statements. The same updates, given to one store as one group and to another (the same data)
 * one at a time, must give the same outcomes and leave the same rows, checks, events and leases.
 */
class GroupedUpdatesTest {
    private static final Duration LEASE = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    final ManualClock clock = ManualClock.of(Instant.parse("2026-03-01T10:00:00Z"));
    JdbcHistoryStore grouped;
    JdbcHistoryStore oneEach;

    @BeforeEach
    void open() {
        grouped = JdbcHistoryStore.builder().sqlite(dir.resolve("grouped.db")).clock(clock).build();
        oneEach = JdbcHistoryStore.builder().sqlite(dir.resolve("one-each.db")).clock(clock).build();
    }

    @AfterEach
    void close() {
        grouped.close();
        oneEach.close();
    }

    /** The same deployment created in both stores (same ids, as both start empty); returns the grouped store's. */
    private Deployment created(String repo, String leaseOwner, int checks) {
        Instant now = clock.instant();
        List<DeploymentCheck> list = new ArrayList<>();
        for (int i = 0; i < checks; i++) {
            list.add(new DeploymentCheck("check" + i, CheckRef.of("ncp", "projectId", "1", "historyId", repo + i),
                    DeploymentStatus.RUNNING, now, null, now.plus(Duration.ofMinutes(30)), "inprogress", false, null,
                    Duration.ofMinutes(30), Duration.ofHours(24)));
        }
        Deployment draft = new Deployment(0, "acme", repo, "production", "abc1234", false, null, null,
                DeploymentStatus.RUNNING, now, null, null, null, null, null, list, Map.of());
        Deployment d = grouped.create(draft, leaseOwner, Duration.ofSeconds(30)).deployment();
        assertThat(oneEach.create(draft, leaseOwner, Duration.ofSeconds(30)).deployment()).isEqualTo(d);
        return d;
    }

    private static DeploymentCheck progressed(DeploymentCheck c, DeploymentStatus status, Instant at, String message) {
        return c.withProgress(status, c.startedAt(), status == DeploymentStatus.RUNNING ? null : at, c.deadlineAt(),
                status.word(), false, message);
    }

    private static DeploymentEvent event(Deployment d, Instant at, String type, DeploymentStatus to) {
        return DeploymentEvent.of(d.id(), at, type, null, DeploymentStatus.RUNNING, to, null, null);
    }

    private static DeploymentUpdate end(Deployment d, DeploymentStatus status, Instant at, List<DeploymentCheck> checks,
                                        List<DeploymentEvent> events) {
        return new DeploymentUpdate(d.id(), DeploymentStatus.RUNNING, status, null,
                status == DeploymentStatus.SUCCESS ? at : null, at, null, null, checks, events);
    }

    /** Runs {@code updates} as one group on one store and one at a time on the other; both must agree. */
    private List<UpdateOutcome> agree(String leaseOwner, List<DeploymentUpdate> updates, List<Long> ids) {
        List<UpdateOutcome> together = grouped.updateUnderLease(leaseOwner, LEASE, updates);
        List<UpdateOutcome> separately = new ArrayList<>();
        for (DeploymentUpdate u : updates) {
            separately.addAll(oneEach.updateUnderLease(leaseOwner, LEASE, List.of(u)));
        }
        assertThat(together).isEqualTo(separately);
        for (long id : ids) {
            assertThat(grouped.find(id)).as("deployment %s", id).isEqualTo(oneEach.find(id));
            assertThat(grouped.events(id)).as("events of %s", id).isEqualTo(oneEach.events(id));
            assertThat(grouped.lease(id)).as("lease of %s", id).isEqualTo(oneEach.lease(id));
        }
        return together;
    }

    @Test
    void aMixedGroupGivesEachUpdateTheOutcomeAndWritesOfItsOwnStatement() {
        Deployment ours = created("web", "a", 1);
        Deployment twice = created("api", "a", 2);
        Deployment theirs = created("db", "b", 1);
        Deployment failing = created("ui", "a", 0);
        Deployment newCheck = created("jobs", "a", 1);
        Deployment progressOnly = created("cron", "a", 1);
        Deployment ended = created("docs", "a", 0);
        grouped.updateUnderLease("a", LEASE, List.of(end(ended, DeploymentStatus.CANCELLED, clock.instant(), List.of(),
                List.of())));
        oneEach.updateUnderLease("a", LEASE, List.of(end(ended, DeploymentStatus.CANCELLED, clock.instant(), List.of(),
                List.of())));
        clock.advance(Duration.ofSeconds(95));
        Instant at = clock.instant();
        DeploymentCheck added = new DeploymentCheck("approval", CheckRef.of("manual", "ticket", "7"),
                DeploymentStatus.SUCCESS, at.minusSeconds(5), at, at.plusSeconds(60), "approved", false, "ok",
                Duration.ofMinutes(1), Duration.ofHours(1));
        List<DeploymentUpdate> group = List.of(
                end(ours, DeploymentStatus.SUCCESS, at, List.of(progressed(ours.checks().get(0), DeploymentStatus.SUCCESS,
                        at, null)), List.of(event(ours, at, "completed", DeploymentStatus.SUCCESS))),
                // two updates of the same row: the first moves a check on, the second ends the row
                new DeploymentUpdate(twice.id(), DeploymentStatus.RUNNING, null, null, null, null, null, null,
                        List.of(progressed(twice.checks().get(0), DeploymentStatus.SUCCESS, at, "first")),
                        List.of(DeploymentEvent.of(twice.id(), at, "check_finished", "check0", DeploymentStatus.RUNNING,
                                DeploymentStatus.SUCCESS, "success", null))),
                end(twice, DeploymentStatus.FAILED, at, List.of(progressed(twice.checks().get(1), DeploymentStatus.FAILED,
                        at, "x".repeat(5000))), List.of(event(twice, at, "completed", DeploymentStatus.FAILED))),
                end(theirs, DeploymentStatus.SUCCESS, at, List.of(), List.of(event(theirs, at, "completed",
                        DeploymentStatus.SUCCESS))),
                // a start corrected by the source: the chunk's statement then sets started_at too (kept by the others)
                new DeploymentUpdate(failing.id(), DeploymentStatus.RUNNING, DeploymentStatus.FAILED, at.minusSeconds(30),
                        null, at,
                        "deploy", "y".repeat(4500), List.of(), List.of(event(failing, at, "completed",
                        DeploymentStatus.FAILED), event(failing, at, "notified", DeploymentStatus.FAILED))),
                end(newCheck, DeploymentStatus.SUCCESS, at, List.of(added), List.of()),
                new DeploymentUpdate(progressOnly.id(), DeploymentStatus.RUNNING, null, null, at.minusSeconds(1), null,
                        null, null, List.of(progressed(progressOnly.checks().get(0), DeploymentStatus.RUNNING, at,
                        "half")), List.of()),
                end(ended, DeploymentStatus.SUCCESS, at, List.of(), List.of(event(ended, at, "completed",
                        DeploymentStatus.SUCCESS))),
                end(twice, DeploymentStatus.SUCCESS, at, List.of(), List.of()),
                end(ours, DeploymentStatus.FAILED, at, List.of(), List.of()),
                end(new Deployment(987_654, "acme", "gone", "production", "abc1234", false, null, null,
                        DeploymentStatus.RUNNING, at, null, null, null, null, null, List.of(), Map.of()),
                        DeploymentStatus.SUCCESS, at, List.of(), List.of()));
        List<Long> ids = List.of(ours.id(), twice.id(), theirs.id(), failing.id(), newCheck.id(), progressOnly.id(),
                ended.id());

        List<UpdateOutcome> outcomes = agree("a", group, ids);

        assertThat(outcomes).containsExactly(UpdateOutcome.APPLIED, UpdateOutcome.APPLIED, UpdateOutcome.APPLIED,
                UpdateOutcome.LEASE_LOST, UpdateOutcome.APPLIED, UpdateOutcome.APPLIED, UpdateOutcome.APPLIED,
                UpdateOutcome.STATUS_CHANGED, UpdateOutcome.STATUS_CHANGED, UpdateOutcome.STATUS_CHANGED,
                UpdateOutcome.STATUS_CHANGED);
        Deployment twiceNow = grouped.find(twice.id()).orElseThrow();
        assertThat(twiceNow.status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(twiceNow.checks()).extracting(DeploymentCheck::status)
                .containsExactly(DeploymentStatus.SUCCESS, DeploymentStatus.FAILED);
        assertThat(twiceNow.checks().get(1).message()).hasSize(4000).endsWith("...");
        assertThat(grouped.events(twice.id())).extracting(DeploymentEvent::type)
                .containsExactly("started", "check_finished", "completed");
        Deployment failed = grouped.find(failing.id()).orElseThrow();
        assertThat(failed.errorStage()).isEqualTo("deploy");
        assertThat(failed.errorMessage()).hasSize(4000);
        assertThat(failed.startedAt()).isEqualTo(at.minusSeconds(30));
        assertThat(failed.totalDuration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(grouped.find(newCheck.id()).orElseThrow().startedAt()).isEqualTo(newCheck.startedAt());
        assertThat(grouped.find(newCheck.id()).orElseThrow().totalDuration()).isEqualTo(Duration.ofSeconds(95));
        assertThat(grouped.events(failing.id())).extracting(DeploymentEvent::type)
                .containsExactly("started", "completed", "notified");
        assertThat(grouped.find(newCheck.id()).orElseThrow().checks()).extracting(DeploymentCheck::name)
                .containsExactly("check0", "approval");
        Deployment progressed = grouped.find(progressOnly.id()).orElseThrow();
        assertThat(progressed.status()).isEqualTo(DeploymentStatus.RUNNING);
        assertThat(progressed.deployedAt()).isEqualTo(at.minusSeconds(1));
        assertThat(progressed.completedAt()).isNull();
        assertThat(grouped.lease(progressOnly.id()).orElseThrow().until()).isEqualTo(at.plus(LEASE));
        assertThat(grouped.lease(theirs.id()).orElseThrow().owner()).isEqualTo("b");
    }

    @Test
    void aGroupLargerThanAStatementIsSplitAndKeepsItsOrder() {
        List<Deployment> rows = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            rows.add(created("repo" + i, i % 50 == 7 ? "b" : "a", 1));
        }
        clock.advance(Duration.ofSeconds(3));
        Instant at = clock.instant();
        List<DeploymentUpdate> group = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Deployment d = rows.get(i);
            DeploymentStatus status = i % 3 == 0 ? DeploymentStatus.FAILED : DeploymentStatus.SUCCESS;
            group.add(end(d, status, at.plusMillis(i), List.of(progressed(d.checks().get(0), status, at, null)),
                    List.of(event(d, at.plusMillis(i), "completed", status))));
            if (i % 40 == 5) {
                // the same row again, within the same chunk: its status is no longer running
                group.add(end(d, DeploymentStatus.CANCELLED, at, List.of(), List.of()));
            }
        }
        List<Long> ids = rows.stream().map(Deployment::id).toList();

        List<UpdateOutcome> outcomes = agree("a", group, ids);

        assertThat(outcomes).hasSize(308);
        assertThat(outcomes.stream().filter(o -> o == UpdateOutcome.APPLIED).count()).isEqualTo(294);
        assertThat(outcomes.stream().filter(o -> o == UpdateOutcome.LEASE_LOST).count()).isEqualTo(6);
        List<Long> eventIds = new ArrayList<>();
        for (long id : ids) {
            grouped.events(id).stream().filter(e -> e.type().equals("completed")).forEach(e -> eventIds.add(e.id()));
        }
        assertThat(eventIds).as("the events were inserted in the group's order").isSorted().hasSize(294);
    }
}
