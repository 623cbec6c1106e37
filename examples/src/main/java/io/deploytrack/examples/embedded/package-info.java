/**
 * A plain Java host in a few lines: the embedded SQLite store, the NCP source, one deployment started and tracked.
 */
package io.deploytrack.examples.embedded;
