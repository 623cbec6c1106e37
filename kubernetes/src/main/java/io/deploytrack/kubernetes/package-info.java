/**
 * Kubernetes rollouts for deploytrack: kubectl's rules ({@link io.deploytrack.kubernetes.RolloutStatus}),
 * image references ({@link io.deploytrack.kubernetes.ImageReference}), what identifies one rollout attempt
 * ({@link io.deploytrack.kubernetes.RolloutTarget}), how to start and judge one
 * ({@link io.deploytrack.kubernetes.KubernetesRollouts}), and the status source that follows one for a
 * {@link io.deploytrack.core.DeploymentTracker} ({@link io.deploytrack.kubernetes.KubernetesWatchingSource}).
 */
package io.deploytrack.kubernetes;
