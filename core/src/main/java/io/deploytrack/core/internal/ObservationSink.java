package io.deploytrack.core.internal;

import io.deploytrack.core.DeploymentEvent;
import io.deploytrack.core.Observation;

/**
 * Where the followers ({@link PollDriver}, pushed observations) hand what they learnt from a source. Implemented by
 * {@link CheckProgress}; the followers know only this, so they do not depend on the state machine.
 */
interface ObservationSink {

    /** Applies one observation of one check of {@code t}. Runs on a worker; may write to the store. */
    void observe(Tracked t, String checkName, Observation o);

    /**
     * As {@link #observe}, for an observation pushed by {@code via}; the event log names the path if it ends the check.
     * {@code pushId} is the recorded push (0 when it was never recorded): it is forgotten only once what it changed is
     * committed, and released to be taken again when that write fails.
     */
    void observePushed(Tracked t, String checkName, Observation o, String via, long pushId);

    /**
     * A "not found" from the source of a check whose deadline, counted from its start, has already passed: no
     * eventual consistency explains it (the source no longer knows the deployment), so it is final at the first
     * answer. Ends the check {@code timed_out} at that deadline and returns true; returns false (retry as usual)
     * while the deadline is still ahead.
     */
    boolean notFoundPastDeadline(Tracked t, String checkName, String message);

    /** Records an event that changes no status (a failed poll), best effort: a failed write is logged, not thrown. */
    void note(DeploymentEvent event);
}
