package io.deploytrack.core.support;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of deploytrack's HTTP callbacks, the one recipe that the notify module's signed webhooks send and the
 * webhook source checks.
 *
 * <pre>
 * X-Deploytrack-Delivery:  a unique id of the delivery (a receiver deduplicates on it)
 * X-Deploytrack-Timestamp: Unix seconds when it was signed
 * X-Deploytrack-Signature: sha256=&lt;lowercase hex of HMAC-SHA256(secret, timestamp + "." + body)&gt;
 * </pre>
 *
 * <p>Receivers verify with {@link #verify}: the signature is compared in constant time against every secret given (so
 * a secret can be rotated), and a timestamp outside the tolerance is refused, which bounds replays to that window
 * (deduplicating on the delivery id closes it).
 */
public final class CallbackSignature {

    /** The header with the delivery's unique id. */
    public static final String DELIVERY_HEADER = "X-Deploytrack-Delivery";
    /** The header with the Unix seconds at signing. */
    public static final String TIMESTAMP_HEADER = "X-Deploytrack-Timestamp";
    /** The header with {@code sha256=<hex>}. */
    public static final String SIGNATURE_HEADER = "X-Deploytrack-Signature";
    /** How old (or how far in the future) a timestamp may be by default. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private static final String PREFIX = "sha256=";

    /** Why a callback was or was not accepted. */
    public enum Verdict {
        /** The signature matches one of the secrets and the timestamp is within the tolerance. */
        VALID,
        /** A header is missing or not of the expected form. */
        MALFORMED,
        /** The timestamp is outside the tolerance. */
        STALE,
        /** No secret produces this signature. */
        MISMATCH
    }

    private CallbackSignature() {
    }

    /**
     * The value of {@link #SIGNATURE_HEADER} for a body signed at {@code unixSeconds}.
     *
     * @param secret      the shared secret (never logged)
     * @param unixSeconds the value sent in {@link #TIMESTAMP_HEADER}
     * @param body        the exact bytes of the request body
     */
    public static String sign(String secret, long unixSeconds, byte[] body) {
        Objects.requireNonNull(body, "body");
        return PREFIX + HexFormat.of().formatHex(hmac(secret, unixSeconds, body));
    }

    /**
     * Checks a received callback.
     *
     * @param secrets   the secrets currently accepted (the new and, while rotating, the old)
     * @param timestamp the {@link #TIMESTAMP_HEADER} value as received (may be null)
     * @param signature the {@link #SIGNATURE_HEADER} value as received (may be null)
     * @param body      the exact bytes received
     * @param now       the receiver's time
     * @param tolerance how far the timestamp may be from {@code now}
     */
    public static Verdict verify(List<String> secrets, String timestamp, String signature, byte[] body,
                                 Instant now, Duration tolerance) {
        Objects.requireNonNull(secrets, "secrets");
        Objects.requireNonNull(body, "body");
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("no secret to verify with: give at least one");
        }
        if (timestamp == null || signature == null || !signature.startsWith(PREFIX)) {
            return Verdict.MALFORMED;
        }
        long seconds;
        byte[] given;
        try {
            seconds = Long.parseLong(timestamp.trim());
            given = HexFormat.of().parseHex(signature.substring(PREFIX.length()).trim());
        } catch (IllegalArgumentException e) {
            return Verdict.MALFORMED;
        }
        long age = Math.abs(now.getEpochSecond() - seconds);
        if (age > tolerance.toSeconds()) {
            return Verdict.STALE;
        }
        boolean match = false;
        for (String secret : secrets) {
            // Every secret is tried, so the time taken does not say which one matched.
            match |= MessageDigest.isEqual(hmac(secret, seconds, body), given);
        }
        return match ? Verdict.VALID : Verdict.MISMATCH;
    }

    private static byte[] hmac(String secret, long unixSeconds, byte[] body) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("the callback secret is empty: set a non-empty shared secret");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((unixSeconds + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
        }
    }
}
