/**
 * An in-process NCP SourceDeploy emulator: {@link io.deploytrack.ncp.emulator.NcpEmulator}, the
 * {@link io.deploytrack.ncp.emulator.NcpScript}s its deployments follow, the
 * {@link io.deploytrack.ncp.emulator.NcpFault}s it can inject and its request log. It runs on any
 * {@link java.time.Clock}: give it core's {@code io.deploytrack.core.testkit.ManualClock} for deterministic tests.
 */
package io.deploytrack.ncp.emulator;
