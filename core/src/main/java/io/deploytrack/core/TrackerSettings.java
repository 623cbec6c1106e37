package io.deploytrack.core;

import java.time.Duration;

/**
 * The settings a {@link DeploymentTracker} runs with, as {@link DeploymentTracker.Builder} set them (defaults filled
 * in), readable through {@link DeploymentTracker#settings()}. Immutable. The collaborators the builder takes (store,
 * sources, listeners, clock, ticker, scheduler, executor) are not settings and are not part of it.
 *
 * @param instanceId             this instance's id, written as the lease owner
 * @param pollInterval           the poll interval of polling sources that set none
 * @param pollJitter             the jitter of poll intervals and backoffs, a fraction from 0 to 0.5
 * @param defaultTimeout         the rollout deadline of a check that sets none
 * @param defaultApprovalTimeout how long a check that sets none may wait for a human's approval
 * @param leaseDuration          how long a lease lasts without renewal; renewed every third of it
 * @param maxBackoff             the cap of the exponential backoff after transient source errors
 * @param notFoundRetries        how often "not found" is retried before a check fails
 * @param claimBatch             how many rows one claim takes at most
 */
public record TrackerSettings(String instanceId, Duration pollInterval, double pollJitter, Duration defaultTimeout,
                              Duration defaultApprovalTimeout, Duration leaseDuration, Duration maxBackoff,
                              int notFoundRetries, int claimBatch) {

    /**
     * Checks every value (the builder has already checked each; this guards direct construction).
     *
     * @throws InvalidRequestException naming the bad value and what is expected
     */
    public TrackerSettings {
        instanceId(instanceId);
        positive("pollInterval", pollInterval);
        jitter(pollJitter);
        positive("defaultTimeout", defaultTimeout);
        positive("defaultApprovalTimeout", defaultApprovalTimeout);
        positive("leaseDuration", leaseDuration);
        positive("maxBackoff", maxBackoff);
        notFoundRetries(notFoundRetries);
        claimBatch(claimBatch);
    }

    /**
     * How long a lease taken now stays safe to act on by this instance's own reckoning: the lease minus a sixth, the
     * margin that keeps two instances from acting on one row when renewals run late.
     */
    public Duration leaseValidity() {
        return leaseDuration.minus(leaseDuration.dividedBy(6));
    }

    static Duration positive(String field, Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new InvalidRequestException(field, field + " " + d + " is not usable: expected a positive duration");
        }
        return d;
    }

    static String instanceId(String id) {
        if (id == null || id.isBlank() || id.length() > 200) {
            throw new InvalidRequestException("instanceId", "instanceId '" + id + "' is not usable: expected 1 to 200 characters");
        }
        return id;
    }

    static double jitter(double jitter) {
        if (!(jitter >= 0 && jitter <= 0.5)) {
            throw new InvalidRequestException("pollJitter", "pollJitter " + jitter + " is not usable: expected 0 to 0.5");
        }
        return jitter;
    }

    static int notFoundRetries(int retries) {
        if (retries < 0 || retries > 100) {
            throw new InvalidRequestException("notFoundRetries", "notFoundRetries " + retries + " is not usable: expected 0 to 100");
        }
        return retries;
    }

    static int claimBatch(int batch) {
        if (batch < 1) {
            throw new InvalidRequestException("claimBatch", "claimBatch " + batch + " is not usable: expected 1 or more");
        }
        return batch;
    }
}
