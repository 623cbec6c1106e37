/**
 * {@code maintenance.*}: the store's maintenance ({@code repair}) on a host's adopted table of damaged rows.
 */
package io.deploytrack.benchmarks.maintenance;
