package io.deploytrack.git;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deploytrack.core.CommitResolver;
import io.deploytrack.git.internal.ConditionalCache;
import io.deploytrack.git.internal.RateLimit;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Commit times from GitHub's REST API: "Compare two commits" ({@code GET /repos/{owner}/{repo}/compare/{base}...{head}},
 * paginated with {@code per_page} and {@code page} since March 2021, the next page named by the {@code Link} header's
 * {@code rel="next"}), each commit's {@code commit.committer.date}.
 *
 * <p>Every page is asked conditionally: the ETag of the last answer goes out as {@code If-None-Match}, and a
 * {@code 304 Not Modified} (which GitHub does not count against the primary rate limit when the request is
 * authorized) reuses the answer kept. Rate limits are honoured: after an answer saying
 * {@code x-ratelimit-remaining: 0} the next request waits until {@code x-ratelimit-reset}; a 403 or 429 with
 * {@code retry-after} or an exhausted limit is retried after that wait. A wait longer than {@link Builder#maxWait} is
 * not made: the call fails with a message saying when the limit resets.
 *
 * <p>The token ({@code GITHUB_TOKEN}) is sent only to the configured API base and never appears in a message or
 * {@code toString}. For GitHub Enterprise Server, the base is {@code https://HOST/api/v3}.
 */
public final class GitHubCommitResolver implements CommitResolver {
    /** github.com's API. */
    public static final URI GITHUB_API = URI.create("https://api.github.com");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"next\"");
    private static final int PER_PAGE = 100;
    private static final int MAX_PAGES = 100;

    /** How a wait is made (the thread sleeps by default; tests move a manual clock). */
    @FunctionalInterface
    public interface Waiter {
        /** Waits {@code d}. */
        void await(Duration d) throws InterruptedException;
    }

    private record Page(List<Commit> commits, String next) {
    }

    private final String base;
    private final String token;
    private final HttpClient http;
    private final Clock clock;
    private final Waiter waiter;
    private final Duration maxWait;
    private final ConditionalCache<Page> cache = new ConditionalCache<>(1_000);
    private final Object limitLock = new Object();
    private java.time.Instant pendingUntil;

    private GitHubCommitResolver(Builder b) {
        String s = b.apiBase.toString();
        this.base = s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
        this.token = b.token;
        this.http = b.http != null ? b.http : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        this.clock = b.clock;
        this.waiter = b.waiter;
        this.maxWait = b.maxWait;
    }

    /** A builder: github.com, no token, the system clock, waits of up to a minute. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder with the token of {@code GITHUB_TOKEN} in {@code environment} (none when unset: 60 requests an hour).
     */
    public static Builder fromEnvironment(Map<String, String> environment) {
        String t = environment.get("GITHUB_TOKEN");
        return builder().token(t == null || t.isBlank() ? null : t.strip());
    }

    @Override
    public List<Commit> commitsBetween(String owner, String repo, String fromSha, String toSha) {
        String url = base + "/repos/" + segment(owner) + "/" + segment(repo) + "/compare/" + segment(fromSha) + "..."
                + segment(toSha) + "?per_page=" + PER_PAGE + "&page=1";
        List<Commit> all = new ArrayList<>();
        for (int pages = 0; url != null; pages++) {
            if (pages == MAX_PAGES) {
                throw new CommitResolverException("GitHub's compare of " + owner + "/" + repo + " " + fromSha + "..."
                        + toSha + " has more than " + MAX_PAGES * PER_PAGE + " commits: expected a smaller range");
            }
            Page p = page(url, owner + "/" + repo + " " + fromSha + "..." + toSha);
            all.addAll(p.commits());
            url = p.next();
        }
        return all;
    }

    private Page page(String url, String what) {
        for (int attempt = 1; ; attempt++) {
            waitIfLimited(what);
            ConditionalCache.Entry<Page> kept = cache.get(url);
            HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET()
                    .header("Accept", "application/vnd.github+json").header("X-GitHub-Api-Version", "2022-11-28")
                    .header("User-Agent", "deploytrack");
            if (token != null) {
                req.header("Authorization", "Bearer " + token);
            }
            if (kept != null) {
                req.header("If-None-Match", kept.etag());
            }
            HttpResponse<String> r = send(req.build(), what);
            int status = r.statusCode();
            boolean limited = status == 429 || status == 403;
            Optional<Duration> wait = RateLimit.waitBefore(r.headers(), clock.instant(), limited);
            wait.ifPresent(this::remember);
            if (status == 304 && kept != null) {
                return kept.value();
            }
            if (status == 200) {
                Page p = parse(r, what);
                cache.put(url, r.headers().firstValue("ETag").orElse(null), p);
                return p;
            }
            if (limited && wait.isPresent() && attempt < 3) {
                continue;
            }
            throw failure(status, what, wait.isPresent());
        }
    }

    private void remember(Duration d) {
        synchronized (limitLock) {
            pendingUntil = clock.instant().plus(d);
        }
    }

    private void waitIfLimited(String what) {
        Duration d;
        synchronized (limitLock) {
            if (pendingUntil == null) {
                return;
            }
            d = Duration.between(clock.instant(), pendingUntil);
            if (d.isNegative() || d.isZero()) {
                pendingUntil = null;
                return;
            }
            if (d.compareTo(maxWait) > 0) {
                throw new CommitResolverException("GitHub's rate limit is used up until " + pendingUntil + " (" + d
                        .getSeconds() + " s from now, more than the " + maxWait.getSeconds() + " s this resolver waits)"
                        + " while reading " + what + ": try again after it, or with a token (GITHUB_TOKEN)");
            }
        }
        try {
            waiter.await(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommitResolverException("interrupted while waiting for GitHub's rate limit to reset", e);
        }
        synchronized (limitLock) {
            pendingUntil = null;
        }
    }

    private HttpResponse<String> send(HttpRequest request, String what) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CommitResolverException("could not reach " + base + " for " + what + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommitResolverException("interrupted while asking GitHub for " + what, e);
        }
    }

    private Page parse(HttpResponse<String> r, String what) {
        List<Commit> commits = new ArrayList<>();
        try {
            JsonNode root = JSON.readTree(r.body());
            for (JsonNode c : root.path("commits")) {
                String sha = c.path("sha").asText(null);
                String date = c.path("commit").path("committer").path("date").asText(null);
                if (sha == null || date == null) {
                    throw new CommitResolverException("GitHub's compare of " + what + " has a commit without a sha or "
                            + "commit.committer.date");
                }
                commits.add(new Commit(sha, OffsetDateTime.parse(date).toInstant()));
            }
        } catch (IOException | java.time.DateTimeException e) {
            throw new CommitResolverException("GitHub's compare of " + what + " is not the JSON expected: "
                    + e.getMessage(), e);
        }
        String next = null;
        for (String link : r.headers().allValues("Link")) {
            Matcher m = NEXT.matcher(link);
            if (m.find()) {
                next = m.group(1);
            }
        }
        if (next != null && !next.startsWith(base + "/")) {
            // the token goes only to the configured API
            throw new CommitResolverException("GitHub's next page of " + what + " is outside " + base + ": " + next);
        }
        return new Page(commits, next);
    }

    private CommitResolverException failure(int status, String what, boolean rateLimited) {
        String why = switch (status) {
            case 401 -> "the token was refused (401): expected a valid GITHUB_TOKEN";
            case 404 -> "GitHub has no such repository or commit, or the token may not read it (404)";
            case 304 -> "GitHub answered 304 to a request that was not conditional";
            default -> rateLimited ? "GitHub's rate limit is still used up after retrying (" + status + ")"
                    : (status == 403 ? "GitHub refused access (403): expected a token that may read the repository"
                    : "GitHub answered " + status);
        };
        return new CommitResolverException("could not read the commits of " + what + ": " + why);
    }

    private static String segment(String s) {
        Objects.requireNonNull(s, "a repository, owner or SHA");
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public String toString() {
        return "GitHubCommitResolver[" + base + (token == null ? ", no token" : ", token set") + "]";
    }

    /** How the resolver is built. */
    public static final class Builder {
        private URI apiBase = GITHUB_API;
        private String token;
        private HttpClient http;
        private Clock clock = Clock.systemUTC();
        private Waiter waiter = d -> Thread.sleep(d.toMillis());
        private Duration maxWait = Duration.ofMinutes(1);

        private Builder() {
        }

        /** The API base: {@code https://api.github.com}, or {@code https://HOST/api/v3} for Enterprise Server. */
        public Builder apiBase(URI base) {
            Objects.requireNonNull(base, "base");
            if (base.getScheme() == null || !(base.getScheme().equals("https") || base.getScheme().equals("http"))
                    || base.getHost() == null) {
                throw new IllegalArgumentException("GitHub API base " + base + " is not usable: expected an http(s) URL"
                        + ", e.g. https://github.example.com/api/v3");
            }
            this.apiBase = base;
            return this;
        }

        /** The token (a personal access token or an app's), or null for unauthenticated requests. */
        public Builder token(String token) {
            this.token = token;
            return this;
        }

        /** The HTTP client (default: a new one). */
        public Builder httpClient(HttpClient http) {
            this.http = http;
            return this;
        }

        /** The clock that rate-limit resets are compared with. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How waits are made. */
        public Builder waiter(Waiter waiter) {
            this.waiter = Objects.requireNonNull(waiter, "waiter");
            return this;
        }

        /** The longest wait for a rate limit to reset before a call fails instead (default one minute). */
        public Builder maxWait(Duration maxWait) {
            if (maxWait == null || maxWait.isNegative()) {
                throw new IllegalArgumentException("max wait " + maxWait + " is not usable: expected zero or more");
            }
            this.maxWait = maxWait;
            return this;
        }

        /** The resolver. */
        public GitHubCommitResolver build() {
            return new GitHubCommitResolver(this);
        }
    }
}
