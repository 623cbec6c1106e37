package io.deploytrack.cli;

import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.jdbc.JdbcHistoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The report's chart scales both axes to the data: a short span of short deployments fills it, labels differ. */
class ReportChartAxesTest {
    private static final Pattern TICK = Pattern.compile("<text class=\"tick\" x=\"([0-9.]+)\" y=\"([0-9.]+)\"[^>]*>([^<]*)</text>");
    private static final Pattern MARK = Pattern.compile("<circle class=\"deployment[^\"]*\"[^>]* cy=\"([0-9.]+)\"");

    @TempDir
    Path dir;

    private String report(Instant start, long stepSeconds, long... durations) throws Exception {
        Path db = dir.resolve("h" + stepSeconds + ".db");
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(db)) {
            for (int i = 0; i < durations.length; i++) {
                Fixtures.finished(store, "acme/web", "production", String.format("%07x", 0xabc100 + i),
                        start.plusSeconds(stepSeconds * i), durations[i], DeploymentStatus.SUCCESS);
            }
        }
        Path page = dir.resolve("r" + stepSeconds + ".html");
        Cli.Result r = new Cli().run("--db", db.toString(), "report", "--html", page.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        return Files.readString(page, StandardCharsets.UTF_8);
    }

    /** The tick labels below the plot (x) and left of it (y). */
    private static List<String> ticks(String html, boolean xAxis) {
        List<String> out = new ArrayList<>();
        Matcher m = TICK.matcher(html);
        double xAxisY = -1;
        List<String[]> all = new ArrayList<>();
        while (m.find()) {
            all.add(new String[] {m.group(1), m.group(2), m.group(3)});
            xAxisY = Math.max(xAxisY, Double.parseDouble(m.group(2)));
        }
        for (String[] t : all) {
            boolean below = t[2].matches(".*\\d\\d:\\d\\d.*");
            if (below == xAxis && !t[2].equals("started (UTC)") && !t[2].equals("duration")) {
                out.add(t[2]);
            }
        }
        return out;
    }

    @Test
    void aSpanOfSecondsWithDeploymentsOfSecondsFillsTheChartWithLabelsThatDiffer() throws Exception {
        String html = report(Instant.parse("2026-03-01T10:00:00Z"), 8, 3, 5, 8, 4);
        List<String> x = ticks(html, true);
        assertThat(x).hasSize(6).allSatisfy(l -> assertThat(l).matches("\\d\\d:\\d\\d:\\d\\d(\\.\\d{3})?"));
        assertThat(new HashSet<>(x)).as("x labels " + x).hasSize(6);
        List<String> y = ticks(html, false);
        assertThat(y).as("y labels").doesNotContain("1m", "1 min", "60s", "1m 0s").isNotEmpty();
        assertThat(new HashSet<>(y)).hasSize(y.size());
        // the longest (8 s) sits near the top: the axis ends within one step above it, not at a minute
        List<Double> cy = new ArrayList<>();
        Matcher m = MARK.matcher(html);
        while (m.find()) {
            cy.add(Double.parseDouble(m.group(1)));
        }
        assertThat(cy).hasSize(4);
        double top = cy.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double bottom = cy.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        assertThat(bottom - top).as("3 s and 8 s are far apart on the chart, not squashed: " + cy).isGreaterThan(100);
    }

    @Test
    void aSpanOfDaysKeepsDayAndMinuteLabelsThatDiffer() throws Exception {
        String html = report(Instant.parse("2026-03-01T10:00:00Z"), Duration.ofHours(9).toSeconds(), 30, 400, 90, 700);
        List<String> x = ticks(html, true);
        assertThat(x).hasSize(6).allSatisfy(l -> assertThat(l).matches("\\d\\d-\\d\\d \\d\\d:\\d\\d"));
        assertThat(new HashSet<>(x)).hasSize(6);
    }
}
