/**
 * deploytrack's push source: {@link io.deploytrack.webhook.WebhookSource} turns signed HTTP callbacks (deploytrack's
 * own, GitHub {@code deployment_status}) into observations; {@link io.deploytrack.webhook.WebhookReceiver} is the
 * framework-free handler, {@link io.deploytrack.webhook.WebhookServer} the standalone server on the JDK's HTTP server.
 */
package io.deploytrack.webhook;
