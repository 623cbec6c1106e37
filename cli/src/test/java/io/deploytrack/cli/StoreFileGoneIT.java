package io.deploytrack.cli;

import io.deploytrack.jdbc.JdbcHistoryStore;
import io.deploytrack.ncp.emulator.NcpEmulator;
import io.deploytrack.ncp.emulator.NcpScript;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static io.deploytrack.ncp.emulator.NcpScript.end;
import static io.deploytrack.ncp.emulator.NcpScript.step;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The commands that run until stopped (tracking, {@code resume}, {@code webhook serve}), as operators run them (the
 * runnable jar in a child JVM), stop with exit 1 and a message naming the file when their SQLite file is deleted
 * under them. Found by a probe: with the file deleted, 394 deployments were tracked into it without one error, and
 * all of them were gone when the process exited.
 */
class StoreFileGoneIT {
    static Path jar;

    @TempDir
    Path dir;
    private final List<Process> started = new ArrayList<>();
    private NcpEmulator ncp;

    @BeforeAll
    static void theJar() {
        jar = Path.of(System.getProperty("deploytrack.jar", "target/deploytrack.jar"));
        assertThat(jar).as("the package phase leaves the runnable jar").isRegularFile();
    }

    @AfterEach
    void stop() {
        started.forEach(Process::destroyForcibly);
        if (ncp != null) {
            ncp.close();
        }
    }

    private record Child(Process process, Path out, Path err) {
        String stdout() throws IOException {
            return Files.readString(out, StandardCharsets.UTF_8);
        }

        String stderr() throws IOException {
            return Files.readString(err, StandardCharsets.UTF_8);
        }
    }

    private Child start(Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xmx128m", "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile());
        pb.environment().remove("DEPLOYTRACK_DB");
        pb.environment().putAll(env);
        Process p = pb.start();
        started.add(p);
        return new Child(p, out, err);
    }

    /** Waits, bounded, for {@code condition}; the wait is the child's own exit, so a child that dies ends it early. */
    private static void await(String what, Child child, BooleanSupplier condition) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() < until).as("%s within 60 s; stderr: %s", what, child.stderr()).isTrue();
            if (child.process().waitFor(100, TimeUnit.MILLISECONDS)) {
                assertThat(condition.getAsBoolean()).as("%s before the child exited (%s); stdout: %s stderr: %s", what,
                        child.process().exitValue(), child.stdout(), child.stderr()).isTrue();
            }
        }
    }

    private static void deleteWithJournal(Path db) throws IOException {
        Files.delete(db);
        Files.deleteIfExists(Path.of(db + "-wal"));
        Files.deleteIfExists(Path.of(db + "-shm"));
    }

    private static void exitsWithTheMessage(Child child, Path db) throws Exception {
        assertThat(child.process().waitFor(60, TimeUnit.SECONDS)).as("the child exits after its file was deleted; stderr: %s",
                child.stderr()).isTrue();
        assertThat(child.process().exitValue()).as("exit code; stderr: %s", child.stderr()).isEqualTo(1);
        assertThat(child.stderr()).contains("the SQLite file " + db, "was deleted");
        assertThat(db).as("no file made again at the path").doesNotExist();
    }

    @Test
    void trackingStopsWithExit1WhenItsFileIsDeleted() throws Exception {
        ncp = NcpEmulator.start();
        long project = 12;
        ncp.addScenario(project, 34, 56);
        long historyId = ncp.createHistory(project, NcpScript.of(step("inprogress", Duration.ofHours(1)), end("success")));
        Path db = dir.toRealPath().resolve("tracked.db");
        Child child = start(Map.of("NCP_ACCESS_KEY", ncp.accessKey(), "NCP_SECRET_KEY", ncp.secretKey(),
                        "NCP_ENDPOINT", ncp.baseUri().toString()), "--db", db.toString(), "ncp", "track", "--project-id",
                String.valueOf(project), "--history-id", String.valueOf(historyId), "--project", "acme/web", "--commit",
                "3f2c1a9", "--interval", "100ms");
        await("the child polling NCP", child, () -> !ncp.requestsFor(historyId).isEmpty());

        deleteWithJournal(db);

        exitsWithTheMessage(child, db);
    }

    @Test
    void resumeStopsWithExit1WhenItsFileIsDeleted() throws Exception {
        Path db = dir.toRealPath().resolve("resumed.db");
        JdbcHistoryStore.sqlite(db).close();
        Child child = start(Map.of(), "--db", db.toString(), "resume", "--interval", "100ms");
        await("resume running", child, () -> stdout(child).contains("resumed 0 deployments"));

        deleteWithJournal(db);

        exitsWithTheMessage(child, db);
    }

    @Test
    void webhookServeStopsWithExit1WhenItsFileIsDeleted() throws Exception {
        Path db = dir.toRealPath().resolve("served.db");
        JdbcHistoryStore.sqlite(db).close();
        Child child = start(Map.of("DEPLOYTRACK_WEBHOOK_SECRET", "a-shared-secret-for-this-test-only"), "--db",
                db.toString(), "webhook", "serve", "--port", "0", "--path", "/hooks");
        await("the receiver listening", child, () -> stdout(child).contains("listening on"));

        deleteWithJournal(db);

        exitsWithTheMessage(child, db);
    }

    private static String stdout(Child child) {
        try {
            return child.stdout();
        } catch (IOException e) {
            return "";
        }
    }
}
