package io.deploytrack.git;

import io.deploytrack.core.CommitResolver.Commit;
import io.deploytrack.core.CommitResolver.CommitResolverException;
import io.deploytrack.core.testkit.ManualClock;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The GitHub resolver against a real HTTP server (MockWebServer) playing GitHub Enterprise at {@code /api/v3}. */
class GitHubCommitResolverTest {
    static final String TOKEN = "ghp_s3cr3tT0ken";
    final MockWebServer server = new MockWebServer();
    final ManualClock clock = ManualClock.of(Instant.parse("2026-03-01T10:00:00Z"));
    final List<Duration> waits = new ArrayList<>();
    GitHubCommitResolver resolver;
    String api;

    @BeforeEach
    void start() throws IOException {
        server.start();
        api = server.url("/api/v3").toString();
        resolver = GitHubCommitResolver.fromEnvironment(Map.of("GITHUB_TOKEN", TOKEN)).apiBase(URI.create(api))
                .clock(clock).waiter(d -> {
                    waits.add(d);
                    clock.advance(d);
                }).maxWait(Duration.ofMinutes(2)).build();
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    static String compare(String... shaAndDate) {
        StringBuilder b = new StringBuilder("{\"status\":\"ahead\",\"total_commits\":3,\"commits\":[");
        for (int i = 0; i < shaAndDate.length; i += 2) {
            b.append(i == 0 ? "" : ",").append("{\"sha\":\"").append(shaAndDate[i])
                    .append("\",\"commit\":{\"author\":{\"date\":\"2020-01-01T00:00:00Z\"},\"committer\":{\"date\":\"")
                    .append(shaAndDate[i + 1]).append("\"}}}");
        }
        return b.append("]}").toString();
    }

    RecordedRequest taken() throws InterruptedException {
        RecordedRequest r = server.takeRequest(10, TimeUnit.SECONDS);
        assertThat(r).as("a request reached the server").isNotNull();
        return r;
    }

    @Test
    void readsEveryPageThatTheLinkHeaderNamesWithTheTokenAndGitHubsHeaders() throws Exception {
        server.enqueue(new MockResponse().setBody(compare("aaa1", "2026-02-28T10:00:00Z", "aaa2", "2026-02-28T11:00:00+09:00"))
                .addHeader("ETag", "\"p1\"")
                .addHeader("Link", "<" + api + "/repos/acme/web/compare/c0...c3?per_page=100&page=2>; rel=\"next\", <"
                        + api + "/repos/acme/web/compare/c0...c3?per_page=100&page=2>; rel=\"last\""));
        server.enqueue(new MockResponse().setBody(compare("aaa3", "2026-02-28T12:00:00Z")).addHeader("ETag", "\"p2\""));

        List<Commit> commits = resolver.commitsBetween("acme", "web", "c0", "c3");

        assertThat(commits).containsExactly(new Commit("aaa1", Instant.parse("2026-02-28T10:00:00Z")),
                new Commit("aaa2", Instant.parse("2026-02-28T02:00:00Z")),
                new Commit("aaa3", Instant.parse("2026-02-28T12:00:00Z")));
        RecordedRequest first = taken();
        assertThat(first.getPath()).isEqualTo("/api/v3/repos/acme/web/compare/c0...c3?per_page=100&page=1");
        assertThat(first.getHeader("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(first.getHeader("Accept")).isEqualTo("application/vnd.github+json");
        assertThat(first.getHeader("X-GitHub-Api-Version")).isEqualTo("2022-11-28");
        assertThat(first.getHeader("User-Agent")).isEqualTo("deploytrack");
        assertThat(first.getHeader("If-None-Match")).isNull();
        assertThat(taken().getPath()).isEqualTo("/api/v3/repos/acme/web/compare/c0...c3?per_page=100&page=2");
        assertThat(resolver.toString()).doesNotContain(TOKEN);
    }

    @Test
    void askingAgainSendsTheETagAndA304ReusesTheAnswerKept() throws Exception {
        server.enqueue(new MockResponse().setBody(compare("bbb1", "2026-02-28T10:00:00Z")).addHeader("ETag", "W/\"e1\""));
        server.enqueue(new MockResponse().setResponseCode(304).addHeader("ETag", "W/\"e1\""));

        List<Commit> first = resolver.commitsBetween("acme", "web", "c1", "c2");
        List<Commit> again = resolver.commitsBetween("acme", "web", "c1", "c2");

        assertThat(again).isEqualTo(first).hasSize(1);
        assertThat(taken().getHeader("If-None-Match")).isNull();
        assertThat(taken().getHeader("If-None-Match")).isEqualTo("W/\"e1\"");
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void aRateLimitAnswerIsWaitedOutUntilTheResetAndRetried() throws Exception {
        long reset = clock.instant().plusSeconds(90).getEpochSecond();
        server.enqueue(new MockResponse().setResponseCode(403).setBody("{\"message\":\"API rate limit exceeded\"}")
                .addHeader("x-ratelimit-remaining", "0").addHeader("x-ratelimit-reset", String.valueOf(reset)));
        server.enqueue(new MockResponse().setResponseCode(429).addHeader("retry-after", "7"));
        server.enqueue(new MockResponse().setBody(compare("ccc1", "2026-02-28T10:00:00Z")));

        assertThat(resolver.commitsBetween("acme", "web", "c1", "c2")).extracting(Commit::sha).containsExactly("ccc1");

        assertThat(waits).containsExactly(Duration.ofSeconds(90), Duration.ofSeconds(7));
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void aSuccessThatUsedTheLastRequestMakesTheNextOneWaitForTheReset() throws Exception {
        long reset = clock.instant().plusSeconds(30).getEpochSecond();
        server.enqueue(new MockResponse().setBody(compare("ddd1", "2026-02-28T10:00:00Z"))
                .addHeader("x-ratelimit-remaining", "0").addHeader("x-ratelimit-reset", String.valueOf(reset)));
        server.enqueue(new MockResponse().setBody(compare("ddd2", "2026-02-28T10:00:00Z")));

        resolver.commitsBetween("acme", "web", "c1", "c2");
        assertThat(waits).isEmpty();
        resolver.commitsBetween("acme", "web", "c2", "c3");
        assertThat(waits).containsExactly(Duration.ofSeconds(30));
    }

    @Test
    void aResetTooFarAwayFailsAtOnceSayingWhenWithoutTheToken() {
        Instant resetAt = clock.instant().plusSeconds(3600);
        server.enqueue(new MockResponse().setResponseCode(403).addHeader("x-ratelimit-remaining", "0")
                .addHeader("x-ratelimit-reset", String.valueOf(resetAt.getEpochSecond())));

        assertThatThrownBy(() -> resolver.commitsBetween("acme", "web", "c1", "c2"))
                .isInstanceOf(CommitResolverException.class)
                .hasMessageContaining(resetAt.toString()).hasMessageContaining("acme/web c1...c2")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN));
        assertThat(waits).isEmpty();
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void unknownCommitsAndARefusedTokenAreClearErrorsThatNeverShowTheToken() {
        server.enqueue(new MockResponse().setResponseCode(404).setBody("{\"message\":\"Not Found\"}"));
        server.enqueue(new MockResponse().setResponseCode(401).setBody("{\"message\":\"Bad credentials\"}"));

        assertThatThrownBy(() -> resolver.commitsBetween("acme", "web", "c1", "nope"))
                .isInstanceOf(CommitResolverException.class).hasMessageContaining("404").hasMessageContaining("c1...nope");
        assertThatThrownBy(() -> resolver.commitsBetween("acme", "web", "c1", "c2"))
                .isInstanceOf(CommitResolverException.class).hasMessageContaining("401").hasMessageContaining("GITHUB_TOKEN")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN));
    }

    @Test
    void aNextPageOutsideTheApiIsRefusedSoTheTokenGoesNowhereElse() {
        server.enqueue(new MockResponse().setBody(compare("eee1", "2026-02-28T10:00:00Z"))
                .addHeader("Link", "<https://elsewhere.example/steal?page=2>; rel=\"next\""));

        assertThatThrownBy(() -> resolver.commitsBetween("acme", "web", "c1", "c2"))
                .isInstanceOf(CommitResolverException.class).hasMessageContaining("outside " + api);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aBadApiBaseIsRefusedNamingIt() {
        assertThatThrownBy(() -> GitHubCommitResolver.builder().apiBase(URI.create("ftp://ghe.example/api/v3")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ftp://ghe.example/api/v3");
    }
}
