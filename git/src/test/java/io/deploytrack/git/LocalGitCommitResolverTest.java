package io.deploytrack.git;

import io.deploytrack.core.CommitResolver.Commit;
import io.deploytrack.core.CommitResolver.CommitResolverException;
import org.junit.jupiter.api.BeforeEach;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The local resolver on a real repository made with the real git binary, commit times set exactly. */
class LocalGitCommitResolverTest {
    @TempDir
    Path repo;
    final List<String> shas = new ArrayList<>();

    /** Runs git in the repository with committer and author dates {@code date} (when given); returns stdout. */
    static String git(Path dir, String date, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("git", "-C", dir.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("HOME", dir.toString());
        if (date != null) {
            env.put("GIT_AUTHOR_DATE", date);
            env.put("GIT_COMMITTER_DATE", date);
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out.strip();
    }

    /** A repository of {@code dates.length} commits, one file changed each; their SHAs in order. */
    static List<String> history(Path dir, String... dates) throws IOException, InterruptedException {
        git(dir, null, "init", "-q", "-b", "main");
        git(dir, null, "config", "user.name", "Test");
        git(dir, null, "config", "user.email", "test@example.com");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < dates.length; i++) {
            Files.writeString(dir.resolve("f.txt"), "v" + i);
            git(dir, null, "add", "f.txt");
            git(dir, dates[i], "commit", "-q", "-m", "change " + i);
            out.add(git(dir, null, "rev-parse", "HEAD"));
        }
        return out;
    }

    @BeforeEach
    void repository() throws Exception {
        shas.addAll(history(repo, "2026-03-01T09:00:00Z", "2026-03-01T10:00:00Z", "2026-03-01T11:30:00+09:00",
                "2026-03-02T08:00:00Z"));
    }

    @Test
    void theCommitsAfterFromUpToToWithTheirCommitterTimes() {
        List<Commit> commits = LocalGitCommitResolver.of(repo).commitsBetween("acme", "web", shas.get(0), shas.get(3));
        assertThat(commits).containsExactly(new Commit(shas.get(3), Instant.parse("2026-03-02T08:00:00Z")),
                new Commit(shas.get(2), Instant.parse("2026-03-01T02:30:00Z")),
                new Commit(shas.get(1), Instant.parse("2026-03-01T10:00:00Z")));
    }

    @Test
    void backwardsIsNoCommitsAndAShortShaWorks() {
        LocalGitCommitResolver git = LocalGitCommitResolver.of(repo);
        assertThat(git.commitsBetween("acme", "web", shas.get(3), shas.get(1))).isEmpty();
        assertThat(git.commitsBetween("acme", "web", shas.get(1).substring(0, 7), shas.get(2).substring(0, 7)))
                .extracting(Commit::sha).containsExactly(shas.get(2));
    }

    @Test
    void anUnknownCommitOrAnArgumentThatIsNoShaIsAClearError() {
        LocalGitCommitResolver git = LocalGitCommitResolver.of(repo);
        assertThatThrownBy(() -> git.commitsBetween("acme", "web", shas.get(0), "0123456789abcdef"))
                .isInstanceOf(CommitResolverException.class).hasMessageContaining("0123456789abcdef")
                .hasMessageContaining("git fetch");
        assertThatThrownBy(() -> git.commitsBetween("acme", "web", "--output=/tmp/x", shas.get(0)))
                .isInstanceOf(CommitResolverException.class).hasMessageContaining("'--output=/tmp/x' is not usable");
        assertThatThrownBy(() -> LocalGitCommitResolver.of(repo.resolve("missing")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing");
    }
}
