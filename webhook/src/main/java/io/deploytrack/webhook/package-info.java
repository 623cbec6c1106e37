/**
 * deploytrack's push source: {@link io.deploytrack.webhook.WebhookPushSource} turns signed HTTP callbacks (deploytrack's
 * own, GitHub {@code deployment_status}) into observations; {@link io.deploytrack.webhook.WebhookReceiver} is the
 * framework-free handler, {@link io.deploytrack.webhook.WebhookServer} the standalone server (a small HTTP/1.1 server
 * of its own, bounded against slow clients).
 */
package io.deploytrack.webhook;
