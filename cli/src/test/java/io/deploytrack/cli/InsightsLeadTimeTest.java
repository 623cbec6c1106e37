package io.deploytrack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.DeploymentUpdate;
import io.deploytrack.core.HistoryStore;
import io.deploytrack.jdbc.JdbcHistoryStore;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code insights --git DIR} and {@code insights --github} through the real command: a real SQLite file, a real git
 * repository made in the test with the git binary (committer times set exactly), and a real HTTP server
 * (MockWebServer) playing GitHub Enterprise at {@code /api/v3}.
 *
 * <p>The history (acme/web, production; window 2026-03-01T00:00Z plus 28 days):
 * <pre>
 *   commits  g0 03-01 08:00   g1 03-02 06:00   g2 03-02 09:00   g3 03-04 10:00   (committer times, UTC)
 *   D0  g0  03-01 09:00 -> 09:10   the target's first deployment: carries no lead time
 *   D1  g2  03-02 10:00 -> 10:10   carries g1 (15000 s to live, 14400 s to start) and g2 (4200 s, 3600 s)
 *   F1  g3  03-04 11:00 -> 11:01   failed: never reached production, carries nothing
 *   D2  g3  03-05 10:00 -> 10:20   carries g3 (87600 s to live, 86400 s to start)
 * </pre>
 * Lead times sorted 4200, 15000, 87600: median 15000 s, p90 at rank ceil(0.9 * 3) = 3: 87600 s; under a day: elite.
 * Commit to start sorted 3600, 14400, 86400: median 14400 s. Deploy durations 600 (D1) and 1200 (D2): median 900 s.
 */
class InsightsLeadTimeTest {
    static final Instant TO = Instant.parse("2026-03-29T00:00:00Z");
    static final String TOKEN = "ghp_T0pS3cretInsightsToken";
    static final ObjectMapper JSON = new ObjectMapper();
    static final String[] COMMIT_TIMES = {"2026-03-01T08:00:00Z", "2026-03-02T06:00:00Z", "2026-03-02T09:00:00Z",
            "2026-03-04T10:00:00Z"};

    @TempDir
    Path dir;

    Path db() {
        return dir.resolve("history.db");
    }

    /** Writes D0, D1, F1, D2 of the class comment with these four commits. */
    void history(List<String> g) {
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(db())) {
            row(store, g.get(0), "2026-03-01T09:00:00Z", DeploymentStatus.SUCCESS, "2026-03-01T09:10:00Z");
            row(store, g.get(2), "2026-03-02T10:00:00Z", DeploymentStatus.SUCCESS, "2026-03-02T10:10:00Z");
            row(store, g.get(3), "2026-03-04T11:00:00Z", DeploymentStatus.FAILED, "2026-03-04T11:01:00Z");
            row(store, g.get(3), "2026-03-05T10:00:00Z", DeploymentStatus.SUCCESS, "2026-03-05T10:20:00Z");
        }
    }

    static void row(HistoryStore s, String sha, String started, DeploymentStatus status, String ended) {
        Deployment draft = new Deployment(0, "acme", "web", "production", sha, false, null, null,
                DeploymentStatus.RUNNING, Instant.parse(started), null, null, null, null, null, List.of(), Map.of());
        Deployment d = s.create(draft, "t", Duration.ofMinutes(5)).deployment();
        Instant end = Instant.parse(ended);
        assertThat(s.update(new DeploymentUpdate(d.id(), DeploymentStatus.RUNNING, status, null,
                status == DeploymentStatus.SUCCESS ? end : null, end, null, null, List.of(), List.of()))).isTrue();
    }

    Cli.Result run(Cli cli, String... args) {
        List<String> all = new ArrayList<>(List.of("--db", db().toString()));
        all.addAll(List.of(args));
        return cli.clock(Clock.fixed(TO, ZoneOffset.UTC)).run(all.toArray(String[]::new));
    }

    static void assertWorkedOutLeadTime(JsonNode o) {
        JsonNode lt = o.get("leadTime");
        assertThat(lt.isObject()).as(o.toString()).isTrue();
        assertThat(lt.get("count").asInt()).isEqualTo(3);
        assertThat(lt.get("medianSeconds").asDouble()).isEqualTo(15000);
        assertThat(lt.get("p90Seconds").asDouble()).isEqualTo(87600);
        assertThat(lt.get("commitToStartMedianSeconds").asDouble()).isEqualTo(14400);
        assertThat(lt.get("deployDurationMedianSeconds").asDouble()).isEqualTo(900);
        assertThat(lt.get("deploymentsWithCommits").asInt()).isEqualTo(2);
        assertThat(lt.get("level").asText()).isEqualTo("elite");
        // the rest of the figures do not depend on the resolver: D0, D1, D2 deployed, F1 failed
        assertThat(o.get("deployments").asInt()).isEqualTo(3);
        assertThat(o.get("failedAttempts").asInt()).isEqualTo(1);
    }

    // ---- --git: a real repository ----

    /** Runs git in {@code repo} with author and committer dates {@code date} (when given); returns stdout. */
    static String git(Path repo, String date, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("git", "-C", repo.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        pb.environment().put("HOME", repo.toString());
        if (date != null) {
            pb.environment().put("GIT_AUTHOR_DATE", date);
            pb.environment().put("GIT_COMMITTER_DATE", date);
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out.strip();
    }

    /** A repository with one commit per time of {@link #COMMIT_TIMES}; their SHAs in order. */
    List<String> repository(Path repo) throws IOException, InterruptedException {
        Files.createDirectories(repo);
        git(repo, null, "init", "-q", "-b", "main");
        git(repo, null, "config", "user.name", "Test");
        git(repo, null, "config", "user.email", "test@example.com");
        List<String> shas = new ArrayList<>();
        for (int i = 0; i < COMMIT_TIMES.length; i++) {
            Files.writeString(repo.resolve("app.txt"), "version " + i);
            git(repo, null, "add", "app.txt");
            git(repo, COMMIT_TIMES[i], "commit", "-q", "-m", "change " + i);
            shas.add(git(repo, null, "rev-parse", "HEAD"));
        }
        return shas;
    }

    @Test
    void gitReadsTheCommitTimesOfALocalCloneIntoLeadTime() throws Exception {
        Path repo = dir.resolve("clone");
        history(repository(repo));
        Cli.Result r = run(new Cli(), "insights", "--project", "acme/web", "--env", "production", "--since", "28d",
                "--git", repo.toString(), "--json");
        assertThat(r.code()).as(r.toString()).isZero();
        JsonNode array = JSON.readTree(r.out());
        assertThat(array).hasSize(1);
        assertWorkedOutLeadTime(array.get(0));

        Cli.Result text = run(new Cli(), "insights", "--since", "28d", "--git", repo.toString());
        assertThat(text.code()).as(text.toString()).isZero();
        assertThat(text.out()).contains("lead time             median 4h10m, p90 24h20m (3 commits in 2 deployments); "
                + "commit to start 4h00m, start to live 15m00s  [elite]");
    }

    @Test
    void withoutAResolverLeadTimeIsNullEvenWhenTheCommitsAreReal() throws Exception {
        history(repository(dir.resolve("clone")));
        Cli.Result r = run(new Cli(), "insights", "--since", "28d", "--json");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(JSON.readTree(r.out()).get(0).get("leadTime").isNull()).isTrue();
    }

    @Test
    void aCommitTheCloneDoesNotHoldFailsNamingTheRangeAndTheFix() throws Exception {
        Path repo = dir.resolve("clone");
        List<String> shas = repository(repo);
        List<String> deployed = new ArrayList<>(shas);
        deployed.set(3, "0123456789abcdef0123456789abcdef01234567");
        history(deployed);
        Cli.Result r = run(new Cli(), "insights", "--since", "28d", "--git", repo.toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("insights: lead time of acme/web in production: git log " + shas.get(2)
                + "..0123456789abcdef0123456789abcdef01234567", "expected a clone holding both commits (git fetch)");
    }

    @Test
    void aGitFolderThatIsNotOneAndTwoSourcesAreUsageErrors() throws Exception {
        history(List.of("a0", "a1", "a2", "a3"));
        Path missing = dir.resolve("no-such-clone");
        Cli.Result r = run(new Cli(), "insights", "--git", missing.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--git git clone " + missing + " is not a folder");
        Cli.Result both = run(new Cli(), "insights", "--git", dir.toString(), "--github");
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("--git and --github are two sources of commit times: expected one of them");
        Cli.Result api = run(new Cli(), "insights", "--github-api", "https://github.example.com/api/v3");
        assertThat(api.code()).isEqualTo(2);
        assertThat(api.err()).contains("needs --github");
        Cli.Result bad = run(new Cli(), "insights", "--github", "--github-api", "ftp://github.example.com");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--github-api 'ftp://github.example.com' is not usable: expected an http(s) URL");
    }

    // ---- --github: a real HTTP server playing GitHub Enterprise ----

    static final List<String> FAKE = List.of("a000000000000000000000000000000000000000",
            "a111111111111111111111111111111111111111", "a222222222222222222222222222222222222222",
            "a333333333333333333333333333333333333333");

    /** GitHub's compare answers for D1 (g0...g2) and D2 (g2...g3); 401 to any other token; 404 to another range. */
    static final class FakeGitHub extends Dispatcher {
        final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
        final Map<String, String> answers = new ConcurrentHashMap<>();

        FakeGitHub() {
            answers.put(FAKE.get(0) + "..." + FAKE.get(2), compare(FAKE.get(1), COMMIT_TIMES[1], FAKE.get(2),
                    "2026-03-02T18:00:00+09:00"));
            answers.put(FAKE.get(2) + "..." + FAKE.get(3), compare(FAKE.get(3), COMMIT_TIMES[3]));
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            requests.add(request);
            if (!("Bearer " + TOKEN).equals(request.getHeader("Authorization"))) {
                return new MockResponse().setResponseCode(401).setBody("{\"message\":\"Bad credentials\"}");
            }
            String prefix = "/api/v3/repos/acme/web/compare/";
            String path = request.getRequestUrl().encodedPath();
            String body = path.startsWith(prefix) ? answers.get(path.substring(prefix.length())) : null;
            return body == null ? new MockResponse().setResponseCode(404).setBody("{\"message\":\"Not Found\"}")
                    : new MockResponse().setHeader("Content-Type", "application/json").setBody(body);
        }

        static String compare(String... shaAndDate) {
            StringBuilder b = new StringBuilder("{\"status\":\"ahead\",\"commits\":[");
            for (int i = 0; i < shaAndDate.length; i += 2) {
                b.append(i == 0 ? "" : ",").append("{\"sha\":\"").append(shaAndDate[i])
                        .append("\",\"commit\":{\"committer\":{\"date\":\"").append(shaAndDate[i + 1]).append("\"}}}");
            }
            return b.append("]}").toString();
        }
    }

    @Test
    void githubReadsTheCompareApiWithTheTokenAndNeverShowsIt() throws Exception {
        history(FAKE);
        FakeGitHub github = new FakeGitHub();
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(github);
            server.start();
            String api = server.url("/api/v3").toString();
            Cli.Result r = run(new Cli().env("GITHUB_TOKEN", TOKEN), "--verbose", "insights", "--since", "28d",
                    "--github", "--github-api", api, "--json");
            assertThat(r.code()).as(r.toString()).isZero();
            assertWorkedOutLeadTime(JSON.readTree(r.out()).get(0));
            assertThat(r.out() + r.err()).doesNotContain(TOKEN);
            // D1 and D2 asked, D0 (first) not; the token went as a bearer token to the configured API only
            assertThat(github.requests).hasSize(2);
            assertThat(github.requests).allSatisfy(q -> {
                assertThat(q.getHeader("Authorization")).isEqualTo("Bearer " + TOKEN);
                assertThat(q.getPath()).startsWith("/api/v3/repos/acme/web/compare/");
            });
        }
    }

    @Test
    void aRefusedTokenFailsSayingSoWithoutTheToken() throws Exception {
        history(FAKE);
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(new FakeGitHub());
            server.start();
            String wrong = "ghp_WrongButStillSecret";
            Cli.Result r = run(new Cli().env("GITHUB_TOKEN", wrong), "--verbose", "insights", "--since", "28d",
                    "--github", "--github-api", server.url("/api/v3").toString(), "--json");
            assertThat(r.code()).as(r.toString()).isEqualTo(1);
            assertThat(r.err()).contains("insights: lead time of acme/web in production: could not read the commits of "
                    + "acme/web " + FAKE.get(0) + "..." + FAKE.get(2), "the token was refused (401)");
            assertThat(r.out() + r.err()).doesNotContain(wrong);
        }
    }

    @Test
    void githubWithoutATokenWarnsAndAsksUnauthenticated() throws Exception {
        history(FAKE);
        FakeGitHub github = new FakeGitHub();
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(github);
            server.start();
            Cli.Result r = run(new Cli(), "insights", "--since", "28d", "--github", "--github-api",
                    server.url("/api/v3").toString());
            // the fake answers 401 without its token: the warning said why
            assertThat(r.err()).contains("warning: GITHUB_TOKEN is not set: asking GitHub without a token");
            assertThat(r.code()).isEqualTo(1);
            assertThat(github.requests).first().satisfies(q -> assertThat(q.getHeader("Authorization")).isNull());
        }
    }
}
