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
        ScriptedPollingSource source = new ScriptedPollingSource("scripted-poll", Duration.ofMillis(50));
        CheckRef ok = source.ref("ok");
        CheckRef bad = source.ref("bad");
        source.script(ok, Observation.inProgress("inprogress"), Observation.succeeded("success"));
        source.script(bad, Observation.inProgress("inprogress"), Observation.failed("fail", "tests failed"));
        Instant now = Instant.now();
        Deployment a;
        Deployment b;
        Deployment held;
        Deployment unknown;
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(db)) {
            // left running by an instance that crashed: its lease has expired
            a = Fixtures.running(store, "acme/web", "production", "aaaaaaa", now, ok, Duration.ofMinutes(5), "crashed", Duration.ofMillis(1));
            b = Fixtures.running(store, "acme/api", "production", "bbbbbbb", now, bad, Duration.ofMinutes(5), "crashed", Duration.ofMillis(1));
            // followed by a live instance; and one of a type this command has no source for
            held = Fixtures.running(store, "acme/db", "production", "ccccccc", now, source.ref("held"), Duration.ofMinutes(5),
                    "live-instance", Duration.ofHours(1));
            unknown = Fixtures.running(store, "acme/ui", "production", "ddddddd", now, CheckRef.of("elsewhere", "id", "9"),
                    Duration.ofMinutes(5), "crashed", Duration.ofMillis(1));
        }
        Cli.Result r = new Cli().source(source).run("--db", db.toString(), "resume", "--until-idle", "--interval", "100ms");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("resumed 2 deployments",
                "not resumed: #" + held.id() + " acme/db@ccccccc (production): followed by live-instance",
                "not resumed: #" + unknown.id() + " acme/ui@ddddddd (production): check 'elsewhere'",
                "#" + a.id() + " acme/web@aaaaaaa (production): success",
                "#" + b.id() + " acme/api@bbbbbbb (production): failed", "tests failed",
                "followed 2 to the end: 1 success, 1 not");
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(db)) {
            assertThat(store.find(a.id()).orElseThrow().status()).isEqualTo(DeploymentStatus.SUCCESS);
            assertThat(store.find(b.id()).orElseThrow().status()).isEqualTo(DeploymentStatus.FAILED);
            assertThat(store.find(held.id()).orElseThrow().status()).isEqualTo(DeploymentStatus.RUNNING);
            assertThat(store.find(unknown.id()).orElseThrow().status()).isEqualTo(DeploymentStatus.RUNNING);
            assertThat(store.lease(held.id()).orElseThrow().owner()).isEqualTo("live-instance");
        }
    }
}
