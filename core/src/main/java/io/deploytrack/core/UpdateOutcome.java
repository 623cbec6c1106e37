package io.deploytrack.core;

/**
 * What became of one update of a group commit ({@link HistoryStore#updateUnderLease}).
 */
public enum UpdateOutcome {
    /** The update was written, and the lease extended. */
    APPLIED,
    /** The deployment no longer has the expected status, or is gone: nothing of this update was written. */
    STATUS_CHANGED,
    /** The caller no longer holds the deployment's lease: nothing of this update was written. */
    LEASE_LOST
}
