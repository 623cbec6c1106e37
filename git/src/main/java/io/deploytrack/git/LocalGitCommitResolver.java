package io.deploytrack.git;

import io.deploytrack.core.CommitResolver;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Commit times from a local clone, through the {@code git} binary: {@code git log --format=%H %ct from..to}, the
 * committer time of every commit reachable from {@code to} and not from {@code from}.
 *
 * <p>Why the binary and not JGit: a host that keeps a clone has git already, and the binary reads whatever that git
 * wrote (partial and shallow clones, the newest pack and index formats, SHA-256 repositories, worktrees) with no
 * library to keep in step with it; JGit would add several megabytes and its own transitive dependencies to every
 * host that only wants lead times. The clone must hold both commits: fetch before asking.
 *
 * <p>The owner and repository arguments are not checked against the clone's remote: one resolver serves one clone.
 * SHAs are checked to be hexadecimal before they reach the command line, so no argument can become an option.
 */
public final class LocalGitCommitResolver implements CommitResolver {
    private static final Pattern SHA = Pattern.compile("[0-9a-fA-F]{4,64}");

    private final Path directory;
    private final String gitBinary;
    private final Duration timeout;

    private LocalGitCommitResolver(Path directory, String gitBinary, Duration timeout) {
        this.directory = directory;
        this.gitBinary = gitBinary;
        this.timeout = timeout;
    }

    /**
     * A resolver over the clone at {@code directory}, with {@code git} from the PATH and a one-minute limit per call.
     *
     * @throws IllegalArgumentException when {@code directory} is not a folder
     */
    public static LocalGitCommitResolver of(Path directory) {
        return of(directory, "git", Duration.ofMinutes(1));
    }

    /** A resolver over the clone at {@code directory} with this git binary and limit per call. */
    public static LocalGitCommitResolver of(Path directory, String gitBinary, Duration timeout) {
        Objects.requireNonNull(directory, "directory");
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("git clone " + directory + " is not a folder: expected the folder of a "
                    + "local clone of the repository");
        }
        return new LocalGitCommitResolver(directory, Objects.requireNonNull(gitBinary, "gitBinary"),
                Objects.requireNonNull(timeout, "timeout"));
    }

    @Override
    public List<Commit> commitsBetween(String owner, String repo, String fromSha, String toSha) {
        requireSha(fromSha);
        requireSha(toSha);
        String range = fromSha + ".." + toSha;
        List<String> command = List.of(gitBinary, "-C", directory.toString(), "log", "--format=%H %ct",
                "--end-of-options", range);
        Process p;
        Path errors;
        try {
            // stderr to a file, so that a long error cannot fill its pipe while stdout is read
            errors = Files.createTempFile("deploytrack-git-", ".err");
            p = new ProcessBuilder(command).redirectError(errors.toFile()).start();
        } catch (IOException e) {
            throw new CommitResolverException("could not run " + gitBinary + " for " + range + " in " + directory
                    + ": " + e.getMessage(), e);
        }
        try {
            p.getOutputStream().close();
            String out = read(p.getInputStream());
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new CommitResolverException("git log " + range + " in " + directory + " took over " + timeout);
            }
            if (p.exitValue() != 0) {
                String err = Files.readString(errors, StandardCharsets.UTF_8);
                throw new CommitResolverException("git log " + range + " in " + directory + " failed (exit "
                        + p.exitValue() + "): " + err.strip() + "; expected a clone holding both commits (git fetch)");
            }
            return parse(out, range);
        } catch (IOException e) {
            p.destroyForcibly();
            throw new CommitResolverException("could not read git log " + range + " in " + directory, e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new CommitResolverException("interrupted while reading git log " + range, e);
        } finally {
            try {
                Files.deleteIfExists(errors);
            } catch (IOException ignored) {
                // a temporary file left behind is harmless
            }
        }
    }

    private static List<Commit> parse(String out, String range) {
        List<Commit> commits = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.strip().split(" ");
            if (parts.length != 2) {
                throw new CommitResolverException("git log " + range + " printed '" + line + "': expected a SHA and "
                        + "a committer time");
            }
            commits.add(new Commit(parts[0], Instant.ofEpochSecond(Long.parseLong(parts[1]))));
        }
        return commits;
    }

    private static String read(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    private static void requireSha(String sha) {
        if (sha == null || !SHA.matcher(sha).matches()) {
            throw new CommitResolverException("commit '" + sha + "' is not usable: expected a hexadecimal SHA");
        }
    }

    @Override
    public String toString() {
        return "LocalGitCommitResolver[" + directory + "]";
    }
}
