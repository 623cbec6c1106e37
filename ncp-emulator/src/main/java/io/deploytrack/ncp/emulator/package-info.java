/**
 * An in-process NCP SourceDeploy emulator: {@link io.deploytrack.ncp.emulator.NcpEmulator}, the
 * {@link io.deploytrack.ncp.emulator.NcpScript}s its deployments follow, the
 * {@link io.deploytrack.ncp.emulator.NcpFault}s it can inject, its request log and a
 * {@link io.deploytrack.ncp.emulator.ManualClock} for deterministic tests.
 */
package io.deploytrack.ncp.emulator;
