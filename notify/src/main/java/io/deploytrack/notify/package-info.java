/**
 * Notifications delivered from the event log: {@link io.deploytrack.notify.Notifier} reads
 * {@code deployment_events} (written in the same transaction as every transition), queues what each
 * {@link io.deploytrack.notify.NotificationChannel} wants in {@code deployment_notifications} (once per channel and
 * event), and delivers it with retries; {@link io.deploytrack.notify.NotificationLog} lists and replays deliveries.
 * Channels: {@link io.deploytrack.notify.SlackChannel}, {@link io.deploytrack.notify.WebhookChannel} (signed
 * CloudEvents; receivers check them with {@link io.deploytrack.notify.WebhookVerifier}),
 * {@link io.deploytrack.notify.GitHubChannel}.
 */
package io.deploytrack.notify;
