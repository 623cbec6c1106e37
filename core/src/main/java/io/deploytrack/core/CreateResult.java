package io.deploytrack.core;

/**
 * What {@link HistoryStore#create} did.
 *
 * @param deployment the stored deployment: the new one, or the existing one with the same idempotency key or the
 *                   same running identity
 * @param created    whether a new row was written
 * @param leaseOwner who holds the row's lease now (null when free or terminal)
 */
public record CreateResult(Deployment deployment, boolean created, String leaseOwner) {
}
