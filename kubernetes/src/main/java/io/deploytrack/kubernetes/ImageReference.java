package io.deploytrack.kubernetes;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A container image reference, parsed and normalised the way Docker and Kubernetes read it:
 * {@code [registry[:port]/]repository[:tag][@algorithm:hex]}.
 *
 * <p>Normalisation: without a registry the image comes from {@code docker.io} ({@code index.docker.io}
 * is the same registry), a one-part Docker Hub repository lives under {@code library/}, and a reference
 * with neither tag nor digest means the tag {@code latest}. So {@code nginx} equals
 * {@code docker.io/library/nginx:latest}. A first part with a dot or a colon, or {@code localhost}, is
 * a registry, so {@code registry.local:5000/app:1.2} has registry {@code registry.local:5000} and tag
 * {@code 1.2}: splitting on the first ':' would be wrong.
 *
 * <p>Instances are immutable, always normalised, and equal when their normalised forms are equal.
 * It is a final class rather than a record so that no instance can bypass normalisation.
 */
public final class ImageReference {

    private static final String DEFAULT_DOMAIN = "docker.io";
    private static final String LEGACY_DEFAULT_DOMAIN = "index.docker.io";
    private static final String OFFICIAL_PREFIX = "library/";
    private static final String DEFAULT_TAG = "latest";
    private static final int MAX_NAME_LENGTH = 255;
    private static final String EXPECTED =
            "expected [registry[:port]/]repository[:tag][@algorithm:hex], e.g. registry.local:5000/app:1.2";

    // The grammar of github.com/distribution/reference, written out for Java.
    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final Pattern DOMAIN = Pattern.compile(
            "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?");
    private static final String PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    private static final Pattern PATH = Pattern.compile(PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DIGEST =
            Pattern.compile("[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}");
    private static final Pattern RESERVED_HEX = Pattern.compile("[a-f0-9]{64}");

    private final String domain;
    private final String path;
    private final String tag;
    private final String digest;

    private ImageReference(String domain, String path, String tag, String digest) {
        this.domain = domain;
        this.path = path;
        this.tag = tag;
        this.digest = digest;
    }

    /**
     * Parses and normalises an image reference.
     *
     * @param reference the reference as written in a pod template, e.g. {@code nginx},
     *                  {@code registry.local:5000/app:1.2}, {@code app@sha256:...}
     * @return the normalised reference
     * @throws IllegalArgumentException when the reference is null, empty or not a valid image reference;
     *                                  the message names the value and what is expected
     */
    public static ImageReference parse(String reference) {
        if (reference == null || reference.isBlank()) {
            throw new IllegalArgumentException("image reference must not be empty, got "
                    + (reference == null ? "null" : "\"" + reference + "\"") + ": " + EXPECTED);
        }
        if (RESERVED_HEX.matcher(reference).matches()) {
            throw invalid(reference, "a 64-character hexadecimal string is an image id, not a repository name");
        }
        String rest = reference;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            checkDigest(reference, digest);
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        // A colon before the last '/' belongs to a registry port, not to a tag.
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw invalid(reference, "tag \"" + tag + "\" is not valid (letters, digits, '_', '.', '-',"
                        + " at most 128, not starting with '.' or '-')");
            }
        }
        if (rest.isEmpty()) {
            throw invalid(reference, "the repository name is missing");
        }
        if (rest.length() > MAX_NAME_LENGTH) {
            throw invalid(reference, "the repository name is longer than " + MAX_NAME_LENGTH + " characters");
        }
        String domain;
        String path;
        int slash = rest.indexOf('/');
        String first = slash < 0 ? null : rest.substring(0, slash);
        if (first == null || (first.indexOf('.') < 0 && first.indexOf(':') < 0 && !first.equals("localhost")
                && first.toLowerCase(Locale.ROOT).equals(first))) {
            domain = DEFAULT_DOMAIN;
            path = rest;
        } else {
            domain = first.toLowerCase(Locale.ROOT); // host names are case-insensitive
            path = rest.substring(slash + 1);
            if (!DOMAIN.matcher(first).matches()) {
                throw invalid(reference, "registry \"" + first + "\" is not a valid host[:port]");
            }
        }
        if (domain.equals(LEGACY_DEFAULT_DOMAIN)) {
            domain = DEFAULT_DOMAIN;
        }
        if (!path.toLowerCase(Locale.ROOT).equals(path)) {
            throw invalid(reference, "repository name \"" + path + "\" must be lowercase");
        }
        if (!PATH.matcher(path).matches()) {
            throw invalid(reference, "repository name \"" + path + "\" is not valid (lowercase letters and digits,"
                    + " parts separated by '/', words by '.', '_', '__' or '-')");
        }
        if (domain.equals(DEFAULT_DOMAIN) && path.indexOf('/') < 0) {
            path = OFFICIAL_PREFIX + path;
        }
        if (tag == null && digest == null) {
            tag = DEFAULT_TAG;
        }
        return new ImageReference(domain, path, tag, digest);
    }

    private static void checkDigest(String reference, String digest) {
        if (!DIGEST.matcher(digest).matches()) {
            throw invalid(reference, "digest \"" + digest + "\" is not valid, expected algorithm:hex such as"
                    + " sha256: followed by 64 lowercase hexadecimal digits");
        }
        int colon = digest.indexOf(':');
        String algorithm = digest.substring(0, colon);
        String hex = digest.substring(colon + 1);
        int expectedLength = switch (algorithm) {
            case "sha256" -> 64;
            case "sha384" -> 96;
            case "sha512" -> 128;
            default -> -1;
        };
        if (expectedLength > 0 && (hex.length() != expectedLength || !hex.equals(hex.toLowerCase(Locale.ROOT)))) {
            throw invalid(reference, "digest \"" + digest + "\" is not valid, " + algorithm + " needs "
                    + expectedLength + " lowercase hexadecimal digits, got " + hex.length());
        }
    }

    private static IllegalArgumentException invalid(String reference, String why) {
        return new IllegalArgumentException("invalid image reference \"" + reference + "\": " + why + "; " + EXPECTED);
    }

    /** @return the registry, with port if any, e.g. {@code docker.io} or {@code registry.local:5000} */
    public String domain() {
        return domain;
    }

    /** @return the repository path inside the registry, e.g. {@code library/nginx} */
    public String path() {
        return path;
    }

    /** @return the full repository name, registry included, e.g. {@code docker.io/library/nginx} */
    public String name() {
        return domain + "/" + path;
    }

    /**
     * @return the tag; {@code latest} when the reference had neither tag nor digest, empty when it had
     *     only a digest
     */
    public Optional<String> tag() {
        return Optional.ofNullable(tag);
    }

    /** @return the digest, e.g. {@code sha256:...}, when the reference carries one */
    public Optional<String> digest() {
        return Optional.ofNullable(digest);
    }

    /**
     * Whether this reference and another one name the same image: the same repository, and
     * <ul>
     *   <li>when both carry a digest, the same digest (tags are then ignored: the runtime pulls by digest);</li>
     *   <li>when neither does, the same tag ({@code latest} when none was written);</li>
     *   <li>when only one does, the same tag on both: {@code app:1.2} matches {@code app:1.2@sha256:...}
     *       (a tag pinned to the digest it pointed to), but {@code app:1.2} does not match
     *       {@code app@sha256:...}, which carries no tag to compare.</li>
     * </ul>
     * The relation is symmetric.
     *
     * @param other the other reference, not null
     * @return whether both name the same image
     */
    public boolean matches(ImageReference other) {
        Objects.requireNonNull(other, "image reference to compare with must not be null");
        if (!domain.equals(other.domain) || !path.equals(other.path)) {
            return false;
        }
        if (digest != null && other.digest != null) {
            return digest.equals(other.digest);
        }
        return Objects.equals(tag, other.tag);
    }

    /**
     * Parses {@code other} and compares as {@link #matches(ImageReference)}.
     *
     * @param other the other reference as text
     * @return whether both name the same image
     * @throws IllegalArgumentException when {@code other} is not a valid reference
     */
    public boolean matches(String other) {
        return matches(parse(other));
    }

    /** @return the normalised reference, e.g. {@code docker.io/library/nginx:latest} */
    @Override
    public String toString() {
        return name() + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageReference r && domain.equals(r.domain) && path.equals(r.path)
                && Objects.equals(tag, r.tag) && Objects.equals(digest, r.digest);
    }

    @Override
    public int hashCode() {
        return Objects.hash(domain, path, tag, digest);
    }
}
