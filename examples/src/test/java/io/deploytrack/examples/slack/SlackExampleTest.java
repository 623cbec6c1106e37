package io.deploytrack.examples.slack;

import io.deploytrack.notify.Delivery;
import io.deploytrack.notify.DeliveryStatus;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The Slack example posts one message per end, a retried outage included, and logs each delivery. */
class SlackExampleTest {
    @TempDir
    Path dir;

    @Test
    void eachEndIsAnnouncedOnceEvenThroughAnOutage() throws Exception {
        try (MockWebServer slack = new MockWebServer()) {
            slack.enqueue(new MockResponse().setResponseCode(503));
            slack.enqueue(new MockResponse().setResponseCode(503));
            slack.enqueue(new MockResponse().setBody("ok"));
            slack.enqueue(new MockResponse().setBody("ok"));
            slack.start();
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            List<Delivery> log = SlackExample.run(slack.url("/services/T000/B000/secret").uri(), false, dir,
                    new PrintStream(printed, true, StandardCharsets.UTF_8), Duration.ofMillis(100));
            assertThat(printed.toString(StandardCharsets.UTF_8)).contains("announced both");
            assertThat(log).hasSize(2).allSatisfy(d -> assertThat(d.status()).isEqualTo(DeliveryStatus.DELIVERED));
            List<String> bodies = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                RecordedRequest r = slack.takeRequest(10, TimeUnit.SECONDS);
                bodies.add(r.getBody().readUtf8());
            }
            assertThat(bodies.stream().distinct()).containsExactlyInAnyOrder(
                    "{\"text\":\"acme/web deployed to production in 45 s\"}",
                    "{\"text\":\"acme/api deployment of b7e01d4 to production failed after 12 s: scripted: stage 'build' failed\"}");
            assertThat(slack.getRequestCount()).isEqualTo(4);
        }
    }
}
