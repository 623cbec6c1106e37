/**
 * Live progress for a web UI: the tracker's changes as a {@link java.util.concurrent.Flow.Publisher}, served as
 * Server-Sent Events.
 */
package io.deploytrack.examples.live;
