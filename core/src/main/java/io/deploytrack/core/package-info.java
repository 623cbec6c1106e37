/**
 * deploytrack's core: the immutable model ({@link io.deploytrack.core.Deployment}, its checks, statuses and their
 * allowed transitions), the {@link io.deploytrack.core.DeploymentTracker} that records a deployment and follows it to a
 * terminal state, the read side ({@link io.deploytrack.core.DeploymentHistory}, rollback targets), and the seams: a
 * status source ({@link io.deploytrack.core.PollingSource} or {@link io.deploytrack.core.WatchingSource}), a
 * {@link io.deploytrack.core.HistoryStore} (with an in-memory one here) and
 * {@link io.deploytrack.core.DeploymentListener}s. Helpers that deploytrack's own modules share (the {@code --json}
 * fields, key-value log lines, daemon threads, the callback signature, one backoff) live in
 * {@code io.deploytrack.core.support}: for deploytrack modules; may change. Depends on slf4j-api only.
 */
package io.deploytrack.core;
