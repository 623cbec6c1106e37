/**
 * {@code tracker.*}: ten thousand deployments in flight against the NCP emulator, and a thread-per-deployment baseline.
 */
package io.deploytrack.benchmarks.tracker;
