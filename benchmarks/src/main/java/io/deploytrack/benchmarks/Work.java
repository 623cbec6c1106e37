package io.deploytrack.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where benchmarks put their files: {@code -Dbenchmarks.work}, by default {@code target/bench-work}. */
public final class Work {
    /** The system property naming the folder. */
    public static final String PROPERTY = "benchmarks.work";

    private Work() {
    }

    /** The folder, created if needed. */
    public static Path dir() {
        Path dir = Path.of(System.getProperty(PROPERTY, "target/bench-work")).toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the benchmark folder " + dir, e);
        }
        return dir;
    }

    /** A file name in the folder, unique to this process. */
    public static Path file(String prefix, String suffix) {
        return dir().resolve(prefix + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + suffix);
    }
}
