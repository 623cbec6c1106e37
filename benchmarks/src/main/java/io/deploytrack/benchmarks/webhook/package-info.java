/**
 * {@code webhook.detect}: how soon a signed push ends a deployment, from the POST to the committed terminal row, with
 * the polling figure beside it.
 */
package io.deploytrack.benchmarks.webhook;
