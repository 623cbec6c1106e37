package io.deploytrack.jdbc;

import io.deploytrack.jdbc.internal.Connections;
import io.deploytrack.jdbc.internal.HostTimes;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The maintenance of a store's database, as {@code deploytrack doctor} and {@code repair} do it: {@link #diagnose()}
 * reads every row and finds the problems, {@link #plan} says what repair would change, {@link #apply} changes it in
 * whole steps, each its own short write transaction (a merge, a resolution, the fill of one row), so that other
 * writers get in between and a process killed during repair leaves whole steps done, which a rerun does not repeat.
 * Each change is a compare-and-set, so a row a tracker changed meanwhile is skipped, never overwritten. Obtained from
 * {@link JdbcHistoryStore#maintenance()}.
 */
public final class StoreMaintenance {

    /**
     * What {@link #apply} did.
     *
     * @param done     one line per change made
     * @param leftAsIs what was left as it is, and why (the plan's, and what changed while repair ran)
     */
    public record RepairResult(List<String> done, List<String> leftAsIs) {
        /** Copies the lists. */
        public RepairResult {
            done = List.copyOf(done);
            leftAsIs = List.copyOf(leftAsIs);
        }
    }

    /** Told after each step of {@link #apply} has been committed (e.g. to show progress). */
    @FunctionalInterface
    public interface StepListener {
        /**
         * Called on the applying thread between two steps, with no transaction open.
         *
         * @param done what the step did (or why it changed nothing), for people
         */
        void committed(String done);
    }

    private final Connections connections;
    private final AdoptionSettings settings;
    private final HostTimes times;
    private final Clock clock;
    private final String description;

    StoreMaintenance(Connections connections, AdoptionSettings settings, HostTimes times, Clock clock, String description) {
        this.connections = connections;
        this.settings = settings;
        this.times = times;
        this.clock = clock;
        this.description = description;
    }

    /**
     * Reads every row and finds the problems.
     *
     * @throws StoreException when the database cannot be read
     */
    public Diagnosis diagnose() {
        try {
            return connections.read(c -> Diagnosis.read(c, connections.dialect(), settings, times, clock.instant()));
        } catch (SQLException e) {
            throw new StoreException("cannot diagnose " + description + ": " + e.getMessage(), e);
        }
    }

    /** What repair would change; {@code sources} says which stale rows can be asked about (nothing is asked yet). */
    public RepairPlan plan(Diagnosis diagnosis, RepairSources sources) {
        return RepairPlan.of(diagnosis, sources);
    }

    /**
     * Applies a plan: asks the sources about stale rows and about ended rows that lack their times first (outside any
     * transaction), then writes each step in its own transaction. Rows it ends are recorded in events and counted as
     * notified, so no listener announces old news; with {@code notify} their terminal event is a {@code completed} one
     * and they are left for the next tracker's {@code onCompleted}.
     *
     * @throws StoreException when the database cannot be written (the steps committed before stay done)
     */
    public RepairResult apply(RepairPlan plan, RepairSources sources, Duration sourceTimeout, boolean notify) {
        return apply(plan, sources, sourceTimeout, notify, done -> { });
    }

    /**
     * As {@link #apply(RepairPlan, RepairSources, Duration, boolean)}, telling {@code listener} after each committed
     * step.
     *
     * @throws StoreException when the database cannot be written (the steps committed before stay done)
     */
    public RepairResult apply(RepairPlan plan, RepairSources sources, Duration sourceTimeout, boolean notify,
                              StepListener listener) {
        RepairRun run = new RepairRun(connections, settings, times, plan, notify, listener);
        try {
            run.ask(sources, sourceTimeout);
            run.write();
        } catch (SQLException e) {
            throw new StoreException("cannot repair " + description + " (" + run.done().size() + " steps done before "
                    + "the failure stay done; run repair again to finish): " + e.getMessage(), e);
        }
        return new RepairResult(run.done(), run.leftAsIs());
    }
}
