package io.deploytrack.cli.internal;

import io.deploytrack.core.CommitResolver;
import io.deploytrack.git.GitHubCommitResolver;
import io.deploytrack.git.LocalGitCommitResolver;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Where {@code insights} reads commit times for lead time: {@code --git DIR} (a local clone, through the git binary) or
 * {@code --github} (GitHub's compare API, the token from {@code GITHUB_TOKEN}, {@code --github-api} for Enterprise).
 * Neither: no resolver, and lead time stays null. Not public API.
 */
final class CommitResolverOptions {
    static final String TOKEN_VARIABLE = "GITHUB_TOKEN";

    @Option(names = "--git", paramLabel = "DIR",
            description = "Read commit times from this local clone (the git binary; fetch first so it holds every "
                    + "deployed commit).")
    Path gitDirectory;

    @Option(names = "--github", description = "Read commit times from GitHub's compare API, with the token in "
            + TOKEN_VARIABLE + " (without one: unauthenticated, 60 requests an hour).")
    boolean github;

    @Option(names = "--github-api", paramLabel = "URL",
            description = "With --github: the API base of GitHub Enterprise Server, e.g. https://github.example.com/api/v3"
                    + " (default https://api.github.com).")
    String githubApi;

    /**
     * The resolver asked for, or null for none.
     *
     * @param usage makes a usage error (exit 2) from a message
     * @param err   where a warning goes
     */
    CommitResolver resolver(Context context, Function<String, RuntimeException> usage, PrintWriter err) {
        if (gitDirectory != null && github) {
            throw usage.apply("--git and --github are two sources of commit times: expected one of them");
        }
        if (githubApi != null && !github) {
            throw usage.apply("--github-api " + githubApi + " needs --github: expected both, or neither");
        }
        if (gitDirectory != null) {
            try {
                return LocalGitCommitResolver.of(gitDirectory);
            } catch (IllegalArgumentException e) {
                throw usage.apply("--git " + e.getMessage());
            }
        }
        if (!github) {
            return null;
        }
        GitHubCommitResolver.Builder b = GitHubCommitResolver.builder().token(context.env(TOKEN_VARIABLE))
                .clock(context.clock());
        if (githubApi != null) {
            try {
                b.apiBase(new URI(githubApi.strip()));
            } catch (URISyntaxException | IllegalArgumentException e) {
                throw usage.apply("--github-api '" + githubApi + "' is not usable: expected an http(s) URL, e.g. "
                        + "https://github.example.com/api/v3");
            }
        }
        if (context.env(TOKEN_VARIABLE) == null) {
            err.println("warning: " + TOKEN_VARIABLE + " is not set: asking GitHub without a token (60 requests an "
                    + "hour, public repositories only)");
            err.flush();
        }
        return b.build();
    }
}
