package io.deploytrack.cli;

import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.jdbc.JdbcHistoryStore;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** report --html: one self-contained page, rendered by a real headless Chromium. */
class ReportTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Pattern MARK = Pattern.compile("<circle class=\"deployment status-([a-z_]+)\" data-id=\"(\\d+)\"");

    @TempDir
    Path dir;
    Path db;
    final List<Long> ids = new ArrayList<>();
    final List<Long> recentIds = new ArrayList<>();

    @BeforeEach
    void history() {
        db = dir.resolve("history.db");
        Instant now = Instant.now();
        DeploymentStatus[] outcomes = {DeploymentStatus.SUCCESS, DeploymentStatus.SUCCESS, DeploymentStatus.FAILED,
                DeploymentStatus.SUCCESS, DeploymentStatus.CANCELLED, DeploymentStatus.SUCCESS, DeploymentStatus.TIMED_OUT};
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(db)) {
            for (int i = 0; i < 14; i++) {
                String project = i % 2 == 0 ? "acme/web" : "acme/api";
                String env = i % 3 == 0 ? "staging" : "production";
                Instant start = now.minus(Duration.ofHours(60 - i * 4L));
                long id = Fixtures.finished(store, project, env, String.format("%07x", 0xabc000 + i), start, 30 + i * 17L,
                        outcomes[i % outcomes.length]).id();
                ids.add(id);
                if (start.isAfter(now.minus(Duration.ofHours(24)))) {
                    recentIds.add(id);
                }
            }
        }
    }

    static List<String> marks(String html) {
        List<String> out = new ArrayList<>();
        Matcher m = MARK.matcher(html);
        while (m.find()) {
            out.add(m.group(2));
        }
        return out;
    }

    @Test
    void thePageIsSelfContainedWithOneMarkPerDeploymentAndTheTables() throws IOException {
        Path page = dir.resolve("report.html");
        Cli.Result r = new Cli().run("--db", db.toString(), "report", "--html", page.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("14 deployments");
        String html = Files.readString(page, StandardCharsets.UTF_8);
        assertThat(marks(html)).containsExactlyInAnyOrderElementsOf(ids.stream().map(String::valueOf).toList());
        assertThat(html).doesNotContainIgnoringCase("<script").doesNotContain("<link", "@import", "url(", "src=",
                "https://", "http://www.", "@font-face");
        assertThat(html).contains("<svg", "success rate", "median duration", "rollback target", "acme/web", "acme/api");

        Path recent = dir.resolve("recent.html");
        Cli.Result since = new Cli().run("--db", db.toString(), "report", "--html", recent.toString(), "--since", "24h",
                "--project", "acme/web");
        assertThat(since.code()).as(since.toString()).isZero();
        String recentHtml = Files.readString(recent, StandardCharsets.UTF_8);
        assertThat(marks(recentHtml)).isNotEmpty().allSatisfy(id -> assertThat(recentIds).contains(Long.parseLong(id)));
        assertThat(recentHtml).doesNotContain("data-project=\"acme/api\"");
    }

    @Test
    void headlessChromiumRendersTheChartWithOneMarkPerDeployment() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "skipped: " + CHROMIUM + " is missing; install Debian's "
                + "chromium package (apt-get install -y chromium) to render the HTML report in this test");
        Path page = dir.resolve("report.html");
        assertThat(new Cli().run("--db", db.toString(), "report", "--html", page.toString()).code()).isZero();

        Path shot = dir.resolve("report.png");
        Process screenshot = chromium(dir.resolve("shot.log"), "--screenshot=" + shot, "--window-size=1200,1400",
                page.toUri().toString());
        assertThat(screenshot.waitFor(90, TimeUnit.SECONDS)).as("chromium took a screenshot in time").isTrue();
        assertThat(screenshot.exitValue()).as(Files.readString(dir.resolve("shot.log"))).isZero();
        byte[] png = Files.readAllBytes(shot);
        assertThat(png.length).isGreaterThan(5_000);
        assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");

        Path dom = dir.resolve("dom.html");
        Process dump = chromium(dir.resolve("dom.log"), "--dump-dom", page.toUri().toString());
        dump.getOutputStream().close();
        Files.write(dom, dump.getInputStream().readAllBytes());
        assertThat(dump.waitFor(90, TimeUnit.SECONDS)).as("chromium dumped the DOM in time").isTrue();
        String rendered = Files.readString(dom, StandardCharsets.UTF_8);
        assertThat(rendered).contains("<svg");
        assertThat(marks(rendered)).as("the rendered SVG has one mark per deployment")
                .containsExactlyInAnyOrderElementsOf(ids.stream().map(String::valueOf).toList());
    }

    private Process chromium(Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + dir.resolve("chromium-profile")));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(log.toFile());
        if (!List.of(args).contains("--dump-dom")) {
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        }
        return pb.start();
    }
}
