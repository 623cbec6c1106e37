/**
 * Where insights' commit times come from ({@link io.deploytrack.core.CommitResolver}): GitHub's REST compare API
 * ({@link io.deploytrack.git.GitHubCommitResolver}) and a local clone through the {@code git} binary
 * ({@link io.deploytrack.git.LocalGitCommitResolver}).
 */
package io.deploytrack.git;
