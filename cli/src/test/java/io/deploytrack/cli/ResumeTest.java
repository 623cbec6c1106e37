package io.deploytrack.cli;

import io.deploytrack.core.CheckRef;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.Observation;
import io.deploytrack.core.testkit.ScriptedPollingSource;
import io.deploytrack.jdbc.JdbcHistoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** resume --until-idle follows every running row it can claim, and says why it left the others. */
class ResumeTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void resumeUntilIdleFollowsWhatItCanClaimToTheEndAndExits() {
        Path db = dir.resolve("history.db");
        ScriptedPollingSource source = ScriptedPollingSource.of("scripted-poll", Duration.ofMillis(50));
        CheckRef ok = source.ref("ok");
        CheckRef bad = source.ref("bad");
        source.script(ok, Observation.inProgress("inprogress"), Observation.succeeded("success"));
        source.script(bad, Observation.inProgress("inprogress"), Observation.failed("fail", "tests failed"));
        source.script(source.ref("held"), Observation.inProgress("inprogress"), Observation.succeeded("success"));
        Instant now = Instant.now();
        Deployment a;
        Deployment b;
        Deployment held;
        Deployment unknown;
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(db)) {
            // left running by an instance that crashed: its lease has expired
            a = Fixtures.running(store, "acme/web", "production", "aaaaaaa", now, ok, Duration.ofMinutes(5), "crashed", Duration.ofMillis(1));
            b = Fixtures.running(store, "acme/api", "production", "bbbbbbb", now, bad, Duration.ofMinutes(5), "crashed", Duration.ofMillis(1));
            // followed by an instance that then dies: its lease lapses in 2 s; and one of a type this command has no
            // source for
            held = Fixtures.running(store, "acme/db", "production", "ccccccc", now, source.ref("held"), Duration.ofMinutes(5),
                    "live-instance", Duration.ofSeconds(2));
            unknown = Fixtures.running(store, "acme/ui", "production", "ddddddd", now, CheckRef.of("elsewhere", "id", "9"),
                    Duration.ofMinutes(5), "crashed", Duration.ofMillis(1));
        }
        Cli.Result r = new Cli().source(source).run("--db", db.toString(), "resume", "--until-idle", "--interval", "100ms",
                "--lease", "3s");
        // until idle: it waits for the other instance's lease, takes that row over, and exits 1 for the row it
        // cannot follow, listing it
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).contains("resumed 2 deployments",
                "not resumed: #" + held.id() + " acme/db@ccccccc (production): followed by live-instance",
                "waiting: #" + held.id() + " acme/db@ccccccc (production) is followed by live-instance until",
                "not resumed: #" + unknown.id() + " acme/ui@ddddddd (production): check 'elsewhere'",
                "#" + a.id() + " acme/web@aaaaaaa (production): success",
                "#" + b.id() + " acme/api@bbbbbbb (production): failed", "tests failed",
                "#" + held.id() + " acme/db@ccccccc (production): success",
                "followed 3 to the end: 2 success, 1 not",
                "1 running deployment left that no source here can follow:", "#" + unknown.id() + " acme/ui@ddddddd");
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(db)) {
            assertThat(store.find(a.id()).orElseThrow().status()).isEqualTo(DeploymentStatus.SUCCESS);
            assertThat(store.find(b.id()).orElseThrow().status()).isEqualTo(DeploymentStatus.FAILED);
            assertThat(store.find(held.id()).orElseThrow().status()).isEqualTo(DeploymentStatus.SUCCESS);
            assertThat(store.find(unknown.id()).orElseThrow().status()).isEqualTo(DeploymentStatus.RUNNING);
        }
    }
}
