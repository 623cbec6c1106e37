/**
 * deploytrack's core: the immutable model ({@link io.deploytrack.core.Deployment}, its checks, statuses and their
 * allowed transitions), the {@link io.deploytrack.core.DeploymentTracker} that records a deployment and follows it to a
 * terminal state, the read side ({@link io.deploytrack.core.DeploymentHistory}, rollback targets), and the seams: a
 * status source ({@link io.deploytrack.core.PollingSource} or {@link io.deploytrack.core.WatchingSource}), a
 * {@link io.deploytrack.core.HistoryStore} (with an in-memory one here) and
 * {@link io.deploytrack.core.DeploymentListener}s. Small helpers shared by deploytrack's modules and extensions:
 * {@link io.deploytrack.core.DeploymentFields} (the {@code --json} fields of a deployment),
 * {@link io.deploytrack.core.KeyValueLog} (key-value log lines) and {@link io.deploytrack.core.DaemonThreads}.
 * Depends on slf4j-api only.
 */
package io.deploytrack.core;
