package io.deploytrack.core;

import java.time.Instant;

/**
 * Who follows a running deployment, until when.
 *
 * @param owner the instance id, or null when free
 * @param until when the lease expires unless renewed, or null
 */
public record LeaseInfo(String owner, Instant until) {
}
