/**
 * Deterministic test helpers for hosts and for sources written outside the library: a
 * {@link io.deploytrack.core.testkit.ManualClock} and a {@link io.deploytrack.core.testkit.ManualScheduler} that move
 * only when told to, and scripted sources that answer what a test prescribes. The one manual clock of the project:
 * the NCP emulator and the tests of every module use it.
 */
package io.deploytrack.core.testkit;
