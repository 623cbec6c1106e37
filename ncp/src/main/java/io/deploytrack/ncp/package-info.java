/**
 * NCP SourceDeploy: the {@link io.deploytrack.ncp.NcpPollingSource} that follows deployments for a
 * {@link io.deploytrack.core.DeploymentTracker}, {@link io.deploytrack.ncp.NcpDeployments} that starts and tracks
 * them in one asynchronous call, the asynchronous
 * {@link io.deploytrack.ncp.NcpClient}, API Gateway signature v2 ({@link io.deploytrack.ncp.NcpSignature}), the
 * status words ({@link io.deploytrack.ncp.NcpStatus}) and the typed error ({@link io.deploytrack.ncp.NcpApiException}).
 */
package io.deploytrack.ncp;
