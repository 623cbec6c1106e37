package io.deploytrack.cli;

import io.deploytrack.core.InsightsContract;
import io.deploytrack.jdbc.JdbcHistoryStore;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The "Delivery insights" section of {@code report --html} on core's hand-made insights history
 * ({@link InsightsContract}, whose comment works out the window's figures), with the clock at the window's end and
 * {@code --since 672h} (28 days): four weekly periods, and the page rendered by a real headless Chromium.
 *
 * <p>acme/web production per week (days of the window): week 1 [d0, d7) D1..D4 deployed, R1 restored D1 so D2 failed
 * (1 of 4), recovered after 93300 s, rework 1 rollback of 4 + 1 = 0.2; week 2 [d7, d14) D5, D6, D7 deployed, D5
 * replaced by the fix D6 (3600 s) and D7 rolled back by R2 (5100 s): 2 of 3 failed, recovery median 4350 s, rework
 * (1 rollback + 1 fix) of 3 + 1 = 0.5; weeks 3 and 4: D8, then D9, no failure, no recovery.
 */
class ReportInsightsTest {
    static final Instant TO = Instant.parse("2026-03-29T00:00:00Z");
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Pattern SPARK = Pattern.compile("<svg class=\"spark\" data-metric=\"([a-z-]+)\" data-values=\"([^\"]*)\"");

    @TempDir
    Path dir;
    Path db;

    @BeforeEach
    void history() {
        db = dir.resolve("history.db");
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(db)) {
            InsightsContract.write(store);
        }
    }

    Path report() throws IOException {
        Path page = dir.resolve("report.html");
        Cli.Result r = new Cli().clock(Clock.fixed(TO, ZoneOffset.UTC)).run("--db", db.toString(), "report", "--html",
                page.toString(), "--since", "672h");
        assertThat(r.code()).as(r.toString()).isZero();
        return page;
    }

    /** The production table of acme/web: from its {@code data-target} to the table's end. */
    static String webProduction(String html) {
        int at = html.indexOf("data-target=\"acme/web production\"");
        assertThat(at).as("the acme/web production table").isPositive();
        return html.substring(at, html.indexOf("</table>", at));
    }

    static Map<String, String> sparks(String table) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = SPARK.matcher(table);
        while (m.find()) {
            out.put(m.group(1), m.group(2));
        }
        return out;
    }

    @Test
    void eachMetricHasItsCountsItsLevelAndAChartPerWeek() throws IOException {
        String html = Files.readString(report(), StandardCharsets.UTF_8);
        assertThat(html).contains("<h2>Delivery insights</h2>", "charted per 168h00m", "acme/api in production",
                "acme/web in staging");
        String web = webProduction(html);
        assertThat(web).contains("2.25 a week (9 deployments, 2 rollbacks, 4 failed attempts)",
                "33.3 % (3 of 9 deployments)</td><td><span class=\"level level-medium\">medium</span>",
                "median 1h25m, p90 25h55m (3 recoveries)</td><td><span class=\"level level-high\">high</span>",
                "27.3 % (3 of 11: 2 rollbacks, 1 fix redeploys)",
                "not computed: no commit resolver (report --git DIR or --github)");
        assertThat(sparks(web)).containsExactly(
                Map.entry("deployment-frequency", "4 3 1 1"),
                Map.entry("change-fail-rate", "0.25 0.6667 0 0"),
                Map.entry("recovery-time", "93300 4350 - -"),
                Map.entry("rework-rate", "0.2 0.5 0 0"));
        // two points of recovery time, joined by one line; no point where a week had no recovery
        String recovery = web.substring(web.indexOf("data-metric=\"recovery-time\" data-values"));
        recovery = recovery.substring(0, recovery.indexOf("</svg>"));
        assertThat(recovery.split("<circle", -1)).hasSize(3);
        assertThat(recovery.split("<polyline", -1)).hasSize(2);
        assertThat(html).doesNotContainIgnoringCase("<script").doesNotContain("<link", "url(", "src=");
    }

    @Test
    void headlessChromiumRendersTheInsightCharts() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "skipped: " + CHROMIUM + " is missing; install Debian's "
                + "chromium package (apt-get install -y chromium) to render the HTML report in this test");
        Path page = report();
        Path shot = dir.resolve("report.png");
        Process screenshot = chromium(dir.resolve("shot.log"), "--screenshot=" + shot, "--window-size=1200,2400",
                page.toUri().toString());
        assertThat(screenshot.waitFor(90, TimeUnit.SECONDS)).as("chromium took a screenshot in time").isTrue();
        assertThat(screenshot.exitValue()).as(Files.readString(dir.resolve("shot.log"))).isZero();
        byte[] png = Files.readAllBytes(shot);
        assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
        String keep = System.getProperty("deploytrack.keepScreenshot");
        if (keep != null) {
            Files.write(Path.of(keep), png);
        }

        Process dump = chromium(dir.resolve("dom.log"), "--dump-dom", page.toUri().toString());
        dump.getOutputStream().close();
        String rendered = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(dump.waitFor(90, TimeUnit.SECONDS)).as("chromium dumped the DOM in time").isTrue();
        // three targets, four charted metrics each (lead time needs a resolver)
        Matcher m = SPARK.matcher(rendered);
        int charts = 0;
        while (m.find()) {
            charts++;
        }
        assertThat(charts).isEqualTo(12);
        assertThat(sparks(webProduction(rendered))).containsEntry("change-fail-rate", "0.25 0.6667 0 0");
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
