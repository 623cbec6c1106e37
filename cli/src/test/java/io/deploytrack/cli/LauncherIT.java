package io.deploytrack.cli;

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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code target/deploytrack} launcher as the README puts it on the PATH: a symlink in another directory, run by
 * {@code /bin/sh} from a third directory, with Java found through JAVA_HOME or through the PATH. Runs after package
 * (failsafe), so the script and the jar are the ones this build made.
 */
class LauncherIT {
    static Path launcher;

    @TempDir
    Path dir;

    @BeforeAll
    static void theLauncher() {
        launcher = Path.of(System.getProperty("deploytrack.launcher", "target/deploytrack")).toAbsolutePath();
        assertThat(launcher).as("the package phase leaves the launcher").isRegularFile().isExecutable();
    }

    record Run(int code, String out, String err) {
    }

    /** Runs the launcher through a symlink {@code dir/bin/deploytrack}, in {@code dir/work}, with this environment. */
    Run run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        return run(List.of(), env, args);
    }

    /** The same, the command line prefixed (e.g. by {@code setpriv} to run as another user). */
    Run run(List<String> prefix, Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path link = bin.resolve("deploytrack");
        if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            // A link to a link: the launcher must follow both to find the jar beside the real script.
            Path first = Files.createSymbolicLink(bin.resolve("deploytrack-real"), launcher);
            Files.createSymbolicLink(link, first.getFileName());
        }
        Path work = Files.createDirectories(dir.resolve("work"));
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(link.toString());
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        pb.environment().remove("DEPLOYTRACK_DB");
        pb.environment().remove("JAVA_HOME");
        pb.environment().remove("DEPLOYTRACK_JAVA_OPTS");
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("deploytrack %s ended in time", List.of(args)).isTrue();
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    static String javaHome() {
        return System.getProperty("java.home");
    }

    @Test
    void versionRunsThroughSymlinksWithJavaFromJavaHome() throws Exception {
        Run version = run(Map.of("JAVA_HOME", javaHome(), "PATH", "/usr/bin:/bin"), "--version");
        assertThat(version.code()).as(version.err()).isZero();
        assertThat(version.out().strip()).matches("deploytrack \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
        assertThat(version.err()).isEmpty();
    }

    @Test
    void aCommandReadsADatabaseGivenRelativeToTheWorkingDirectoryWithJavaFromThePath() throws Exception {
        Files.createDirectories(dir.resolve("work"));
        Path db = dir.resolve("work").resolve("history.db");
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(db)) {
            Fixtures.finished(store, "acme/web", "production", "aaaaaaa", Instant.parse("2026-03-01T10:00:00Z"), 40,
                    DeploymentStatus.SUCCESS);
        }
        // No JAVA_HOME: the java of the PATH (this JVM's bin first, then the system's for sh, sed, ls, dirname).
        Run history = run(Map.of("PATH", Path.of(javaHome(), "bin") + ":/usr/bin:/bin"), "--db", "history.db", "history");
        assertThat(history.code()).as(history.err()).isZero();
        assertThat(history.out()).contains("acme/web", "production", "aaaaaaa", "success");
    }

    /**
     * A history file this user cannot read is named as such, and left as it was. Tests and CI run as root, who reads
     * any file, so there the command runs as {@code nobody} (through util-linux's {@code setpriv}).
     */
    @Test
    void aFileThisUserCannotReadIsNamedAsSuchAndLeftAsItWas() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        Path db = work.resolve("locked.db");
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(db)) {
            Fixtures.finished(store, "acme/web", "production", "aaaaaaa", Instant.parse("2026-03-01T10:00:00Z"), 40,
                    DeploymentStatus.SUCCESS);
        }
        byte[] before = Files.readAllBytes(db);
        java.util.Set<java.nio.file.attribute.PosixFilePermission> open =
                java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x");
        Files.setPosixFilePermissions(dir, open);
        Files.setPosixFilePermissions(work, open);
        Files.setPosixFilePermissions(db, java.util.Set.of());
        boolean root = "root".equals(System.getProperty("user.name"));
        List<String> asNobody = root ? List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--")
                : List.of();
        Run run = run(asNobody, Map.of("JAVA_HOME", javaHome(), "PATH", "/usr/bin:/bin"), "--db", db.toString(), "history");
        assertThat(run.code()).as(run.err()).isEqualTo(1);
        assertThat(run.err()).contains("cannot read " + db + ": permission denied for this user",
                "give it read access or run as its owner");
        Files.setPosixFilePermissions(db, open);
        assertThat(Files.readAllBytes(db)).isEqualTo(before);
    }

    @Test
    void aJavaHomeWithoutJavaIsNamed() throws Exception {
        Path notAJdk = Files.createDirectories(dir.resolve("not-a-jdk"));
        Run run = run(Map.of("JAVA_HOME", notAJdk.toString(), "PATH", "/usr/bin:/bin"), "--version");
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains("JAVA_HOME is " + notAJdk, notAJdk.resolve("bin/java").toString(),
                "is not an executable");
    }
}
