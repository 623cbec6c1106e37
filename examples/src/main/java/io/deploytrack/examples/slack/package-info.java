/**
 * Slack notifications from a listener: one message per finished deployment, retried without blocking tracking.
 */
package io.deploytrack.examples.slack;
