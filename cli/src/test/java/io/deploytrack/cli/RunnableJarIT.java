package io.deploytrack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.jdbc.JdbcHistoryStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runnable jar as operators run it: {@code java -jar target/deploytrack.jar} in a child process, nothing else on
 * the classpath. Runs after package (failsafe), so the jar is the one this build made.
 */
class RunnableJarIT {
    static Path jar;

    @TempDir
    Path dir;

    @BeforeAll
    static void theJar() {
        jar = Path.of(System.getProperty("deploytrack.jar", "target/deploytrack.jar"));
        assertThat(jar).as("the package phase leaves the runnable jar").isRegularFile();
    }

    record Run(int code, String out, String err) {
    }

    Run java(Map<String, String> env, String... args) throws IOException, InterruptedException {
        // A short-lived command: the first JIT tier is all it needs, and it starts faster.
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        pb.environment().remove("DEPLOYTRACK_DB");
        pb.environment().remove("NCP_ACCESS_KEY");
        pb.environment().remove("NCP_SECRET_KEY");
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("deploytrack %s ended in time", args).isTrue();
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void helpWorksWithNothingElseOnTheClasspathAndTheJarCarriesBothJdbcDrivers() throws Exception {
        Run help = java(Map.of(), "--help");
        assertThat(help.code()).as(help.err()).isZero();
        assertThat(help.out()).contains("Usage: deploytrack", "history", "doctor", "repair", "mark", "rollback-target",
                "ncp", "kubernetes", "resume", "report", "Exit codes");

        try (JarFile j = new JarFile(jar.toFile())) {
            assertThat(j.getEntry("org/sqlite/JDBC.class")).isNotNull();
            // sqlite-jdbc loads a native library: JDK 22+ warns on every run unless the manifest allows it.
            assertThat(j.getManifest().getMainAttributes().getValue("Enable-Native-Access")).isEqualTo("ALL-UNNAMED");
            assertThat(j.getManifest().getMainAttributes().getValue("Automatic-Module-Name"))
                    .isEqualTo("io.deploytrack.cli");
            assertThat(j.getEntry("org/postgresql/Driver.class")).isNotNull();
            String drivers = new String(j.getInputStream(j.getEntry("META-INF/services/java.sql.Driver")).readAllBytes(),
                    StandardCharsets.UTF_8);
            assertThat(drivers).contains("org.sqlite.JDBC", "org.postgresql.Driver");
            assertThat(j.stream().map(e -> e.getName()).filter(n -> n.matches("META-INF/[^/]+\\.(SF|DSA|RSA|EC)"))).isEmpty();
        }
    }

    @Test
    void theCommandsAnswerWithTheirExitCodesOnARealFile() throws Exception {
        Path db = dir.resolve("history.db");
        Instant t0 = Instant.parse("2026-03-01T10:00:00Z");
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(db)) {
            Fixtures.finished(store, "acme/web", "production", "aaaaaaa", t0, 40, DeploymentStatus.SUCCESS);
            Fixtures.finished(store, "acme/web", "production", "bbbbbbb", t0.plusSeconds(600), 50, DeploymentStatus.SUCCESS);
        }
        Map<String, String> env = Map.of("DEPLOYTRACK_DB", db.toString());

        Run history = java(env, "history", "--json");
        assertThat(history.code()).as(history.err()).isZero();
        JsonNode rows = new ObjectMapper().readTree(history.out());
        assertThat(rows).extracting(r -> r.get("commitSha").asText()).containsExactly("bbbbbbb", "aaaaaaa");

        Run doctor = java(env, "doctor");
        assertThat(doctor.code()).as(doctor.out() + doctor.err()).isZero();
        assertThat(doctor.out()).contains("healthy: 2 deployments");

        Run missing = java(Map.of(), "--db", db.toString(), "show", "99");
        assertThat(missing.code()).isEqualTo(4);
        assertThat(missing.err().lines()).hasSize(1);

        Run usage = java(env, "mark", "1", "--status", "done", "--reason", "x");
        assertThat(usage.code()).isEqualTo(2);
        assertThat(usage.err().lines()).hasSize(1);
        assertThat(usage.err()).doesNotContain("Exception");

        Path page = dir.resolve("report.html");
        Run report = java(env, "report", "--html", page.toString());
        assertThat(report.code()).as(report.err()).isZero();
        assertThat(Files.readString(page)).contains("<circle class=\"deployment");

        Run noDb = java(Map.of(), "history");
        assertThat(noDb.code()).isEqualTo(1);
        assertThat(noDb.err()).contains(dir.toRealPath().resolve("deploytrack.db").toString(), "DEPLOYTRACK_DB");
    }
}
