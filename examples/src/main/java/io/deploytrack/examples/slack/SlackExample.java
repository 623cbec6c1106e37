package io.deploytrack.examples.slack;

import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.InMemoryHistoryStore;
import io.deploytrack.core.Observation;
import io.deploytrack.core.testkit.ScriptedSource;

import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * Wires {@link SlackNotifier}: {@code SLACK_WEBHOOK_URL=https://hooks.slack.com/services/... java ... SlackExample}.
 * Without the variable it prints what it would post.
 */
public final class SlackExample {
    private SlackExample() {
    }

    /** Tracks one scripted deployment and notifies Slack when it ends. */
    public static void main(String[] args) throws Exception {
        String url = System.getenv("SLACK_WEBHOOK_URL");
        InMemoryHistoryStore store = new InMemoryHistoryStore();
        ScriptedSource source = new ScriptedSource();
        DeploymentTracker.Builder b = DeploymentTracker.builder(store).source(source);
        SlackNotifier notifier = url == null ? null : new SlackNotifier(URI.create(url), store);
        if (notifier != null) {
            b.listener(notifier);
        }
        try (DeploymentTracker tracker = b.build().start()) {
            var h = tracker.track(DeploymentRequest.builder("acme", "test01", "abc1234").build(), source.ref("run-1"));
            source.emit(source.ref("run-1"), Observation.succeeded("success"));
            var d = h.completion().get(10, TimeUnit.SECONDS);
            System.out.println(notifier == null ? "would post: " + SlackNotifier.message(d) : "posted: " + SlackNotifier.message(d));
        }
    }
}
