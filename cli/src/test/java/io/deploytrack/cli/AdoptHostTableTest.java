package io.deploytrack.cli;

import io.deploytrack.core.Deployment;
import io.deploytrack.jdbc.HostTable;
import io.deploytrack.jdbc.JdbcHistoryStore;
import io.deploytrack.ncp.emulator.NcpEmulator;
import io.deploytrack.ncp.emulator.NcpScript;
import io.deploytrack.ncp.emulator.RequestKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static io.deploytrack.ncp.emulator.NcpScript.end;
import static io.deploytrack.ncp.emulator.NcpScript.step;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Adopting a host's own table in place on SQLite: adopt (zone, mappings, default), doctor, repair, a new NCP
 * deployment recorded into it, resume; the host's rows keep one time format and their durations.
 */
@Timeout(120)
class AdoptHostTableTest {
    static final long P = Long.parseLong(HostTable.NCP_PROJECT);
    static final long STAGE = 34;
    static final long SCENARIO = 56;
    static final String NAIVE_MICROS = "\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{6}";

    @TempDir
    Path dir;
    NcpEmulator ncp;
    Instant now;
    Path db;
    long row6History;

    @BeforeEach
    void start() throws Exception {
        ncp = NcpEmulator.start();
        ncp.addScenario(P, STAGE, SCENARIO);
        // the deployment row 6 names, already over at NCP
        row6History = ncp.createHistory(P, NcpScript.of(end("success")));
        now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        db = dir.resolve("paas.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            HostTable.create(c, false, LocalDateTime.ofInstant(now, HostTable.SEOUL), Long.toString(row6History));
        }
    }

    @AfterEach
    void stop() {
        ncp.close();
    }

    Cli cli() {
        return new Cli().env("NCP_ACCESS_KEY", ncp.accessKey()).env("NCP_SECRET_KEY", ncp.secretKey())
                .env("NCP_ENDPOINT", ncp.baseUri().toString());
    }

    Cli fixed() {
        return cli().clock(Clock.fixed(now, ZoneOffset.UTC));
    }

    Map<Long, Map<String, String>> table() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            return HostTable.read(c);
        }
    }

    String[] adoptArgs(String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("--db", db.toString(), "adopt", "--zone", "Asia/Seoul",
                "--map", "environment=namespace", "--map", "attribute:ncp_project_id=sourcedeploy_project_id",
                "--map", "attribute:ncp_history_id=deploy_id"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void aNotNullColumnWithoutValueFailsAtOpenBeforeAnyProviderCall() throws Exception {
        Map<Long, Map<String, String>> before = table();
        Cli.Result r = cli().run("--db", db.toString(), "ncp", "deploy", "--project-id", String.valueOf(P), "--stage-id",
                String.valueOf(STAGE), "--scenario-id", String.valueOf(SCENARIO), "--project", "acme/web", "--commit",
                HostTable.A, "--env", "default", "--interval", "100ms");
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("user_id", "NOT NULL without a default", "deploytrack adopt --default user_id=VALUE",
                "columnDefault(\"user_id\"");
        assertThat(ncp.requests(RequestKind.DEPLOY)).as("nothing started at NCP").isEmpty();
        assertThat(table()).as("nothing adopted, nothing changed").isEqualTo(before);

        Cli.Result plan = fixed().run(adoptArgs());
        assertThat(plan.code()).as(plan.toString()).isEqualTo(1);
        assertThat(plan.out()).contains("NOT NULL without a value: user_id", "--default user_id=VALUE");
        assertThat(table()).isEqualTo(before);
    }

    @Test
    void adoptDoctorRepairAndNewDeploymentsKeepTheHostsTableWhole() throws Exception {
        Map<Long, Map<String, String>> before = table();

        // the plan changes nothing
        Cli.Result plan = fixed().run(adoptArgs("--default", "user_id=deploytrack"));
        assertThat(plan.code()).as(plan.toString()).isZero();
        assertThat(plan.out()).contains("dry run", "times: naive 'yyyy-MM-dd HH:mm:ss.SSSSSS' in Asia/Seoul",
                "environment: column namespace", "attribute ncp_history_id: column deploy_id", "default: user_id = deploytrack",
                "columns to add:", "idempotency_key", "indexes to create:", "ux_deployment_histories_idempotency_key",
                "2 duplicate", "--apply");
        assertThat(table()).isEqualTo(before);

        Cli.Result adopt = fixed().run(adoptArgs("--default", "user_id=deploytrack", "--apply"));
        assertThat(adopt.code()).as(adopt.toString()).isZero();
        assertThat(adopt.out()).contains("adopted", "settings recorded");

        // every later command uses the stored settings without flags
        Cli.Result doctor = fixed().run("--db", db.toString(), "doctor");
        assertThat(doctor.code()).as(doctor.toString()).isEqualTo(1);
        assertThat(doctor.out()).contains("duplicate [rows 1, 2]", "duplicate [rows 3, 4]", "stale_running [row 5]",
                "stale_running [row 6]", "success_missing_deployed_at [row 8]", "success_missing_total_duration [row 8]",
                "duration_mismatch [row 9]");
        assertThat(doctor.out()).doesNotContain("[row 7]", "rows 10, 11", "rows 12, 13", "rows 14, 15", "[row 16]");

        Cli.Result repair = fixed().run("--db", db.toString(), "repair", "--apply");
        assertThat(repair.code()).as(repair.toString()).isZero();
        assertThat(repair.out()).contains("merged #2 into #1", "merged #4 into #3", "it keeps the full SHA " + HostTable.B,
                "resolved #5", "running -> timed_out", "resolved #6", "running -> success");

        Map<Long, Map<String, String>> after = table();
        assertThat(after.keySet()).as("the duplicates merged, no other row lost")
                .containsExactly(1L, 3L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L, 16L);
        for (long untouched : List.of(10L, 11L, 12L, 13L, 14L, 15L, 16L)) {
            assertThat(after.get(untouched)).as("row %d was healthy", untouched).isEqualTo(before.get(untouched));
        }
        assertThat(after.get(3L).get("github_commit_sha")).isEqualTo(HostTable.B);
        assertThat(after.get(5L).get("status")).isEqualTo("timed_out");
        assertThat(HostTable.seconds(after.get(5L).get("started_at"), after.get(5L).get("completed_at"))).isEqualTo(300);
        assertThat(after.get(6L).get("status")).as("asked NCP about the ids in its columns").isEqualTo("success");
        assertThat(after.get(7L).get("status")).as("recent: not stale yet").isEqualTo("running");
        assertThat(after.get(8L).get("deployed_at")).isEqualTo(after.get(8L).get("completed_at"));
        assertThat(after.get(8L).get("total_duration")).isEqualTo("90");
        assertThat(after.get(9L).get("total_duration")).isEqualTo("30");
        assertThat(ncp.requestsFor(row6History)).isNotEmpty();

        // a new deployment is recorded into the host's table, with the host's columns filled
        ncp.onDeploy(SCENARIO, NcpScript.of(step("inprogress", Duration.ofMillis(300)), end("success")));
        Cli.Result deploy = cli().run("--db", db.toString(), "ncp", "deploy", "--project-id", String.valueOf(P),
                "--stage-id", String.valueOf(STAGE), "--scenario-id", String.valueOf(SCENARIO), "--project", "acme/web",
                "--commit", "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432", "--env", "default", "--interval", "100ms",
                "--timeout", "30s");
        assertThat(deploy.code()).as(deploy.toString()).isZero();
        Map<Long, Map<String, String>> last = table();
        Map.Entry<Long, Map<String, String>> added = last.entrySet().stream().filter(e -> !after.containsKey(e.getKey()))
                .findFirst().orElseThrow();
        Map<String, String> row = added.getValue();
        assertThat(row.get("user_id")).isEqualTo("deploytrack");
        assertThat(row.get("namespace")).isEqualTo("default");
        assertThat(row.get("sourcedeploy_project_id")).isEqualTo(String.valueOf(P));
        assertThat(row.get("deploy_id")).isNotBlank().isNotEqualTo(String.valueOf(row6History));
        assertThat(row.get("status")).isEqualTo("success");
        assertThat(row.get("is_rollback")).isEqualTo("0");
        // naive Seoul time: the same instant as the real start
        assertThat(Duration.between(now, HostTable.instant(row.get("started_at"))).abs()).isLessThan(Duration.ofMinutes(2));

        // an attribute of the same name as a defaulted column wins
        long tracked = ncp.createHistory(P, NcpScript.of(end("success")));
        Cli.Result track = cli().run("--db", db.toString(), "ncp", "track", "--project-id", String.valueOf(P),
                "--history-id", String.valueOf(tracked), "--project", "acme/web", "--commit", HostTable.G, "--env", "staging",
                "--attribute", "user_id=alice", "--interval", "100ms", "--timeout", "30s");
        assertThat(track.code()).as(track.toString()).isZero();
        Map<String, String> alice = table().values().stream().filter(r -> String.valueOf(tracked).equals(r.get("deploy_id")))
                .findFirst().orElseThrow();
        assertThat(alice.get("user_id")).isEqualTo("alice");
        assertThat(alice.get("namespace")).isEqualTo("staging");

        // one format for every time in the table, and durations that match the naive times
        for (Map.Entry<Long, Map<String, String>> e : table().entrySet()) {
            for (String column : HostTable.timeColumns()) {
                String v = e.getValue().get(column);
                if (v != null) {
                    assertThat(v).as("row %d %s", e.getKey(), column).matches(NAIVE_MICROS);
                }
            }
            Map<String, String> r = e.getValue();
            if (r.get("completed_at") != null && r.get("total_duration") != null && !List.of(9L).contains(e.getKey())) {
                assertThat(Long.parseLong(r.get("total_duration"))).as("row %d duration", e.getKey())
                        .isCloseTo(HostTable.seconds(r.get("started_at"), r.get("completed_at")),
                                org.assertj.core.data.Offset.offset(1L));
            }
        }

        // deploytrack reads the naive values in the zone
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(db)) {
            Deployment one = store.find(1).orElseThrow();
            assertThat(one.startedAt()).isEqualTo(HostTable.instant(before.get(1L).get("started_at")));
            assertThat(one.environment()).isEqualTo("default");
            assertThat(one.totalDuration()).isEqualTo(Duration.ofSeconds(60));
            Deployment six = store.find(6).orElseThrow();
            assertThat(six.attributes()).containsEntry("ncp_history_id", String.valueOf(row6History));
            assertThat(store.adoptionSettings().zone()).isEqualTo(HostTable.SEOUL);
        }

        // repair ends rows as notified: no tracker announces them
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT completion_notified FROM deployment_histories WHERE id IN (5, 6)")) {
            while (rs.next()) {
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        }
    }

    @Test
    void resumeUntilIdleEndsTheUnrepairedTable() throws Exception {
        Cli.Result adopt = cli().run(adoptArgs("--default", "user_id=deploytrack", "--apply"));
        assertThat(adopt.code()).as(adopt.toString()).isZero();
        Cli.Result resume = cli().run("--db", db.toString(), "resume", "--until-idle", "--interval", "100ms");
        assertThat(resume.code()).as(resume.toString()).isZero();
        assertThat(resume.out()).contains("#6", "asking ncp");
        Map<Long, Map<String, String>> after = table();
        assertThat(after.get(5L).get("status")).as("nothing to follow: timed out").isEqualTo("timed_out");
        assertThat(after.get(2L).get("status")).isEqualTo("timed_out");
        assertThat(after.get(4L).get("status")).isEqualTo("timed_out");
        assertThat(after.get(6L).get("status")).as("answered by NCP").isEqualTo("success");
        assertThat(after.get(7L).get("status")).as("recent, nothing to follow: ends at its deadline").isEqualTo("running");
        assertThat(resume.out()).contains("left running: #7");
        for (Map<String, String> r : after.values()) {
            for (String column : HostTable.timeColumns()) {
                if (r.get(column) != null) {
                    assertThat(r.get(column)).matches(NAIVE_MICROS);
                }
            }
        }
    }

    @Test
    void repairNotifyLeavesTheRowsItEndsForTheNextTrackersOnCompleted() throws Exception {
        assertThat(fixed().run(adoptArgs("--default", "user_id=deploytrack", "--apply")).code()).isZero();
        Cli.Result repair = fixed().run("--db", db.toString(), "repair", "--apply", "--notify");
        assertThat(repair.code()).as(repair.toString()).isZero();
        assertThat(repair.out()).contains("left for the next tracker's onCompleted");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT h.id, h.completion_notified, (SELECT e.type FROM deployment_events e "
                     + "WHERE e.deployment_id = h.id ORDER BY e.id DESC LIMIT 1) FROM deployment_histories h "
                     + "WHERE h.id IN (5, 6) ORDER BY h.id")) {
            int n = 0;
            while (rs.next()) {
                n++;
                assertThat(rs.getInt(2)).as("row %d notified", rs.getLong(1)).isZero();
                assertThat(rs.getString(3)).isEqualTo("completed");
            }
            assertThat(n).isEqualTo(2);
        }
        java.util.Set<Long> announced = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.CountDownLatch both = new java.util.concurrent.CountDownLatch(2);
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(db);
             io.deploytrack.core.DeploymentTracker tracker = io.deploytrack.core.DeploymentTracker.builder(store)
                     .discoverSources(false).listener(new io.deploytrack.core.DeploymentListener() {
                         @Override
                         public void onCompleted(Deployment d) {
                             if (announced.add(d.id())) {
                                 both.countDown();
                             }
                         }
                     }).build()) {
            tracker.start();
            assertThat(both.await(30, java.util.concurrent.TimeUnit.SECONDS)).as("announced: %s", announced).isTrue();
        }
        assertThat(announced).containsExactlyInAnyOrder(5L, 6L);
    }

    @Test
    void aDeploymentStartedAtNcpButNotRecordedSaysSoWithTheCommandThatPicksItUp() throws Exception {
        assertThat(fixed().run(adoptArgs("--default", "user_id=deploytrack", "--apply")).code()).isZero();
        String refused = "5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e";
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            // the host's own rule, which deploytrack cannot know of before it inserts
            s.execute("CREATE TRIGGER host_refuses BEFORE INSERT ON deployment_histories WHEN NEW.github_commit_sha = '"
                    + refused + "' BEGIN SELECT RAISE(ABORT, 'the host refuses this commit'); END");
        }
        ncp.onDeploy(SCENARIO, NcpScript.of(step("inprogress", Duration.ofMillis(200)), end("success")));
        Cli.Result r = cli().run("--db", db.toString(), "ncp", "deploy", "--project-id", String.valueOf(P), "--stage-id",
                String.valueOf(STAGE), "--scenario-id", String.valueOf(SCENARIO), "--project", "acme/web", "--commit", refused,
                "--env", "default", "--interval", "100ms", "--timeout", "30s");
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(ncp.requests(RequestKind.DEPLOY)).hasSize(1);
        assertThat(r.err()).contains("NCP SourceDeploy started deployment", "but deploytrack could not record it",
                "the host refuses this commit", "It runs at NCP untracked")
                .doesNotContain("did not start", "tracker.track");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("pick it up with: (deploytrack ncp track .*)$")
                .matcher(r.err().strip());
        assertThat(m.find()).as(r.err()).isTrue();
        String command = m.group(1);
        assertThat(command).startsWith("deploytrack ncp track --project-id " + P + " --history-id ")
                .contains("--project acme/web", "--commit " + refused, "--env default");

        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("DROP TRIGGER host_refuses");
        }
        List<String> args = new java.util.ArrayList<>(List.of("--db", db.toString()));
        args.addAll(List.of(command.substring("deploytrack ".length()).split(" ")));
        args.addAll(List.of("--interval", "100ms", "--timeout", "30s"));
        Cli.Result track = cli().run(args.toArray(String[]::new));
        assertThat(track.code()).as(track.toString()).isZero();
        assertThat(table().values()).anySatisfy(row -> {
            assertThat(row.get("github_commit_sha")).isEqualTo(refused);
            assertThat(row.get("status")).isEqualTo("success");
            assertThat(row.get("user_id")).isEqualTo("deploytrack");
        });
    }

    @Test
    void afterSigkillOfATrackerResumeUntilIdleWaitsForItsLeasesAndTakesOver() throws Exception {
        assertThat(fixed().run(adoptArgs("--default", "user_id=deploytrack", "--apply")).code()).isZero();
        // three deployments followed at NCP, still in progress when their tracker dies
        List<Long> ids = new java.util.ArrayList<>();
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(db)) {
            for (int i = 0; i < 3; i++) {
                long history = ncp.createHistory(P, NcpScript.of(step("inprogress", Duration.ofSeconds(6)), end("success")));
                io.deploytrack.core.CheckRef ref = io.deploytrack.ncp.NcpPollingSource.ref(P, history);
                Deployment d = Fixtures.running(store, "acme/web", "default", "7c7c7c" + i, Instant.now(), ref,
                        Duration.ofMinutes(5), "nobody", Duration.ofMillis(1));
                ids.add(d.id());
            }
        }
        // a tracker in another process: deploytrack resume, killed with SIGKILL while it holds their leases
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(javaBin, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), io.deploytrack.cli.Deploytrack.class.getName(), "--db", db.toString(),
                "resume", "--interval", "200ms", "--lease", "5s").redirectErrorStream(true);
        pb.environment().put("NCP_ACCESS_KEY", ncp.accessKey());
        pb.environment().put("NCP_SECRET_KEY", ncp.secretKey());
        pb.environment().put("NCP_ENDPOINT", ncp.baseUri().toString());
        Process child = pb.start();
        try {
            java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream()));
            String line;
            StringBuilder seen = new StringBuilder();
            while ((line = out.readLine()) != null && !line.startsWith("resumed ")) {
                seen.append(line).append('\n');
            }
            assertThat(line).as(seen.toString()).isNotNull().startsWith("resumed ");
            for (long id : ids) {
                assertThat(seen.toString()).contains("#" + id + " acme/web@7c7c7c");
            }
            child.destroyForcibly();
            assertThat(child.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
        } finally {
            child.destroyForcibly();
        }
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(db)) {
            for (long id : ids) {
                assertThat(store.find(id).orElseThrow().isTerminal()).isFalse();
                assertThat(store.lease(id).orElseThrow().owner()).as("leased by the dead tracker").isNotEqualTo("nobody");
            }
        }
        Cli.Result resume = cli().run("--db", db.toString(), "resume", "--until-idle", "--interval", "200ms", "--lease", "3s");
        assertThat(resume.code()).as(resume.toString()).isZero();
        for (long id : ids) {
            assertThat(resume.out()).contains("waiting: #" + id);
        }
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(db)) {
            for (long id : ids) {
                assertThat(store.find(id).orElseThrow().status()).as("#%d", id)
                        .isEqualTo(io.deploytrack.core.DeploymentStatus.SUCCESS);
            }
        }
    }
}
