package io.deploytrack.notify;

import io.deploytrack.jdbc.JdbcHistoryStore;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * The child process of {@link CrashSafetyTest}: delivers the webhook notifications of a SQLite file, one at a time,
 * until it is killed. Arguments: the database file, the webhook URL, the secret.
 */
public final class NotifyChild {
    private NotifyChild() {
    }

    /** Runs until killed. */
    public static void main(String[] args) {
        JdbcHistoryStore store = JdbcHistoryStore.sqlite(Path.of(args[0]));
        Notifier notifier = Notifier.builder(store).instanceId("child")
                .channel(WebhookChannel.builder(URI.create(args[1]), args[2]).endsOnly().build())
                .batchSize(1).pollInterval(Duration.ofMillis(50)).leaseDuration(Duration.ofSeconds(2))
                .build().start();
        System.out.println("child-ready " + notifier.instanceId());
        System.out.flush();
        while (true) {
            LockSupport.parkNanos(1_000_000_000L);
        }
    }
}
