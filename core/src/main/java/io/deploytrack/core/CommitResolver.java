package io.deploytrack.core;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Where commit times come from, for change lead time: the commits between two SHAs of a repository, each with its
 * commit time. Implementations: GitHub's REST API and a local git clone ({@code deploytrack-git}). Without a
 * resolver, insights leave lead time out (null), never guessed.
 */
public interface CommitResolver {

    /**
     * The commits reachable from {@code toSha} and not from {@code fromSha} (git's {@code from..to}), in any order.
     *
     * @param owner   the repository's owner
     * @param repo    the repository
     * @param fromSha the commit the previous deployment ran
     * @param toSha   the commit this deployment runs
     * @throws CommitResolverException when the commits cannot be read (unknown SHA, no access, rate limit)
     */
    List<Commit> commitsBetween(String owner, String repo, String fromSha, String toSha);

    /**
     * One commit.
     *
     * @param sha         its full SHA
     * @param committedAt its committer time
     */
    record Commit(String sha, Instant committedAt) {
        /** Validates. */
        public Commit {
            Objects.requireNonNull(sha, "sha");
            Objects.requireNonNull(committedAt, "committedAt");
        }
    }

    /** The commits between two SHAs cannot be read; the message says which and why (never a token). */
    class CommitResolverException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** Creates the exception. */
        public CommitResolverException(String message, Throwable cause) {
            super(message, cause);
        }

        /** Creates the exception. */
        public CommitResolverException(String message) {
            super(message);
        }
    }
}
