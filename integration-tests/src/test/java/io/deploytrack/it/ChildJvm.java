package io.deploytrack.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A child JVM running a main class of these test sources on the test's own classpath, with its stdout protocol lines
 * (prefixed {@value TrackingChild#PREFIX}) and its stderr collected as they come. Always {@link #close()} it: that
 * kills it if it still runs.
 */
public final class ChildJvm implements AutoCloseable {
    private static final Pattern LOCK_ERRORS = Pattern.compile("(?i)database is locked|SQLITE_BUSY|SQLITE_LOCKED");
    private static final Pattern EXPECTED_WARNINGS = Pattern.compile(
            " WARN .* (deployment_failed|deployment_cancelled|deployment_status_poll_failed) ");

    private final String name;
    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final StringBuffer stdout = new StringBuffer();
    private final StringBuffer stderr = new StringBuffer();
    private final Thread outReader;
    private final Thread errReader;

    private ChildJvm(String name, Process process) {
        this.name = name;
        this.process = process;
        this.outReader = pump(process.getInputStream(), line -> {
            stdout.append(line).append('\n');
            if (line.startsWith(TrackingChild.PREFIX)) {
                lines.add(line.substring(TrackingChild.PREFIX.length()));
            }
        }, name + "-stdout");
        this.errReader = pump(process.getErrorStream(), line -> stderr.append(line).append('\n'), name + "-stderr");
    }

    /** Starts {@code main} in a new JVM with {@code env} added to this process's environment. */
    public static ChildJvm start(String name, Class<?> main, Map<String, String> env, Path workDir, List<String> args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java,
                // small and quick to start: the tests run several at once on two cores
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
                // as the test JVM (see this module's pom): no thread per HTTP response on a 2-CPU machine
                "-Djava.util.concurrent.ForkJoinPool.common.parallelism=4",
                "-Djava.io.tmpdir=" + workDir,
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
        pb.environment().putAll(env);
        try {
            return new ChildJvm(name, pb.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start child JVM " + name, e);
        }
    }

    private static Thread pump(InputStream in, java.util.function.Consumer<String> sink, String threadName) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    sink.accept(line);
                }
            } catch (IOException e) {
                // the process died; what was read is kept
            }
        }, threadName);
        t.setDaemon(true);
        t.start();
        return t;
    }

    String name() {
        return name;
    }

    Process process() {
        return process;
    }

    /** The protocol lines so far, without the prefix. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    long countLines(Predicate<String> p) {
        return lines.stream().filter(p).count();
    }

    /** Waits for a protocol line matching {@code p}; fails early, with the child's output, if the child exits. */
    public String awaitLine(String what, Duration max, Predicate<String> p) {
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            for (String l : lines) {
                if (p.test(l)) {
                    return l;
                }
            }
            if (!process.isAlive()) {
                joinReaders();
                for (String l : lines) {
                    if (p.test(l)) {
                        return l;
                    }
                }
                throw new AssertionError(name + " exited with " + process.exitValue() + " before '" + what + "'"
                        + describeOutput());
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("waited " + max.toMillis() + " ms for " + name + " to say '" + what + "'"
                        + describeOutput());
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    /** Writes one line to the child's stdin. */
    void send(String line) {
        try {
            Writer w = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            w.write(line + "\n");
            w.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + name, e);
        }
    }

    /** Waits for the child to exit and for its output to be read; fails if it takes longer than {@code max}. */
    int awaitExit(Duration max) {
        try {
            if (!process.waitFor(max.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " still runs after " + max.toMillis() + " ms" + describeOutput());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + name, e);
        }
        joinReaders();
        return process.exitValue();
    }

    /** SIGKILL ({@link Process#destroyForcibly()} on Linux), then waits for the exit; returns the exit status. */
    public int kill() {
        process.destroyForcibly();
        return awaitExit(Duration.ofSeconds(30));
    }

    /** Lines of stderr that report SQLite lock contention as an error. */
    public List<String> lockErrors() {
        return stderr().lines().filter(l -> LOCK_ERRORS.matcher(l).find()).toList();
    }

    /**
     * Lines of stderr other than what a tracking child may log at WARN: a failed or cancelled deployment (the scripts
     * have them) and a poll that failed and is retried (an HTTP timeout on a loaded machine).
     */
    List<String> unexpectedStderr() {
        return stderr().lines().filter(l -> !l.isBlank() && !EXPECTED_WARNINGS.matcher(l).find()).toList();
    }

    String stderr() {
        return stderr.toString();
    }

    String stdout() {
        return stdout.toString();
    }

    public String describeOutput() {
        String err = stderr.toString();
        String out = stdout.toString();
        return "\n--- " + name + " stdout (last 3000 chars) ---\n" + tail(out, 3000)
                + "\n--- " + name + " stderr (last 6000 chars) ---\n" + tail(err, 6000);
    }

    private static String tail(String s, int n) {
        return s.length() <= n ? s : "..." + s.substring(s.length() - n);
    }

    private void joinReaders() {
        try {
            outReader.join(TimeUnit.SECONDS.toMillis(10));
            errReader.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Kills the child if it still runs (and its descendants, though it starts none). */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
