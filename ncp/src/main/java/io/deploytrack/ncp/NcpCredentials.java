package io.deploytrack.ncp;

import java.util.Map;
import java.util.Objects;

/**
 * An NCP API access key and its secret key. {@link #toString()} shows at most the first four
 * characters of the access key and never the secret.
 */
public final class NcpCredentials {

    /** The environment variable {@link #fromEnvironment()} reads the access key from. */
    public static final String ACCESS_KEY_VARIABLE = "NCP_ACCESS_KEY";
    /** The environment variable {@link #fromEnvironment()} reads the secret key from. */
    public static final String SECRET_KEY_VARIABLE = "NCP_SECRET_KEY";

    private final String accessKey;
    private final String secretKey;

    private NcpCredentials(String accessKey, String secretKey) {
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    /**
     * Credentials from their two parts.
     *
     * @param accessKey the access key (sent with every request)
     * @param secretKey the secret key (signs requests, never sent)
     * @return the credentials
     * @throws IllegalArgumentException when either is null or blank
     */
    public static NcpCredentials of(String accessKey, String secretKey) {
        if (accessKey == null || accessKey.isBlank()) {
            throw new IllegalArgumentException("NCP access key must not be " + (accessKey == null ? "null" : "blank"));
        }
        if (secretKey == null || secretKey.isBlank()) {
            throw new IllegalArgumentException("NCP secret key must not be " + (secretKey == null ? "null" : "blank"));
        }
        return new NcpCredentials(accessKey.strip(), secretKey.strip());
    }

    /**
     * Credentials from the environment variables {@code NCP_ACCESS_KEY} and {@code NCP_SECRET_KEY}.
     *
     * @return the credentials
     * @throws IllegalStateException naming the variable that is missing or blank
     */
    public static NcpCredentials fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * Credentials from a map of environment variables, read as {@link #fromEnvironment()} reads the
     * real environment.
     *
     * @param environment variable names to values
     * @return the credentials
     * @throws IllegalStateException naming the variable that is missing or blank
     */
    public static NcpCredentials fromEnvironment(Map<String, String> environment) {
        Objects.requireNonNull(environment, "environment");
        String access = environment.get(ACCESS_KEY_VARIABLE);
        String secret = environment.get(SECRET_KEY_VARIABLE);
        boolean noAccess = access == null || access.isBlank();
        boolean noSecret = secret == null || secret.isBlank();
        if (noAccess || noSecret) {
            String missing = noAccess && noSecret ? ACCESS_KEY_VARIABLE + " and " + SECRET_KEY_VARIABLE
                    : noAccess ? ACCESS_KEY_VARIABLE : SECRET_KEY_VARIABLE;
            throw new IllegalStateException("NCP credentials are not configured: the environment variable"
                    + (noAccess && noSecret ? "s " : " ") + missing + (noAccess && noSecret ? " are" : " is")
                    + " missing or blank; set them to an API access key and its secret key"
                    + " (NCP console, My Page > Authentication Key Management), or pass NcpCredentials.of(...)");
        }
        return new NcpCredentials(access.strip(), secret.strip());
    }

    /** @return the access key */
    public String accessKey() {
        return accessKey;
    }

    /** @return the secret key; do not log it */
    public String secretKey() {
        return secretKey;
    }

    /** @return a short, safe form of the access key: its first four characters and an ellipsis */
    public String maskedAccessKey() {
        return accessKey.length() <= 4 ? "****" : accessKey.substring(0, 4) + "...";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NcpCredentials other && accessKey.equals(other.accessKey)
                && secretKey.equals(other.secretKey);
    }

    @Override
    public int hashCode() {
        return accessKey.hashCode();
    }

    @Override
    public String toString() {
        return "NcpCredentials[accessKey=" + maskedAccessKey() + ", secretKey=****]";
    }
}
