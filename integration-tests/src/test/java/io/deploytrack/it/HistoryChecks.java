package io.deploytrack.it;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentEvent;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.HistoryQuery;
import io.deploytrack.core.HistoryStore;
import io.deploytrack.ncp.NcpPollingSource;
import io.deploytrack.ncp.emulator.EmulatorRequest;
import io.deploytrack.ncp.emulator.NcpEmulator;
import io.deploytrack.ncp.emulator.RequestKind;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The checks every test here makes of the history a run left, and of the emulator's request log. */
final class HistoryChecks {

    private HistoryChecks() {
    }

    /** Opens a raw connection to the history's database, for the columns the store's API does not show. */
    @FunctionalInterface
    interface Database {
        Connection open() throws SQLException;
    }

    static long count(Database db, String sql) {
        try (Connection c = db.open(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new AssertionError("query failed: " + sql, e);
        }
    }

    /** Rows still running, or ended but not yet notified: 0 once every deployment ended and was notified. */
    static long unfinished(Database db) {
        return count(db, "SELECT count(*) FROM deployment_histories WHERE status = 'running' OR NOT completion_notified "
                + "OR lease_owner IS NOT NULL");
    }

    static List<Deployment> rows(HistoryStore store) {
        return store.list(HistoryQuery.all(10_000));
    }

    /**
     * Every row the run left: {@code expected} of them, one per deployment NCP started (history ids and idempotency
     * keys unique and matching the emulator's deploy log), each terminal with the status its script gives (by the
     * scenario recorded and by NCP's own final word), each with exactly one {@code completed} event.
     */
    static void endedOnceWithTheirScriptsStatus(HistoryStore store, NcpEmulator ncp, int expected) {
        List<Deployment> rows = rows(store);
        assertThat(rows).as("rows in the history").hasSize(expected);

        Set<Long> deployed = ncp.requests().stream()
                .filter(r -> r.kind() == RequestKind.DEPLOY || r.kind() == RequestKind.DEPLOY_REQUEST)
                .filter(r -> r.responseStatus() == 200)
                .map(EmulatorRequest::historyId).collect(Collectors.toSet());
        assertThat(deployed).as("deployments NCP started").hasSize(expected);
        List<Long> historyIds = rows.stream().map(Scripts::historyId).toList();
        assertThat(historyIds).as("one row per NCP history id").doesNotHaveDuplicates();
        assertThat(new HashSet<>(historyIds)).as("the rows are exactly the deployments NCP started").isEqualTo(deployed);
        List<String> keys = rows.stream().map(Deployment::idempotencyKey).toList();
        assertThat(keys).as("idempotency keys").doesNotHaveDuplicates().doesNotContainNull();
        for (Deployment d : rows) {
            assertThat(d.idempotencyKey()).isEqualTo(NcpPollingSource.keyOf(Scripts.projectId(d), Scripts.historyId(d)));
        }

        Map<String, List<Long>> wrong = new TreeMap<>();
        Map<DeploymentStatus, Integer> byStatus = new TreeMap<>();
        for (Deployment d : rows) {
            byStatus.merge(d.status(), 1, Integer::sum);
            DeploymentStatus expectedStatus = Scripts.expected(d);
            DeploymentStatus ncpSays = Scripts.statusOfWord(ncp.status(Scripts.projectId(d), Scripts.historyId(d)));
            if (d.status() != expectedStatus || ncpSays != expectedStatus) {
                wrong.computeIfAbsent("expected " + expectedStatus + ", NCP " + ncpSays + ", recorded " + d.status(),
                        k -> new ArrayList<>()).add(d.id());
            }
            if (d.isTerminal()) {
                assertThat(d.completedAt()).as("completedAt of %s", d.id()).isNotNull();
            }
        }
        assertThat(wrong).as("deployments that did not end with their script's status (by status: %s)", byStatus)
                .isEmpty();
        assertThat(byStatus.keySet()).as("statuses recorded")
                .containsExactlyInAnyOrder(DeploymentStatus.SUCCESS, DeploymentStatus.FAILED, DeploymentStatus.CANCELLED);

        Map<Long, Long> completedEvents = new HashMap<>();
        for (Deployment d : rows) {
            List<DeploymentEvent> events = store.events(d.id());
            completedEvents.put(d.id(), events.stream().filter(e -> e.type().equals("completed")).count());
        }
        assertThat(completedEvents.entrySet().stream().filter(e -> e.getValue() != 1).toList())
                .as("deployments whose event log does not show exactly one 'completed' transition").isEmpty();
    }

    /** What {@link #handovers} found. */
    record Handovers(int count, Duration minGap, Map<Long, List<String>> violations) {
    }

    /**
     * Per history id, the detail calls (the only calls that name one id) in time order, and each pair of consecutive
     * calls made by two different instances (told apart by their User-Agent): a handover. Two instances must never
     * poll one deployment in the same lease period. The tracker polls only until a sixth of the lease before it
     * expires (its own safety margin), and another instance claims the row only once it has expired, so at every
     * handover the two calls are at least {@code lease / 6} apart; a smaller gap, or calls that interleave, would
     * mean two instances followed the deployment at once.
     */
    static Handovers handovers(NcpEmulator ncp, Duration lease, Set<String> instances) {
        Duration margin = lease.dividedBy(6);
        Map<Long, List<EmulatorRequest>> byId = new TreeMap<>();
        for (EmulatorRequest r : ncp.requests(RequestKind.DETAIL)) {
            String who = Instances.instanceOf(r.userAgent());
            assertThat(who).as("User-Agent of %s", r).isIn(instances);
            byId.computeIfAbsent(r.historyId(), k -> new ArrayList<>()).add(r);
        }
        int count = 0;
        Duration min = null;
        Map<Long, List<String>> violations = new TreeMap<>();
        for (Map.Entry<Long, List<EmulatorRequest>> e : byId.entrySet()) {
            List<EmulatorRequest> rs = new ArrayList<>(e.getValue());
            rs.sort(Comparator.comparing(EmulatorRequest::time));
            for (int i = 1; i < rs.size(); i++) {
                EmulatorRequest prev = rs.get(i - 1);
                EmulatorRequest cur = rs.get(i);
                String a = Instances.instanceOf(prev.userAgent());
                String b = Instances.instanceOf(cur.userAgent());
                if (a.equals(b)) {
                    continue;
                }
                count++;
                Duration gap = Duration.between(prev.time(), cur.time());
                if (min == null || gap.compareTo(min) < 0) {
                    min = gap;
                }
                if (gap.compareTo(margin) < 0) {
                    violations.computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                            .add(a + " at " + prev.time() + " then " + b + " at " + cur.time() + " (" + gap.toMillis() + " ms)");
                }
            }
        }
        return new Handovers(count, min, violations);
    }
}
