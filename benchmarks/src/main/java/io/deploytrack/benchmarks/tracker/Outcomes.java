package io.deploytrack.benchmarks.tracker;

import io.deploytrack.benchmarks.Figure;
import io.deploytrack.benchmarks.Percentiles;
import io.deploytrack.benchmarks.Probe;
import io.deploytrack.benchmarks.store.SqliteFiles;
import io.deploytrack.jdbc.support.StoredText;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a scale run expected and what it got. A deployment counts as {@code completed} when its completion was
 * reported (right after the row was committed: {@code onCompleted}, or the baseline's own commit) and its stored row
 * is terminal; {@code lost} are the others. {@code wrong_status} counts completed deployments whose stored status is
 * not what the emulator's final word means, or whose stored completion time is not the emulator's end time (to the
 * millisecond, 2 ms of slack). Detection time: from the emulator's end time (in real time: the clock's release plus
 * the deployment's life) to the commit. Wall time: from the release (everything in flight) to the last completion.
 */
public final class Outcomes {
    private final Map<Long, ScaleWorkload.Item> expected = new ConcurrentHashMap<>();
    private final Map<Long, Long> committedAt = new ConcurrentHashMap<>();
    private final AtomicLong duplicates = new AtomicLong();
    private volatile long releasedRealMillis;
    private volatile long releasedEmulatorMillis;

    /** Notes what deployment {@code id} should do. */
    public void expect(long id, ScaleWorkload.Item item) {
        expected.put(id, item);
    }

    /** Notes when the emulator's clock was released: every deployment's life starts then. */
    public void released(Instant real, Instant emulator) {
        releasedRealMillis = real.toEpochMilli();
        releasedEmulatorMillis = emulator.toEpochMilli();
    }

    /** Notes that deployment {@code id}'s terminal row was committed at {@code millis} (epoch). */
    public void committed(long id, long millis) {
        if (committedAt.putIfAbsent(id, millis) != null) {
            duplicates.incrementAndGet();
        }
    }

    /** How many completions were reported so far. */
    public int completions() {
        return committedAt.size();
    }

    private static Instant completedAt(ResultSet rs) throws SQLException {
        Object v = rs.getObject("completed_at");
        if (v == null) {
            return null;
        }
        if (v instanceof java.sql.Timestamp ts) {
            return ts.toInstant();
        }
        if (v instanceof java.time.OffsetDateTime odt) {
            return odt.toInstant();
        }
        return StoredText.parseTime(v.toString());
    }

    /** Completion reports beyond the first per deployment (must be 0). */
    public long duplicates() {
        return duplicates.get();
    }

    /** Checks the stored rows of {@code file} (ids as noted) and builds the figure. */
    public Figure figure(String name, Path file, Probe probe, long apiCalls, double wallSeconds) throws SQLException {
        try (Connection c = SqliteFiles.connect(file)) {
            return figure(name, c, probe, apiCalls, wallSeconds);
        }
    }

    /** As {@link #figure(String, Path, Probe, long, double)}, reading the rows through {@code c}. */
    public Figure figure(String name, Connection c, Probe probe, long apiCalls, double wallSeconds) throws SQLException {
        int completed = 0;
        int wrong = 0;
        List<Long> detect = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, status, completed_at FROM deployment_histories")) {
            while (rs.next()) {
                long id = rs.getLong("id");
                ScaleWorkload.Item e = expected.get(id);
                Long commit = committedAt.get(id);
                String status = rs.getString("status");
                if (e == null || commit == null || "running".equals(status)) {
                    continue;
                }
                completed++;
                Instant end = completedAt(rs);
                long life = e.duration().toMillis();
                long endError = end == null ? Long.MAX_VALUE : end.toEpochMilli() - (releasedEmulatorMillis + life);
                if (!e.expected().word().equals(status) || Math.abs(endError) > 2) {
                    wrong++;
                }
                detect.add(commit - (releasedRealMillis + life));
            }
        }
        long[] ms = detect.stream().mapToLong(Long::longValue).toArray();
        int deployments = expected.size();
        return new Figure(name)
                .put("deployments", deployments)
                .put("completed", completed)
                .put("lost", deployments - completed)
                .put("wrong_status", wrong)
                .put("threads_peak", probe.threadsPeak())
                .put("heap_peak_mb", probe.heapPeakMb(), 1)
                .put("api_calls_per_deployment", deployments == 0 ? 0 : (double) apiCalls / deployments, 3)
                .put("detect_p50_ms", Percentiles.of(ms, 50))
                .put("detect_p99_ms", Percentiles.of(ms, 99))
                .put("wall_s", wallSeconds, 1);
    }
}
