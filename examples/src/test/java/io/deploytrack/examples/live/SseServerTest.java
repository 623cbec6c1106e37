package io.deploytrack.examples.live;

import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.InMemoryHistoryStore;
import io.deploytrack.core.Observation;
import io.deploytrack.core.testkit.ScriptedWatchingSource;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class SseServerTest {

    @Test
    void aClientSeesStartedStatusChangesAndCompletionInOrder() throws Exception {
        ScriptedWatchingSource source = ScriptedWatchingSource.of();
        try (DeploymentFeed feed = new DeploymentFeed(Executors.newSingleThreadExecutor(), 64, Clock.systemUTC());
             SseServer sse = new SseServer(feed, "127.0.0.1", 0);
             DeploymentTracker tracker = DeploymentTracker.builder(InMemoryHistoryStore.of()).source(source)
                     .listener(feed).build().start()) {
            HttpResponse<Stream<String>> resp = HttpClient.newHttpClient().sendAsync(
                    HttpRequest.newBuilder(sse.eventsUri()).build(), HttpResponse.BodyHandlers.ofLines()).get(10, TimeUnit.SECONDS);
            assertThat(resp.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
            Iterator<String> lines = resp.body().iterator();
            assertThat(lines.next()).isEqualTo(": connected");

            var ref = source.ref("r1");
            var h = tracker.track(DeploymentRequest.builder("acme", "web", "abc1234").build(), ref);
            source.emit(ref, Observation.inProgress("waiting"));
            source.emit(ref, Observation.inProgress("inprogress"));
            source.emit(ref, Observation.succeeded("success"));
            h.completion().get(10, TimeUnit.SECONDS);

            List<String> events = new ArrayList<>();
            List<String> data = new ArrayList<>();
            while (data.size() < 4) {
                String line = lines.next();
                if (line.startsWith("event: ")) {
                    events.add(line.substring(7));
                } else if (line.startsWith("data: ")) {
                    data.add(line.substring(6));
                }
            }
            assertThat(events).containsExactly("started", "status", "status", "completed");
            assertThat(data.get(1)).contains("\"sourceStatus\":\"waiting\"");
            assertThat(data.get(2)).contains("\"sourceStatus\":\"inprogress\"");
            assertThat(data.get(3)).contains("\"status\":\"success\"").contains("\"project\":\"acme/web\"");
            resp.body().close();
        }
    }
}
