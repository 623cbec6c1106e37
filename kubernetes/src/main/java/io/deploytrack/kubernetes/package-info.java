/**
 * Kubernetes rollouts for deploytrack: kubectl's rules ({@link io.deploytrack.kubernetes.RolloutStatus}),
 * image references ({@link io.deploytrack.kubernetes.ImageReference}), what identifies one rollout attempt
 * ({@link io.deploytrack.kubernetes.RolloutTarget}) and how to start and judge one
 * ({@link io.deploytrack.kubernetes.KubernetesRollouts}).
 */
package io.deploytrack.kubernetes;
