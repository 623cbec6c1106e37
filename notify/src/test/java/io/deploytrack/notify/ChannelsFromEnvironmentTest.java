package io.deploytrack.notify;

import io.deploytrack.core.DeploymentStatus;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The CLI's channels come from the environment; a bad value is named with what is expected, never repeating a secret. */
class ChannelsFromEnvironmentTest {

    @Test
    void eachVariableMakesItsChannelWithTheSharedFilters() {
        List<NotificationChannel> channels = ChannelsFromEnvironment.channels(Map.of(
                "DEPLOYTRACK_SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T0/B0/secret-path",
                "DEPLOYTRACK_SLACK_STARTED", "true",
                "DEPLOYTRACK_SLACK_LANGUAGE", "ko",
                "DEPLOYTRACK_WEBHOOK_URL", "https://ops.example.com/deploys",
                "DEPLOYTRACK_WEBHOOK_SIGNING_SECRET", "whsec",
                "DEPLOYTRACK_GITHUB_TOKEN", "ghp_x",
                "DEPLOYTRACK_GITHUB_API_URL", "https://ghe.example.com/api/v3",
                "DEPLOYTRACK_NOTIFY_PROJECTS", "acme/web, acme/api",
                "DEPLOYTRACK_NOTIFY_ENVIRONMENTS", "production"));
        assertThat(channels).extracting(NotificationChannel::name).containsExactly("slack", "webhook", "github");
        SlackChannel slack = (SlackChannel) channels.get(0);
        assertThat(slack.templates()).isEqualTo(SlackTemplates.KOREAN);
        assertThat(slack.filter().statuses()).contains(DeploymentStatus.RUNNING, DeploymentStatus.FAILED);
        assertThat(slack.filter().projects()).containsExactlyInAnyOrder("acme/web", "acme/api");
        assertThat(slack.filter().accepts(DeploymentStatus.SUCCESS, "acme", "web", "production")).isTrue();
        assertThat(slack.filter().accepts(DeploymentStatus.SUCCESS, "acme", "web", "staging")).isFalse();
        assertThat(slack.filter().accepts(DeploymentStatus.SUCCESS, "acme", "db", "production")).isFalse();
        assertThat(channels.get(1).filter().statuses()).as("the webhook sends starts by default")
                .contains(DeploymentStatus.RUNNING);
        assertThat(channels.get(2).filter().statuses()).as("GitHub needs the start").contains(DeploymentStatus.RUNNING);
        assertThat(channels.toString()).doesNotContain("secret-path", "whsec", "ghp_x");
        assertThat(ChannelsFromEnvironment.channels(Map.of())).isEmpty();
    }

    @Test
    void theReceiversSecretsAreNotANotificationSetting() {
        // a shell that runs both 'webhook serve' and a tracking command holds the receiver's secret, old name or new
        assertThat(ChannelsFromEnvironment.channels(Map.of("DEPLOYTRACK_WEBHOOK_SECRET", "in",
                "DEPLOYTRACK_RECEIVER_SECRET", "in2"))).isEmpty();
        List<NotificationChannel> both = ChannelsFromEnvironment.channels(Map.of("DEPLOYTRACK_RECEIVER_SECRET", "in",
                "DEPLOYTRACK_WEBHOOK_URL", "https://ops.example.com/deploys", "DEPLOYTRACK_WEBHOOK_SIGNING_SECRET", "out"));
        assertThat(both).extracting(NotificationChannel::name).containsExactly("webhook");
    }

    @Test
    void aBadValueNamesTheVariableAndWhatIsExpected() {
        assertThatThrownBy(() -> ChannelsFromEnvironment.channels(Map.of("DEPLOYTRACK_WEBHOOK_URL", "https://x.example/h")))
                .hasMessage("DEPLOYTRACK_WEBHOOK_URL is set but DEPLOYTRACK_WEBHOOK_SIGNING_SECRET is not: set the shared "
                        + "secret the receiver verifies signatures with");
        assertThatThrownBy(() -> ChannelsFromEnvironment.channels(Map.of("DEPLOYTRACK_WEBHOOK_URL", "https://x.example/h",
                "DEPLOYTRACK_WEBHOOK_SECRET", "receiver-secret")))
                .as("the receiver's former variable does not sign notifications, and the message says so")
                .hasMessageContaining("DEPLOYTRACK_WEBHOOK_SIGNING_SECRET is not")
                .hasMessageContaining("DEPLOYTRACK_WEBHOOK_SECRET no longer signs notifications")
                .message().doesNotContain("receiver-secret");
        assertThatThrownBy(() -> ChannelsFromEnvironment.channels(Map.of("DEPLOYTRACK_WEBHOOK_SIGNING_SECRET", "s")))
                .hasMessageContaining("DEPLOYTRACK_WEBHOOK_SIGNING_SECRET is set but DEPLOYTRACK_WEBHOOK_URL is not");
        assertThatThrownBy(() -> ChannelsFromEnvironment.channels(Map.of("DEPLOYTRACK_SLACK_WEBHOOK_URL",
                "hooks.slack.com/services/T0/B0/secret-path")))
                .hasMessageContaining("DEPLOYTRACK_SLACK_WEBHOOK_URL").hasMessageContaining("https://")
                .message().doesNotContain("secret-path");
        assertThatThrownBy(() -> ChannelsFromEnvironment.channels(Map.of("DEPLOYTRACK_SLACK_WEBHOOK_URL",
                "https://hooks.slack.com/x", "DEPLOYTRACK_NOTIFY_STATUSES", "success,exploded")))
                .hasMessageContaining("'exploded'").hasMessageContaining("started, success, failed, cancelled, timed_out");
        assertThatThrownBy(() -> ChannelsFromEnvironment.channels(Map.of("DEPLOYTRACK_SLACK_WEBHOOK_URL",
                "https://hooks.slack.com/x", "DEPLOYTRACK_NOTIFY_PROJECTS", "web")))
                .hasMessageContaining("DEPLOYTRACK_NOTIFY_PROJECTS").hasMessageContaining("owner/repo");
        assertThatThrownBy(() -> ChannelsFromEnvironment.channels(Map.of("DEPLOYTRACK_SLACK_WEBHOOK_URL",
                "https://hooks.slack.com/x", "DEPLOYTRACK_SLACK_LANGUAGE", "fr")))
                .hasMessageContaining("expected en or ko");
    }
}
