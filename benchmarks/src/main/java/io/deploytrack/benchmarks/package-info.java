/**
 * The benchmarks runner ({@code benchmarks/run}): measures each figure, prints one line per figure and a table against
 * the targets. Not a library: nothing depends on it.
 */
package io.deploytrack.benchmarks;
