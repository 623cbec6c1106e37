package io.deploytrack.core;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a host asks deploytrack to record: which commit of which repository goes to which environment.
 *
 * <p>Build one with {@link #builder()}; {@link Builder#build()} validates every field and refuses bad input with an
 * {@link InvalidRequestException} naming the field and the expected form. The commit SHA is normalised to lower
 * case.
 *
 * @param owner          the GitHub owner (user or organisation): 1 to 39 letters, digits or single hyphens, not
 *                       starting or ending with a hyphen
 * @param repo           the GitHub repository name: 1 to 100 letters, digits, '.', '-' or '_', not "." or ".."
 * @param environment    where it goes; default {@value #DEFAULT_ENVIRONMENT}
 * @param commitSha      7 to 40 hexadecimal characters, lower case
 * @param rollback       whether this deployment rolls back to an earlier version
 * @param rollbackOf     the id of the deployment this rollback replaced, or null
 * @param idempotencyKey a key that makes {@code track} idempotent, or null to derive one from the first check's
 *                       source reference
 * @param startedAt      when the deployment started, or null for "now" by the tracker's clock
 * @param attributes     free key/values (image, provider ids, requesting user, commit message)
 */
public record DeploymentRequest(String owner, String repo, String environment, String commitSha, boolean rollback,
                                Long rollbackOf, String idempotencyKey, Instant startedAt,
                                Map<String, String> attributes) {

    /** The environment used when none is given. */
    public static final String DEFAULT_ENVIRONMENT = "production";

    private static final Pattern OWNER = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}");
    private static final Pattern REPO = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    private static final Pattern SHA = Pattern.compile("[0-9a-f]{7,40}");
    private static final Pattern ENVIRONMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern ATTRIBUTE_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final int MAX_KEY = 200;
    private static final int MAX_ATTRIBUTE_VALUE = 4096;

    /** Validates and normalises; prefer {@link #builder()}. */
    public DeploymentRequest {
        owner = requireMatch("owner", owner, OWNER,
                "a GitHub owner: 1 to 39 letters, digits or single hyphens, not starting or ending with '-'");
        repo = requireMatch("repo", repo, REPO, "a GitHub repository name: 1 to 100 letters, digits, '.', '-' or '_'");
        if (repo.equals(".") || repo.equals("..")) {
            throw new InvalidRequestException("repo", "repo '" + repo + "' is not a repository name: '.' and '..' are reserved");
        }
        environment = environment == null ? DEFAULT_ENVIRONMENT : environment;
        environment = requireMatch("environment", environment, ENVIRONMENT,
                "1 to 64 letters, digits, '.', '-' or '_', starting with a letter or digit (e.g. production)");
        if (commitSha == null || commitSha.isBlank()) {
            throw new InvalidRequestException("commitSha", "commitSha is required: 7 to 40 hexadecimal characters");
        }
        String sha = commitSha.trim().toLowerCase(Locale.ROOT);
        if (!SHA.matcher(sha).matches()) {
            throw new InvalidRequestException("commitSha", "commitSha '" + printable(commitSha)
                    + "' is not a commit SHA: expected 7 to 40 hexadecimal characters (0-9, a-f), got "
                    + commitSha.trim().length() + " characters");
        }
        commitSha = sha;
        if (rollbackOf != null && rollbackOf <= 0) {
            throw new InvalidRequestException("rollbackOf", "rollbackOf " + rollbackOf + " is not a deployment id: expected a positive number");
        }
        if (rollbackOf != null && !rollback) {
            throw new InvalidRequestException("rollbackOf", "rollbackOf is set (" + rollbackOf + ") but rollback is false: set rollback(true) too");
        }
        if (idempotencyKey != null) {
            if (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_KEY || hasControl(idempotencyKey)) {
                throw new InvalidRequestException("idempotencyKey", "idempotencyKey '" + printable(idempotencyKey)
                        + "' is not usable: expected 1 to " + MAX_KEY + " printable characters");
            }
        }
        Map<String, String> copy = new LinkedHashMap<>();
        if (attributes != null) {
            for (Map.Entry<String, String> e : attributes.entrySet()) {
                String k = e.getKey();
                if (k == null || !ATTRIBUTE_KEY.matcher(k).matches()) {
                    throw new InvalidRequestException("attributes", "attribute key '" + printable(k)
                            + "' is not usable: expected 1 to 64 letters, digits, '.', '-' or '_'");
                }
                String v = e.getValue();
                if (v == null || v.length() > MAX_ATTRIBUTE_VALUE) {
                    throw new InvalidRequestException("attributes", "attribute '" + k + "' has "
                            + (v == null ? "no value" : "a value of " + v.length() + " characters")
                            + ": expected a value of at most " + MAX_ATTRIBUTE_VALUE + " characters");
                }
                copy.put(k, v);
            }
        }
        attributes = Collections.unmodifiableMap(copy);
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder for a request for {@code owner/repo} at {@code commitSha}. */
    public static Builder builder(String owner, String repo, String commitSha) {
        return new Builder().owner(owner).repo(repo).commitSha(commitSha);
    }

    /** {@code owner/repo}. */
    public String project() {
        return owner + "/" + repo;
    }

    /** A copy with the given idempotency key. */
    public DeploymentRequest withIdempotencyKey(String key) {
        return new DeploymentRequest(owner, repo, environment, commitSha, rollback, rollbackOf, key, startedAt, attributes);
    }

    /** A copy with one more attribute. */
    public DeploymentRequest withAttribute(String key, String value) {
        Map<String, String> m = new LinkedHashMap<>(attributes);
        m.put(key, value);
        return new DeploymentRequest(owner, repo, environment, commitSha, rollback, rollbackOf, idempotencyKey, startedAt, m);
    }

    private static String requireMatch(String field, String value, Pattern pattern, String expected) {
        if (value == null || value.isBlank()) {
            throw new InvalidRequestException(field, field + " is required: expected " + expected);
        }
        if (!pattern.matcher(value).matches()) {
            throw new InvalidRequestException(field, field + " '" + printable(value) + "' is not valid: expected " + expected);
        }
        return value;
    }

    private static boolean hasControl(String s) {
        return s.chars().anyMatch(Character::isISOControl);
    }

    private static String printable(String s) {
        if (s == null) {
            return "null";
        }
        String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        StringBuilder b = new StringBuilder();
        cut.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                b.append(String.format("\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }

    /** Builds a {@link DeploymentRequest}; {@link #build()} validates. */
    public static final class Builder {
        private String owner;
        private String repo;
        private String environment = DEFAULT_ENVIRONMENT;
        private String commitSha;
        private boolean rollback;
        private Long rollbackOf;
        private String idempotencyKey;
        private Instant startedAt;
        private final Map<String, String> attributes = new LinkedHashMap<>();

        private Builder() {
        }

        /** The GitHub owner. */
        public Builder owner(String owner) {
            this.owner = owner;
            return this;
        }

        /** The GitHub repository name. */
        public Builder repo(String repo) {
            this.repo = repo;
            return this;
        }

        /** {@code owner/repo} in one string. */
        public Builder project(String ownerSlashRepo) {
            Objects.requireNonNull(ownerSlashRepo, "project");
            int slash = ownerSlashRepo.indexOf('/');
            if (slash <= 0 || slash != ownerSlashRepo.lastIndexOf('/') || slash == ownerSlashRepo.length() - 1) {
                throw new InvalidRequestException("project", "project '" + printable(ownerSlashRepo) + "' is not valid: expected OWNER/REPO");
            }
            return owner(ownerSlashRepo.substring(0, slash)).repo(ownerSlashRepo.substring(slash + 1));
        }

        /** The environment; default {@value DeploymentRequest#DEFAULT_ENVIRONMENT}. */
        public Builder environment(String environment) {
            this.environment = environment;
            return this;
        }

        /** The commit SHA, 7 to 40 hexadecimal characters. */
        public Builder commitSha(String commitSha) {
            this.commitSha = commitSha;
            return this;
        }

        /** Marks the deployment as a rollback. */
        public Builder rollback(boolean rollback) {
            this.rollback = rollback;
            return this;
        }

        /** Marks the deployment as a rollback that replaced deployment {@code id}. */
        public Builder rollbackOf(long id) {
            this.rollback = true;
            this.rollbackOf = id;
            return this;
        }

        /** An idempotency key: tracking the same key again returns the existing record. */
        public Builder idempotencyKey(String key) {
            this.idempotencyKey = key;
            return this;
        }

        /** When it started, if not now. */
        public Builder startedAt(Instant startedAt) {
            this.startedAt = startedAt;
            return this;
        }

        /** One free key/value attribute. */
        public Builder attribute(String key, String value) {
            attributes.put(key, value);
            return this;
        }

        /** Several attributes. */
        public Builder attributes(Map<String, String> values) {
            attributes.putAll(values);
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws InvalidRequestException naming the first bad field and the expected form
         */
        public DeploymentRequest build() {
            return new DeploymentRequest(owner, repo, environment, commitSha, rollback, rollbackOf, idempotencyKey,
                    startedAt, attributes);
        }
    }
}
